import { Context } from '@temporalio/activity';

/**
 * Heartbeats on a timer while `work` runs: operations such as a whole-database copy give no
 * progress events of their own, and must not be mistaken for a dead worker.
 */
export async function keepAlive<T>(what: string, work: () => Promise<T>, everyMs = 10_000): Promise<T> {
  const ctx = Context.current();
  const started = Date.now();
  const beat = () => ctx.heartbeat({ step: what, elapsedMs: Date.now() - started });
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
