import { ActivityFailure, ApplicationFailure, isCancellation, TimeoutFailure } from '@temporalio/workflow';
import type { DeliveryPhase, FailureNote } from '@sdo/contracts';

/**
 * How a workflow reads a failure, in one place: the activity's own failure inside Temporal's
 * ActivityFailure, seen as the lifecycle's failure note, as one line for a report, or as the
 * verdict of a step that no retry can change.
 */
function causeOf(err: unknown): unknown {
  return err instanceof ActivityFailure && err.cause ? err.cause : err;
}

/** The phase's failure note (status and reports): type and message of the activity's failure. */
export function describeFailure(phase: DeliveryPhase, err: unknown): FailureNote {
  const cause = causeOf(err);
  // A step whose time budget ran out: the last attempt's own failure is the reason.
  if (cause instanceof TimeoutFailure && cause.cause instanceof ApplicationFailure) {
    return { phase, type: cause.cause.type ?? 'ApplicationFailure', message: `${cause.cause.message} (retried until its time budget ran out)` };
  }
  if (cause instanceof ApplicationFailure) return { phase, type: cause.type ?? 'ApplicationFailure', message: cause.message };
  return { phase, type: cause instanceof Error ? cause.name : 'Error', message: cause instanceof Error ? cause.message : String(cause) };
}

/** `Type: message`, as a rehearsal report records a failed step. */
export function failureMessage(err: unknown): string {
  const cause = causeOf(err);
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The message of a failure no retry can fix (the step's verdict); anything else is rethrown. */
export function verdictOf(err: unknown): string {
  if (isCancellation(err)) throw err;
  const cause = causeOf(err);
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return cause.message;
  throw err;
}
