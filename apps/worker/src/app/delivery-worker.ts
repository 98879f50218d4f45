import { NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { createActivities } from '@sdo/activities';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: ReturnType<typeof createActivities>;
  workflowBundle: WorkflowBundleWithSourceMap;
  taskQueue: string;
  /** Each process identifies itself, so engineers can see which worker ran an attempt. */
  identity?: string;
}

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
    shutdownGraceTime: '10 seconds',
  });
}
