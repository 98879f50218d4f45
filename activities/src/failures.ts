import { ApplicationFailure, Context } from '@temporalio/activity';
import { DeliveryError } from '@sdo/contracts';
import { withHeartbeats } from './keep-alive';

/** Turns a library's `DeliveryError` into the typed Temporal failure the workflow and the API understand. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof DeliveryError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: err.nonRetryable,
      details: err.details ? [err.details] : undefined,
    });
  }
  return err;
}

export interface ClassifiedOptions {
  /**
   * Activities whose retryable failures (an unreachable server, a refused connection) are retried
   * only for this long after their first attempt was scheduled; then the failure becomes
   * non-retryable and names the reason, and the delivery stops waiting.
   */
  retryBudgets?: Record<string, number>;
}

/**
 * Wraps every function of an activity object: it heartbeats while it runs (a dead worker is
 * noticed within the heartbeat timeout), and library errors are classified on the way out.
 */
export function classified<T extends object>(activities: T, options: ClassifiedOptions = {}): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities)) {
    const budgetMs = options.retryBudgets?.[name];
    wrapped[name] =
      typeof fn === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await withHeartbeats(() => (fn as (...a: unknown[]) => Promise<unknown>)(...args));
            } catch (err) {
              const failure = toActivityFailure(err);
              throw budgetMs === undefined ? failure : withinBudget(failure, budgetMs);
            }
          }
        : fn;
  }
  return wrapped as T;
}

/** A retryable failure past the budget becomes non-retryable, keeping its type and message. */
function withinBudget(failure: unknown, budgetMs: number): unknown {
  if (!(failure instanceof Error) || (failure instanceof ApplicationFailure && failure.nonRetryable)) return failure;
  const { scheduledTimestampMs, attempt } = Context.current().info;
  const spentMs = Date.now() - scheduledTimestampMs;
  if (spentMs < budgetMs) return failure;
  return ApplicationFailure.create({
    type: failure instanceof ApplicationFailure ? (failure.type ?? 'Error') : failure.name,
    message: `${failure.message} Gave up after ${attempt} attempt(s) in ${Math.round(spentMs / 1000)} s (retry budget ${Math.round(budgetMs / 1000)} s).`,
    nonRetryable: true,
    details: failure instanceof ApplicationFailure ? (failure.details ?? undefined) : undefined,
  });
}
