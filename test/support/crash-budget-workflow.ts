import { proxyActivities } from '@temporalio/workflow';
import { activityProfiles } from '@sdo/workflows/activity-profiles';

export interface CrashBudgetActivities {
  /** Loses its worker (never answers, never heartbeats) on the first `lostAttempts` attempts, then completes. */
  cutoverStepLosingWorkers(lostAttempts: number): Promise<number>;
}

/**
 * One cutover step under the real `bounded` profile's retry policy, with the heartbeat timeout and
 * backoff shortened so the test runs in seconds: what is being tested is that lost workers use up
 * no budget of attempts.
 */
export async function cutoverStepWorkflow(lostAttempts: number): Promise<number> {
  const { bounded } = activityProfiles;
  const step = proxyActivities<CrashBudgetActivities>({
    ...bounded,
    heartbeatTimeout: '1 second',
    retry: { ...bounded.retry, initialInterval: '50 milliseconds', maximumInterval: '100 milliseconds' },
  });
  return step.cutoverStepLosingWorkers(lostAttempts);
}
