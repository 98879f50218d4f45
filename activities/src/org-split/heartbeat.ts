import { Context } from '@temporalio/activity';

/**
 * Heartbeats every few seconds while one long statement (a COPY, a verification) runs, so the
 * heartbeat timeout detects a dead worker rather than a big table; cancellation arrives the same way.
 */
export async function whileHeartbeating<T>(detail: () => unknown, fn: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(detail());
  const timer = setInterval(() => ctx.heartbeat(detail()), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
