/** What tests outside the API may use of it: the test app, the real app factory, and the delivery service. */
export * from './api-test-app';
export { createApiApp } from '../app/create-app';
export type { ApiOptions } from '../app/create-app';
export { DeliveriesService } from '../app/deliveries/deliveries.service';
export { ApiMetrics } from '../app/observability/api-metrics';
