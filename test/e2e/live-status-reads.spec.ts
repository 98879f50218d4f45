import { copyFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiTestApp } from '@sdo/api/testing';
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
