import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { createActivities } from '@sdo/activities';
import { sdoDataConverter, type PayloadKeyRing } from '@sdo/config';
import { workerTelemetry } from './worker-telemetry';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: ReturnType<typeof createActivities>;
  workflowBundle: WorkflowBundleWithSourceMap;
  taskQueue: string;
  /** Every payload the worker sends is sealed with the ring's current key; any of its keys opens one. */
  payloadKeys: PayloadKeyRing;
  /** Each process identifies itself, so engineers can see which worker ran an attempt. */
  identity?: string;
  /** How long running activities get to finish at shutdown (default 10 s). */
  shutdownGraceTime?: Duration;
  /** Tools only (the kill sweep's worker dies inside chosen activities); the real worker has none. */
  interceptors?: WorkerOptions['interceptors'];
  /** Where workflow and activity spans go (default: dropped; trace context still travels). */
  tracing?: { spanProcessor: SpanProcessor; resource: Resource };
}

/** Longest a running activity waits to hear that it was cancelled (its heartbeats come every 5 s, see keepAlive). */
const HEARTBEAT_THROTTLE = '5 seconds';

export function createDeliveryWorker(options: DeliveryWorkerOptions): Promise<Worker> {
  const telemetry = workerTelemetry(options.tracing);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: options.activities,
    dataConverter: sdoDataConverter(options.payloadKeys),
    ...(options.identity ? { identity: options.identity } : {}),
    // Bulk copies are I/O bound and memory hungry: a few at a time per worker.
    maxConcurrentActivityTaskExecutions: 8,
    // Cancellation reaches an activity only in a heartbeat's answer; unthrottled to 5 s (the SDK
    // would hold heartbeats back for 0.8 × the heartbeat timeout, 48 s for a 1-minute one).
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
    interceptors: { ...options.interceptors, activity: [...(telemetry.interceptors?.activity ?? []), ...(options.interceptors?.activity ?? [])] },
    sinks: telemetry.sinks,
  });
}
