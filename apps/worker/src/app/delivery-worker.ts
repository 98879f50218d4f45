import type { Duration } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions, WorkflowBundleOption } from '@temporalio/worker';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { dataTaskQueue, WORK_KINDS, WorkKind } from '@sdo/contracts';
import type { createActivities } from '@sdo/activities';
import { sdoDataConverter, type PayloadKeyRing } from '@sdo/config';
import { workerTelemetry } from './worker-telemetry';

export interface DeliveryWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: ReturnType<typeof createActivities>;
  workflowBundle: WorkflowBundleOption;
  /** The delivery queue; its data queue is derived from it (`dataTaskQueue` in contracts). */
  taskQueue: string;
  /** Every payload the worker sends is sealed with the ring's current key; any of its keys opens one. */
  payloadKeys: PayloadKeyRing;
  /** Which kinds of work this process serves (default both: the embedded default, tests). */
  queues?: readonly WorkKind[];
  /** Activities run at once on the delivery queue: bookkeeping, notifications, assessments, reports (default 20). */
  orchestrationSlots?: number;
  /** Activities run at once on the data queue: copies, verifications, backups, loads (default 16). */
  dataSlots?: number;
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
const HEARTBEAT_THROTTLE: Duration = '5 seconds';

/**
 * One Temporal worker per kind of work this process serves, on one connection: the delivery
 * queue's (workflows and orchestration activities) and the data queue's (activities only), each
 * with its own slots, so long copies never take the slots gates and reminders need.
 */
export class DeliveryWorker {
  constructor(readonly workers: ReadonlyMap<WorkKind, Worker>) {}

  /** Runs until shutdown; if one worker fails, the others are shut down and the failure is thrown. */
  async run(): Promise<void> {
    const runs = [...this.workers.values()].map((w) =>
      w.run().catch((err: unknown) => {
        this.shutdown();
        throw err;
      }),
    );
    const results = await Promise.allSettled(runs);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  shutdown(): void {
    for (const w of this.workers.values()) if (w.getState() === 'RUNNING') w.shutdown();
  }

  getState(): ReturnType<Worker['getState']> {
    const states = [...this.workers.values()].map((w) => w.getState());
    return states.find((s) => s !== 'STOPPED') ?? 'STOPPED';
  }
}

export async function createDeliveryWorker(options: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  const kinds = WORK_KINDS.filter((k) => (options.queues ?? WORK_KINDS).includes(k));
  if (!kinds.length) throw new Error('a worker serves at least one task queue');
  const telemetry = workerTelemetry(options.tracing);
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    // Every activity on both queues: deliveries scheduled before the queues were split still
    // find their data steps on the delivery queue.
    activities: options.activities,
    dataConverter: sdoDataConverter(options.payloadKeys),
    ...(options.identity ? { identity: options.identity } : {}),
    // Cancellation reaches an activity only in a heartbeat's answer; unthrottled to 5 s (the SDK
    // would hold heartbeats back for 0.8 × the heartbeat timeout, 48 s for a 1-minute one).
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE,
    shutdownGraceTime: options.shutdownGraceTime ?? '10 seconds',
    interceptors: { ...options.interceptors, activity: [...(telemetry.interceptors?.activity ?? []), ...(options.interceptors?.activity ?? [])] },
    sinks: telemetry.sinks,
  };
  const workers = new Map<WorkKind, Worker>();
  for (const kind of kinds) {
    workers.set(
      kind,
      kind === 'orchestration'
        ? await Worker.create({
            ...common,
            taskQueue: options.taskQueue,
            workflowBundle: options.workflowBundle,
            maxConcurrentActivityTaskExecutions: options.orchestrationSlots ?? 20,
          })
        : // Data steps mostly wait on databases; a copy holds one chunk at a time in memory. 4 slots made
          // 50 small conversions queue for them most of their time (docs/cluster-figures.md).
          await Worker.create({ ...common, taskQueue: dataTaskQueue(options.taskQueue), maxConcurrentActivityTaskExecutions: options.dataSlots ?? 16 }),
    );
  }
  return new DeliveryWorker(workers);
}
