import { type ActivityOptions, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { taskQueueFor, workKindOf } from '@sdo/contracts';

/**
 * Timeouts and retries of every activity of every workflow, defined once (test/security checks
 * each). Every activity heartbeats while it runs (activities/src/keep-alive.ts), so a worker that
 * dies is noticed within HEARTBEAT_TIMEOUT and the attempt is retried elsewhere.
 *
 * Crashes are not failures of a step: no profile caps attempts, since every heartbeat timeout of a
 * dead worker would use one up. A step's own permanent errors are non-retryable (the shared
 * classifier in contracts); its transient ones retry with backoff, bounded by time
 * (scheduleToCloseTimeout) where the step must end. Assessments give up on an unreachable server
 * after the worker's SDO_ASSESSMENT_RETRY_BUDGET.
 */
export const HEARTBEAT_TIMEOUT = '20 seconds';

const untilItWorks = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

export const activityProfiles = {
  /** Lifecycle bookkeeping in the app database (state, notifications): takes milliseconds; retried until the database answers. */
  bookkeeping: { startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } },

  /**
   * One webhook call or gate mail: a receiver that is down is retried with exponential backoff
   * (1 s, 2 s, 4 s … at most 10 minutes apart) for a day, then given up (each event at least once while it answers).
   */
  notification: {
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '1 day',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
  },

  /** Assessment, planning, rehearsal and compensation: retried for as long as a flaky server needs (a compensation must succeed). */
  patient: { startToCloseTimeout: '2 hours', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: untilItWorks },

  /** Bulk copies and loads: checkpointed, a retry resumes where the last attempt stopped. */
  copy: { startToCloseTimeout: '4 hours', heartbeatTimeout: HEARTBEAT_TIMEOUT, retry: untilItWorks },

  /**
   * Steps that must end: those of a cutover (the window is finite, a failure is rolled back) and a
   * rehearsal's keys and foreign keys. Transient failures are retried for at most 6 hours in all,
   * however many workers die meanwhile; then the step fails.
   */
  bounded: {
    startToCloseTimeout: '4 hours',
    heartbeatTimeout: HEARTBEAT_TIMEOUT,
    scheduleToCloseTimeout: '6 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  },
} as const satisfies Record<string, ActivityOptions>;

export type ActivityProfile = keyof typeof activityProfiles;

type ActivityFunctions = Record<string, (...args: unknown[]) => Promise<unknown>>;

/**
 * Activity proxies for a profile, each activity on the task queue of its kind of work
 * (`ACTIVITY_WORK_KINDS` in contracts): data work on the data queue that goes with the
 * workflow's own queue, the rest on the workflow's queue. Resolved when an activity is looked up,
 * inside the running workflow, so each delivery derives the data queue from its own queue.
 */
export function deliveryActivities<A extends object>(options: ActivityOptions): A {
  return new Proxy({} as A, {
    get(_, name) {
      if (typeof name !== 'string') return undefined;
      // Orchestration activities keep the workflow's queue implicitly: their commands stay as before.
      const scheduling = workKindOf(name) === 'data' ? { ...options, taskQueue: taskQueueFor('data', workflowInfo().taskQueue) } : options;
      return proxyActivities<ActivityFunctions>(scheduling)[name];
    },
  });
}

/**
 * Bookkeeping proxies: local activities (run by the worker running the workflow, inside its
 * workflow task) for runs that have the `bookkeeping-in-workflow-task` patch, regular ones for runs
 * started before it. A phase change then costs no activity task and no second workflow task: at
 * 50 concurrent conversions that was 9 of each per delivery (docs/cluster-figures.md).
 */
export function bookkeepingActivities<A extends object>(): () => A {
  const regular = deliveryActivities<A>(activityProfiles.bookkeeping);
  // The same functions; the SDK's local type differs only in how it is declared.
  const local = proxyLocalActivities<A>(activityProfiles.bookkeeping) as unknown as A;
  return () => (patched('bookkeeping-in-workflow-task') ? local : regular);
}
