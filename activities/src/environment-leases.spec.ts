import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createAppDataSource, EnvironmentLeases, migrateAppDatabase } from '@sdo/persistence';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { environmentRefsOf, withEnvironmentLeases } from './environment-leases';

/** Per-environment leases over the real app database: what two deliveries' heavy work may overlap. */
describe('environment leases of heavy work', () => {
  let db: ScratchDatabase;
  let dataSource: DataSource;
  let leases: EnvironmentLeases;
  const plans = new Map<string, unknown>([['plan-1', { sourceEnvironmentId: 'env-src', targetEnvironmentId: 'env-erp#sdo_scratch_x', plan: {} }]]);
  const planStore = { load: async <T>(id: string) => (plans.get(id) ?? null) as T | null };

  beforeAll(async () => {
    db = await createScratchDatabase('sdo_leases');
    dataSource = await createAppDataSource(db.url).initialize();
    await migrateAppDatabase(dataSource);
    leases = new EnvironmentLeases(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** A data activity (by name) that records when it ran, and ends when told. */
  function heavyWork() {
    const spans: { delivery: string; start: number; end?: number }[] = [];
    const finish = new Map<string, () => void>();
    const activities = withEnvironmentLeases(
      {
        copyTables: async (input: { jobId: string; planId: string }) => {
          const span = { delivery: input.jobId, start: Date.now() } as (typeof spans)[number];
          spans.push(span);
          await new Promise<void>((resolve) => finish.set(`${input.jobId}/${spans.length}`, resolve));
          span.end = Date.now();
        },
        backupDatabase: async (input: { targetEnvironmentId: string; deliveryId: string }) => {
          spans.push({ delivery: input.deliveryId, start: Date.now(), end: Date.now() });
          return { backupDatabase: 'b' };
        },
        recordDeliveryState: async () => undefined,
      },
      { leases, plans: planStore },
    );
    return { activities, spans, finish };
  }
  const inDelivery = (workflowId: string, activityId: string) =>
    new MockActivityEnvironment(
      { workflowExecution: { workflowId, runId: `${workflowId}-run` }, activityId, heartbeatTimeoutMs: 20_000 },
      { logger: new DefaultLogger('WARN') },
    );
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(what()).toBe(true);
  };

  it('finds the environments an input names, directly, one level down and through its copy plan', async () => {
    expect(await environmentRefsOf({ deliveryId: 'd', targetEnvironmentId: 'env-t', source: { environmentId: 'env-s' } }, planStore)).toEqual([
      'env-t',
      'env-s',
    ]);
    expect(await environmentRefsOf({ jobId: 'j', planId: 'plan-1', table: 't' }, planStore)).toEqual(['env-src', 'env-erp#sdo_scratch_x']);
    expect(await environmentRefsOf({ liveEnvironmentId: 'a', archiveEnvironmentId: 'b', tables: ['x'] }, planStore)).toEqual(['a', 'b']);
  });

  it("runs another delivery's heavy work on the environment only after the holder's ends; a delivery's own lanes share it", async () => {
    const { activities, spans, finish } = heavyWork();
    const a1 = inDelivery('conversion:A:1', '1').run(activities.copyTables, { jobId: 'A', planId: 'plan-1' });
    await until(() => spans.length === 1);
    // Delivery A's second copy lane runs alongside its first.
    const a2 = inDelivery('conversion:A:1', '2').run(activities.copyTables, { jobId: 'A', planId: 'plan-1' });
    await until(() => spans.length === 2);
    // Delivery B backs up the same source environment: it waits for both of A's lanes.
    const b = inDelivery('upgrade:B:1', '1').run(activities.backupDatabase, { deliveryId: 'B', targetEnvironmentId: 'env-src' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(spans.map((s) => s.delivery)).toEqual(['A', 'A']);
    expect(await leases.holders('env-src')).toEqual(['conversion:A:1']);
    finish.get('A/1')!();
    await a1;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(spans.map((s) => s.delivery)).toEqual(['A', 'A']);
    finish.get('A/2')!();
    await a2;
    await b;
    const [first, second, third] = spans;
    expect(third!.start).toBeGreaterThanOrEqual(Math.max(first!.end!, second!.end!));
    // Orchestration activities never wait for a lease.
    await inDelivery('upgrade:B:1', '2').run(activities.recordDeliveryState);
    expect(await leases.holders('env-src')).toEqual([]);
  });

  it('releases the lease when the work fails or is cancelled, and a dead worker’s claim expires', async () => {
    const failing = withEnvironmentLeases(
      {
        verifyTables: async () => {
          throw new Error('verification broke');
        },
      },
      { leases, plans: planStore },
    );
    await expect(inDelivery('conversion:C:1', '1').run(failing.verifyTables, { jobId: 'C', planId: 'plan-1' })).rejects.toThrow('verification broke');
    expect(await leases.holders('env-src')).toEqual([]);

    // A claim nobody renews (its worker was killed) stops counting once it expires.
    await leases.tryAcquire({ environmentRefs: ['env-src'], holder: 'conversion:dead:1', claim: 'r/1', ttlMs: 300 });
    const { activities, spans } = heavyWork();
    const waiting = inDelivery('upgrade:D:1', '1');
    const backup = waiting.run(activities.backupDatabase, { deliveryId: 'D', targetEnvironmentId: 'env-src' });
    await backup;
    expect(spans.map((s) => s.delivery)).toEqual(['D']);

    // Cancelled while it waits: it ends, holding nothing.
    await leases.tryAcquire({ environmentRefs: ['env-erp'], holder: 'conversion:E:1', claim: 'r/1', ttlMs: 60_000 });
    const cancelled = inDelivery('upgrade:F:1', '1');
    const blocked = cancelled.run(activities.backupDatabase, { deliveryId: 'F', targetEnvironmentId: 'env-erp' });
    await new Promise((r) => setTimeout(r, 300));
    cancelled.cancel();
    await expect(blocked).rejects.toBeInstanceOf(CancelledFailure);
    expect(await leases.holders('env-erp')).toEqual(['conversion:E:1']);
    await leases.release('conversion:E:1', 'r/1');
  });
});
