import { ApplicationFailure } from '@temporalio/activity';
import { DeliveryError } from '@sdo/contracts';

/** Turns a library's `DeliveryError` into the typed Temporal failure the workflow and the API understand. */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof DeliveryError) {
    return ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: err.nonRetryable, details: err.details ? [err.details] : undefined });
  }
  return err;
}

/** Wraps every function of an activity object so library errors are classified on the way out. */
export function classified<T extends object>(activities: T): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] =
      typeof fn === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (err) {
              throw toActivityFailure(err);
            }
          }
        : fn;
  }
  return wrapped as T;
}
