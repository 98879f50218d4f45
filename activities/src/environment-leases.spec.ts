import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { createAppDataSource, EnvironmentLeases, migrateAppDatabase, sharingRefusal } from '@sdo/persistence';
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

  describe('unless the orders allow sharing (concurrentHeavyWork)', () => {
    const held = (holder: string, shared: boolean, maxHolders = 1, ref = 'env') => ({ environment_ref: ref, holder, shared, max_holders: maxHolders });
    const shared = (maxHolders: number) => ({ mode: 'shared' as const, maxHolders });

    it.each([
      ['exclusive, nobody else', { mode: 'exclusive' as const }, [], undefined],
      ['exclusive, a sharer holds it', { mode: 'exclusive' as const }, [held('A', true, 4)], 'A'],
      ['shared, nobody else', shared(2), [], undefined],
      ['shared, another sharer (2 of 2)', shared(2), [held('A', true, 2)], undefined],
      ['shared, two sharers (3 of 2)', shared(2), [held('A', true, 2), held('B', true, 2)], 'A'],
      ['shared, an exclusive holder', shared(4), [held('A', true, 4), held('X', false)], 'X'],
      ["shared, the holder's own limit is smaller (3 of 4, but A allows 2)", shared(4), [held('A', true, 2), held('B', true, 4)], 'A'],
      ['shared, its own limit is smaller (3 of 2, others allow 4)', shared(2), [held('A', true, 4), held('B', true, 4)], 'A'],
      ['shared, counted per environment', shared(2), [held('A', true, 2, 'env-1'), held('B', true, 2, 'env-2')], undefined],
    ])('%s', (_case, sharing, others, refusedBy) => {
      expect(sharingRefusal(sharing, others)?.holder).toBe(refusedBy);
    });

    it('grants shared claims together up to the smallest limit, and keeps exclusive work apart from them', async () => {
      const claim = (holder: string, sharing?: ReturnType<typeof shared>) =>
        leases.tryAcquire({ environmentRefs: ['env-shared'], holder, claim: `${holder}/1`, ttlMs: 60_000, ...(sharing ? { sharing } : {}) });
      expect(await claim('S1', shared(3))).toEqual({ granted: true });
      expect(await claim('S2', shared(3))).toEqual({ granted: true });
      // An exclusive order waits for the sharers; a third sharer fits (3 of 3), a fourth does not.
      expect(await claim('X')).toEqual({ granted: false, heldBy: 'S1', environmentRef: 'env-shared' });
      expect(await claim('S3', shared(3))).toEqual({ granted: true });
      expect(await claim('S4', shared(8))).toEqual({ granted: false, heldBy: 'S1', environmentRef: 'env-shared' });
      expect(await leases.holders('env-shared')).toEqual(['S1', 'S2', 'S3']);
      for (const h of ['S1', 'S2', 'S3']) await leases.release(h, `${h}/1`);
      // Held exclusively: no sharer gets in.
      expect(await claim('X')).toEqual({ granted: true });
      expect(await claim('S1', shared(3))).toEqual({ granted: false, heldBy: 'X', environmentRef: 'env-shared' });
      await leases.release('X', 'X/1');
    });

    it("reads each delivery's permission when its heavy work starts: two sharing deliveries overlap, an exclusive one waits", async () => {
      const permissions = new Map([
        ['conversion:S:1', shared(2)],
        ['conversion:S:2', shared(2)],
      ]);
      const spans: { delivery: string; start: number; end?: number }[] = [];
      const release: (() => void)[] = [];
      const activities = withEnvironmentLeases(
        {
          copyTables: async (input: { jobId: string; planId: string }) => {
            const span = { delivery: input.jobId, start: Date.now() } as (typeof spans)[number];
            spans.push(span);
            await new Promise<void>((resolve) => release.push(resolve));
            span.end = Date.now();
          },
        },
        { leases, plans: planStore, deliveries: { concurrentHeavyWorkOf: async (id) => permissions.get(id) ?? { mode: 'exclusive' } } },
      );
      const s1 = inDelivery('conversion:S:1', '1').run(activities.copyTables, { jobId: 'S1', planId: 'plan-1' });
      const s2 = inDelivery('conversion:S:2', '1').run(activities.copyTables, { jobId: 'S2', planId: 'plan-1' });
      await until(() => spans.length === 2);
      const x = inDelivery('conversion:X:1', '1').run(activities.copyTables, { jobId: 'X', planId: 'plan-1' });
      await new Promise((r) => setTimeout(r, 1_200));
      expect(spans.map((sp) => sp.delivery).sort()).toEqual(['S1', 'S2']);
      release.splice(0).forEach((r) => r());
      await Promise.all([s1, s2]);
      await until(() => spans.length === 3);
      release.splice(0).forEach((r) => r());
      await x;
      expect(spans[2]!.start).toBeGreaterThanOrEqual(Math.max(spans[0]!.end!, spans[1]!.end!));
    });
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
