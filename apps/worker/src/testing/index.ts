/** What tests and tools outside the worker may use of it: building activities, a worker, and the workflow bundle. */
export { buildActivityDeps } from '../app/activity-deps';
export { buildNotificationDeps } from '../app/notification-deps';
export { createDeliveryWorker, DeliveryWorker } from '../app/delivery-worker';
export { bundlerOptions, deliveryWorkflowBundle, writeWorkflowBundle } from '../app/workflow-bundle';
export { WORKFLOW_INTERCEPTOR_MODULES, workerTelemetry } from '../app/worker-telemetry';
