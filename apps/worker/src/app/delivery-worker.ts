import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { createActivities } from '@sdo/activities';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: ReturnType<typeof createActivities>;
  workflowBundle: WorkflowBundleWithSourceMap;
  taskQueue: string;
  /** Each process identifies itself, so engineers can see which worker ran an attempt. */
  identity?: string;
  /** How long running activities get to finish at shutdown (default 10 s). */
  shutdownGraceTime?: Duration;
  /** Tools only (the kill sweep's worker dies inside chosen activities); the real worker has none. */
  interceptors?: WorkerOptions['interceptors'];
}

/** Longest a running activity waits to hear that it was cancelled (its heartbeats come every 5 s, see keepAlive). */
const HEARTBEAT_THROTTLE = '5 seconds';

export function createDeliveryWorker(options: DeliveryWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: options.activities,
    ...(options.identity ? { identity: options.identity } : {}),
    // Bulk copies are I/O bound and memory hungry: a few at a time per worker.
    maxConcurrentActivityTaskExecutions: 8,
    // Cancellation reaches an activity only in a heartbeat's answer; unthrottled to 5 s (the SDK
    // would hold heartbeats back for 0.8 × the heartbeat timeout, 48 s for a 1-minute one).
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
}
