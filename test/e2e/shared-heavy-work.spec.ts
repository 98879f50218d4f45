import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { copyFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiTestApp } from '@sdo/api/testing';
import { chinookDir } from '@sdo/data-engine/testing';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { sqliteFilePath } from '../support/deliveries';
import { approveFirstPlanViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(180_000);

const CUSTOMER = 'CUST-SHARE';
const DELIVERIES = 3;

/**
 * Holds each delivery's first copy at its start until all three deliveries have one waiting, so
 * their heavy work asks for the source environment at the same moment. Changes nothing the copy
 * (or its lease) does.
 */
function copyBarrier() {
  const arrived = new Set<string>();
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const done: string[] = [];
  const interceptor: ActivityInboundCallsInterceptor = {
    async execute(input, next) {
      const { activityType, workflowExecution } = Context.current().info;
      if ((activityType !== 'copyTables' && activityType !== 'copyTable') || !workflowExecution) return next(input);
      arrived.add(workflowExecution.workflowId);
      if (arrived.size >= DELIVERIES) open();
      const beat = setInterval(() => Context.current().heartbeat(), 2_000);
      await opened.finally(() => clearInterval(beat));
      try {
        return await next(input);
      } finally {
        done.push(workflowExecution.workflowId);
      }
    },
  };
  return { interceptor, done, release: open };
}

/**
 * Issue #13, leases "unless the plan allows it": two orders that allow sharing
 * (`concurrentHeavyWork: { mode: 'shared' }`) copy from one customer database at the same time;
 * an order that does not (the default) never runs its copy alongside another delivery's.
 */
describe('heavy work on one environment, shared only where the orders allow it', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  const barrier = copyBarrier();
  const files: string[] = [];
  const targets: ScratchDatabase[] = [];

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker({ interceptors: { activity: [() => ({ inbound: barrier.interceptor })] } }));
  });
  afterAll(async () => {
    barrier.release();
    await worker?.close();
    await api?.close();
    for (const t of targets) await t.drop();
    for (const f of files) rmSync(f, { force: true });
  });

  it('refuses a bad permission with a 400 naming the field, and stores nothing', async () => {
    const base = {
      serviceType: 'database-conversion',
      customerId: CUSTOMER,
      environments: { source: randomUUID(), target: randomUUID() },
      parameters: { targetSchema: 'erp' },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    };
    const cases: [unknown, { field: string; reason: RegExp }][] = [
      [{ mode: 'together' }, { field: 'concurrentHeavyWork.mode', reason: /exclusive, shared/ }],
      [
        { mode: 'shared', maxHolders: 1 },
        { field: 'concurrentHeavyWork.maxHolders', reason: /not be less than 2/ },
      ],
      [
        { mode: 'shared', maxHolders: 2.5 },
        { field: 'concurrentHeavyWork.maxHolders', reason: /integer/ },
      ],
      [
        { mode: 'exclusive', maxHolders: 3 },
        { field: 'concurrentHeavyWork.maxHolders', reason: /only with mode "shared"/ },
      ],
      ['shared', { field: 'concurrentHeavyWork', reason: /object/ }],
    ];
    for (const [concurrentHeavyWork, problem] of cases) {
      const orderNo = `SO-BAD-${randomUUID().slice(0, 6)}`;
      const refused = await api.request('POST', '/v1/deliveries', {
        as: 'manager',
        headers: { 'idempotency-key': randomUUID() },
        body: { ...base, orderNo, concurrentHeavyWork },
      });
      expect([concurrentHeavyWork, refused.status]).toEqual([concurrentHeavyWork, 400]);
      expect(refused.body.details).toEqual(expect.arrayContaining([{ field: problem.field, reason: expect.stringMatching(problem.reason) }]));
      const [row] = await worker.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE order_no = $1`, [orderNo]);
      expect(row.n).toBe(0);
    }
  });

  it('overlaps the copies of two sharing deliveries on one source; the exclusive one copies alone', async () => {
    // One customer database (Chinook in SQLite) that all three read; each writes its own target.
    const file = sqliteFilePath(`shared-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), file);
    files.push(file);
    const source = await registerEnvironmentViaApi(api, CUSTOMER, `chinook-${randomUUID().slice(0, 6)}`, { sqlite: file });
    const start = async (concurrentHeavyWork?: object) => {
      const target = await createScratchDatabase('e2e_share_tgt');
      targets.push(target);
      const tgt = await registerEnvironmentViaApi(api, CUSTOMER, `pg-${randomUUID().slice(0, 6)}`, { postgres: target.url });
      const orderNo = `SO-${randomUUID().slice(0, 8)}`;
      const id = await startDeliveryViaApi(api, {
        serviceType: 'database-conversion',
        customerId: CUSTOMER,
        orderNo,
        environments: { source: source.id, target: tgt.id },
        parameters: { targetSchema: 'erp', parallelTables: 1 },
        contractRef: 'CT-2026-SHARE',
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
        ...(concurrentHeavyWork ? { concurrentHeavyWork } : {}),
      });
      return { id, workflowId: `database-conversion:${CUSTOMER}:${orderNo}` };
    };
    const sharing = [await start({ mode: 'shared', maxHolders: 2 }), await start({ mode: 'shared' })];
    const exclusive = await start();

    // Who holds the source environment, sampled while the copies run.
    const seen: string[][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows: { holder: string }[] = await worker.dataSource.query(
          `SELECT DISTINCT holder FROM environment_leases WHERE environment_ref = $1 AND expires_at >= now() ORDER BY holder`,
          [source.id],
        );
        if (rows.length) seen.push(rows.map((r) => r.holder));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      await Promise.all([...sharing, exclusive].map((d) => approveFirstPlanViaApi(api, d.id, 90_000)));
      const deadline = Date.now() + 90_000;
      while (barrier.done.length < DELIVERIES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(barrier.done.length).toBe(DELIVERIES);
    } finally {
      sampling = false;
      await sampler;
    }

    const together = seen.filter((holders) => holders.length > 1);
    // The two sharing deliveries held it at the same time; the exclusive one never held it with anyone.
    expect(together).toContainEqual([...sharing.map((d) => d.workflowId)].sort());
    expect(together.filter((holders) => holders.includes(exclusive.workflowId))).toEqual([]);
    expect(seen.some((holders) => holders.includes(exclusive.workflowId))).toBe(true);
    const [stored] = await worker.dataSource.query(`SELECT concurrent_heavy_work FROM deliveries WHERE id = $1`, [sharing[1]!.id]);
    expect(stored.concurrent_heavy_work).toEqual({ mode: 'shared', maxHolders: 2 });
  });
});
