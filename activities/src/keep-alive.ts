import { Context } from '@temporalio/activity';

/** The details an attempt last heartbeated, so a timer beat repeats them instead of erasing a checkpoint. */
const lastBeat = new WeakMap<Context, { details: unknown; at: number }>();

/**
 * Heartbeats `details` (a checkpoint a retried attempt resumes from, or progress). Activities
 * heartbeat only through this, never `Context.heartbeat` directly: the beats `withHeartbeats`
 * sends while an activity is silent repeat these details.
 */
export function heartbeat(details?: unknown): void {
  const ctx = Context.current();
  lastBeat.set(ctx, { details, at: Date.now() });
  ctx.heartbeat(details);
}

/**
 * Runs every activity (see `classified`): heartbeats on a timer whenever the activity has been
 * silent for `everyMs`, so a worker that dies is noticed within the heartbeat timeout, whatever
 * the activity does, and a slow one is not mistaken for a dead worker. A silent beat repeats the
 * attempt's last details, or the previous attempt's, so checkpoints survive a second crash.
 * Activities scheduled without a heartbeat timeout are left alone.
 */
export async function withHeartbeats<T>(work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return work(); // called outside an activity (a unit test of the function itself)
  }
  const timeoutMs = ctx.info.heartbeatTimeoutMs;
  if (!timeoutMs || ctx.info.isLocal) return work();
  const interval = Math.max(100, Math.min(everyMs, Math.floor(timeoutMs / 3)));
  const timer = setInterval(() => {
    const last = lastBeat.get(ctx);
    if (last && Date.now() - last.at < interval) return;
    ctx.heartbeat(last ? last.details : ctx.info.heartbeatDetails);
    if (last) last.at = Date.now();
  }, interval);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * Heartbeats on a timer while `work` runs: one long statement (a whole-database copy, a COPY of a
 * big table, a verification) gives no progress events of its own; cancellation arrives through
 * the same heartbeats. `detail` is a step name, or a function giving the current details.
 */
export async function keepAlive<T>(detail: string | (() => unknown), work: () => Promise<T>, everyMs = 5_000): Promise<T> {
  const started = Date.now();
  const beat = () => heartbeat(typeof detail === 'string' ? { step: detail, elapsedMs: Date.now() - started } : detail());
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
