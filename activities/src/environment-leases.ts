import { Context } from '@temporalio/activity';
import { type ConcurrentHeavyWork, workKindOf } from '@sdo/contracts';
import type { EnvironmentLeases } from '@sdo/persistence';

export interface EnvironmentLeaseDeps {
  leases: Pick<EnvironmentLeases, 'tryAcquire' | 'renew' | 'release'>;
  /** Where copy plans are kept: a copy's input names its plan, the plan names the environments. */
  plans: { load<T>(id: string): Promise<T | null> };
  /** What the delivery's order allows (its workflow ID); exclusive when absent. */
  deliveries?: { concurrentHeavyWorkOf(workflowId: string): Promise<ConcurrentHeavyWork> };
}

/** A claim not renewed for this long is a dead worker's; renewed well within it. */
export const LEASE_TTL_MS = 60_000;
const RENEW_EVERY_MS = 10_000;
const RETRY_EVERY_MS = 1_000;

const isEnvironmentKey = (key: string) => key === 'environmentId' || key.endsWith('EnvironmentId');

/**
 * The environments (or scratch databases, `<id>#sdo_scratch_…`) an activity's input names: any
 * `…EnvironmentId` / `environmentId` field, also one level down (`source.environmentId`), and
 * those of the copy plan it refers to.
 */
export async function environmentRefsOf(input: unknown, plans: EnvironmentLeaseDeps['plans']): Promise<string[]> {
  if (!input || typeof input !== 'object') return [];
  const refs = new Set<string>();
  const collect = (value: object, depth: number) => {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && isEnvironmentKey(key)) refs.add(v);
      else if (depth > 0 && v && typeof v === 'object' && !Array.isArray(v)) collect(v, depth - 1);
    }
  };
  collect(input, 1);
  const planId = (input as { planId?: unknown }).planId;
  if (typeof planId === 'string') {
    const plan = await plans.load<{ sourceEnvironmentId?: string; targetEnvironmentId?: string }>(planId);
    for (const ref of [plan?.sourceEnvironmentId, plan?.targetEnvironmentId]) if (ref) refs.add(ref);
  }
  return [...refs];
}

/**
 * Wraps every data activity (`ACTIVITY_WORK_KINDS` in contracts) so it runs only while its
 * delivery holds the lease on every environment it names: two deliveries never run heavy work on
 * one customer database at once, unless both orders allow sharing (`concurrentHeavyWork`, up to
 * the smallest of their holder limits). A delivery's own activities share its lease (parallel copy
 * lanes); another delivery's wait, heartbeating (the activity wrapper beats while it waits),
 * until it is released — at the end of the work, on failure or cancellation — or expires.
 */
export function withEnvironmentLeases<T extends object>(activities: T, deps: EnvironmentLeaseDeps): T {
  const wrapped = { ...activities } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities)) {
    if (typeof fn !== 'function' || workKindOf(name) !== 'data') continue;
    wrapped[name] = async (...args: unknown[]) => {
      const run = () => (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      let ctx: Context;
      try {
        ctx = Context.current();
      } catch {
        return run(); // called outside an activity (a unit test of the activity itself)
      }
      const execution = ctx.info.workflowExecution;
      const environmentRefs = execution ? await environmentRefsOf(args[0], deps.plans) : [];
      if (!execution || !environmentRefs.length) return run();
      const holder = execution.workflowId;
      // One claim per activity: a retried attempt takes over its crashed predecessor's rows.
      const claim = `${execution.runId}/${ctx.info.activityId}`;
      const sharing = deps.deliveries ? await deps.deliveries.concurrentHeavyWorkOf(holder) : undefined;
      let waitingFor: string | undefined;
      for (;;) {
        const outcome = await deps.leases.tryAcquire({ environmentRefs, holder, claim, ttlMs: LEASE_TTL_MS, ...(sharing ? { sharing } : {}) });
        if (outcome.granted) break;
        if (waitingFor !== outcome.heldBy) {
          waitingFor = outcome.heldBy;
          ctx.log.info(`${name} waits: ${outcome.heldBy} runs heavy work on environment ${outcome.environmentRef}`);
        }
        // Cancellation (it arrives with a heartbeat's answer) ends the wait with the activity.
        await Promise.race([ctx.sleep(RETRY_EVERY_MS), ctx.cancelled]);
      }
      const renewal = setInterval(() => {
        deps.leases.renew(holder, claim, LEASE_TTL_MS).catch((err: unknown) => ctx.log.warn(`could not renew the environment lease: ${String(err)}`));
      }, RENEW_EVERY_MS);
      try {
        return await run();
      } finally {
        clearInterval(renewal);
        await deps.leases.release(holder, claim).catch((err: unknown) => ctx.log.warn(`could not release the environment lease (it expires): ${String(err)}`));
      }
    };
  }
  return wrapped as T;
}
