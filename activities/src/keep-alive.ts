import { Context } from '@temporalio/activity';

/**
 * Heartbeats on a timer while `work` runs: one long statement (a whole-database copy, a COPY of a
 * big table, a verification) gives no progress events of its own and must not be mistaken for a
 * dead worker; cancellation arrives through the same heartbeats. `detail` is a step name, or a
 * function giving the current details.
 */
export async function keepAlive<T>(detail: string | (() => unknown), work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const ctx = Context.current();
  const started = Date.now();
  const beat = () => ctx.heartbeat(typeof detail === 'string' ? { step: detail, elapsedMs: Date.now() - started } : detail());
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
