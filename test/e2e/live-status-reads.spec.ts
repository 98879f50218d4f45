import { copyFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startApiTestApp, type ApiTestApp } from '@sdo/api/testing';
import { deliveryStatusQuery } from '@sdo/contracts';
import { Client } from 'pg';
import { chinookDir } from '@sdo/data-engine/testing';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { sqliteFilePath } from '../support/deliveries';
import { registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const REUSE_MS = 20_000;

/**
 * Managers polling a delivery are answered from the API's last answer while the delivery's row is
 * unchanged (issue #13: at N = 50 every read was a query task for the worker). With the worker
 * stopped, reads still answer: from the last answer while it is young, then (the workflow not answering)
 * from that answer with its time; a decision sent afterwards makes the next read ask the workflow again.
 */
describe('reading a delivery while nothing changed does not reach the worker', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let target: ScratchDatabase;
  const file = sqliteFilePath(`live-${randomUUID()}.sqlite`);

  beforeAll(async () => {
    // A long reuse window: the worker's shutdown (grace time) must not outlast it.
    ({ api, worker } = await startApiAndWorker({}, { env: { SDO_LIVE_STATUS_MAX_AGE_MS: String(REUSE_MS) } }));
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), file);
    target = await createScratchDatabase('e2e_live_tgt');
  });
  let workerClosed = false;
  afterAll(async () => {
    if (!workerClosed) await worker?.close();
    await api?.close();
    await target?.drop();
    rmSync(file, { force: true });
  });

  it('answers from the last status with the worker gone, confined as before, and asks again after a decision', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-LIVE', 'chinook', { sqlite: file });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-LIVE', 'pg', { postgres: target.url });
    const id = await startDeliveryViaApi(api, {
      serviceType: 'database-conversion',
      customerId: 'CUST-LIVE',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      parameters: { targetSchema: 'erp' },
      contractRef: 'CT-2026-LIVE',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    });
    let waiting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval' && d.awaiting === 'planApproval', 90_000);
    // The workflow's bookkeeping may still move the row (a new version is read from the workflow): read until it holds still.
    for (let reads = 0; reads < 20; reads++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const again = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
      if (again.updatedAt === waiting.updatedAt && again.live) break;
      waiting = again;
    }

    await worker.close();
    workerClosed = true;
    const read = await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.body.liveUnavailable).toBeUndefined();
    expect(read.body.liveAsOf).toBeUndefined();
    expect(read.body.live).toEqual(waiting.live);
    // Confinement is checked before any status is looked at.
    expect((await api.request('GET', `/v1/deliveries/${id}`, { as: 'confined' })).status).toBe(404);

    // Past the reuse window the read asks the workflow; no worker answers, so within about a
    // second it shows the earlier answer (the row has not changed) and when it was given.
    await new Promise((resolve) => setTimeout(resolve, REUSE_MS + 200));
    const asked = Date.now();
    const late = await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    const tookMs = Date.now() - asked;
    expect(late.status).toBe(200);
    expect(late.body.live).toEqual(waiting.live);
    expect(late.body.liveUnavailable).toBeUndefined();
    expect(Date.parse(late.body.liveAsOf)).toBeLessThanOrEqual(asked - REUSE_MS);
    expect(tookMs).toBeLessThan(2_500);

    // No worker takes the decision (202, pending); the next read asks the workflow, which cannot answer.
    const approval = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } });
    expect(approval.status).toBe(202);
    const after = await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    expect(after.status).toBe(200);
    expect(after.body.live).toBeNull();
    expect(after.body.liveAsOf).toBeUndefined();
    expect(after.body.liveUnavailable).toMatch(/worker|answer/);
  });
});

/**
 * An ended delivery's status no longer changes, and Temporal deletes its workflow after the
 * namespace's retention: the workflow hands its final status over with its last state, and reads
 * serve that from the app database. A delivery that ended before this keeps its workflow's answer
 * from its first read.
 */
describe('an ended delivery is read from the status its workflow handed over', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  const others: ApiTestApp[] = [];
  let workerClosed = false;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
  });
  afterAll(async () => {
    for (const other of others) await other.close();
    if (!workerClosed) await worker?.close();
    await api?.close();
  });

  async function appDatabase<R>(sql: string, params: unknown[]): Promise<R[]> {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end();
    }
  }

  /** Another API process on the same database: nothing read before is in its memory. */
  async function freshApi(): Promise<ApiTestApp> {
    const other = await startApiTestApp({ database: api.database });
    others.push(other);
    return other;
  }

  it('answers without the worker, at once, and keeps the answer for a delivery that ended before', async () => {
    // 业务诊断: four steps of plain tasks, done through the API as a consultant would.
    const id = await startDeliveryViaApi(api, {
      serviceType: 'business-diagnosis',
      customerId: 'CUST-END',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      parameters: {},
    });
    for (let step = 0; step < 4; step++) {
      const deadline = Date.now() + 60_000;
      let open: { id: string; stepIndex: number; checklist: { item: string }[] }[] = [];
      while (!open.length || open.some((t) => t.stepIndex !== step)) {
        if (Date.now() > deadline) throw new Error(`no open task at step ${step}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = (await api.request('GET', `/v1/tasks?deliveryId=${id}&source=flow&status=open&limit=100`, { as: 'viewer' })).body.items;
      }
      for (const task of open) {
        const done = await api.request('POST', `/v1/tasks/${task.id}/complete`, { as: 'manager', body: { checked: task.checklist.map((c) => c.item) } });
        expect(done.status).toBe(200);
      }
    }
    const completed = await waitForDelivery(api, id, (d) => d.phase === 'completed', 60_000);
    const handle = worker.client.workflow.getHandle(completed.workflowId);
    await handle.result();
    const answered = await handle.query(deliveryStatusQuery);
    expect(answered).toMatchObject({ phase: 'completed', progress: 100 });
    const kept = () => appDatabase<{ status: unknown }>('SELECT status FROM delivery_final_status WHERE delivery_id = $1', [id]);
    expect(await kept()).toEqual([{ status: answered }]);

    // As if it had ended before workflows handed their status over: the first read asks and keeps it.
    await appDatabase('DELETE FROM delivery_final_status WHERE delivery_id = $1', [id]);
    const first = await (await freshApi()).request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    expect(first.body.live).toEqual(answered);
    expect(await kept()).toEqual([{ status: answered }]);

    // No worker to answer a query (a closed workflow's needs one; a deleted one's has none): reads
    // answer within a second, where a query would wait its 3 s out and show no status.
    await worker.close();
    workerClosed = true;
    const reader = await freshApi();
    const asked = Date.now();
    const read = await reader.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(read.status).toBe(200);
    expect(read.body.liveUnavailable).toBeUndefined();
    expect(read.body.live).toEqual(answered);
    // The person-day ledger is looked up in the same status: this product has none (404, not 503).
    const ledger = await reader.request('GET', `/v1/deliveries/${id}/person-days`, { as: 'viewer' });
    expect([ledger.status, ledger.body.message]).toEqual([404, expect.stringMatching(/no person-day ledger/)]);
    // Confinement is checked before any status is looked at.
    expect((await reader.request('GET', `/v1/deliveries/${id}`, { as: 'confined' })).status).toBe(404);
  });
});
