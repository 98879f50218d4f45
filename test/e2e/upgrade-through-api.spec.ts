import { randomUUID } from 'node:crypto';
import { loadPackage } from '@sdo/upgrade-kit';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES, withPg } from '../support/fixtures';
import { confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

/** A delivery manager's view: everything through HTTP, against the real worker, Temporal and PostgreSQL. */
describe('an upgrade delivered through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let target: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    target = await createErpV1Database();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await target?.drop();
  });

  it('goes from start to accepted and really upgrades the target database', async () => {
    const env = await registerEnvironmentViaApi(api, 'CUST-7', 'erp-production', { postgres: target.url });
    expect(JSON.stringify(env)).not.toContain(connectionFields(target.url).password);

    const pkg = loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1'));
    const registered = await api.request('POST', '/v1/upgrade-packages', { body: pkg });
    expect(registered.status).toBe(201);

    const start = {
      serviceType: 'upgrade',
      customerId: 'CUST-7',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { target: env.id },
      parameters: { packageId: registered.body.id },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
    };
    const key = randomUUID();
    const started = await api.request('POST', '/v1/deliveries', { as: 'manager', body: start, headers: { 'idempotency-key': key } });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toContain(started.body.id);
    const again = await api.request('POST', '/v1/deliveries', { as: 'manager', body: start, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(started.body.id);
    const id: string = started.body.id;

    // Contract gate; a plan decision now is refused by the workflow with its reason.
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'contractSignature');
    const early = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1 } });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not for planApproval/);
    expect((await api.request('POST', `/v1/deliveries/${id}/contract-signature`, { as: 'viewer', body: { contractRef: 'CT-1' } })).status).toBe(403);
    expect((await api.request('POST', `/v1/deliveries/${id}/contract-signature`, { as: 'manager', body: { contractRef: 'CT-2026-77' } })).status).toBe(200);

    // The customer rejects revision 1; revision 2 is drafted and approved.
    // The app database mirrors the workflow (a moment after the workflow's own state).
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval' && d.awaiting === 'planApproval');
    const listed = await api.request('GET', '/v1/deliveries?awaiting=planApproval&serviceType=upgrade', { as: 'viewer' });
    expect(listed.body.items.map((d: any) => d.id)).toContain(id);
    const rejected = await api.request('POST', `/v1/deliveries/${id}/plan-rejection`, {
      as: 'manager',
      body: { revision: 1, comment: 'after month-end close, please' },
    });
    expect(rejected.status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval' && d.live.plans.length === 2);
    // The ERP is in use while the delivery rehearses: a user holds an open transaction that has written.
    const user = new Client({ connectionString: target.url });
    await user.connect();
    user.on('error', () => undefined);
    try {
      await user.query(`BEGIN; UPDATE customers SET name = 'being edited' WHERE id = 1`);
      expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 2, comment: 'go' } })).status).toBe(200);

      // Rehearsal passes on an online copy; the delivery waits for the window.
      const waiting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow');
      const rehearsalRef = waiting.live.reports.find((r: any) => r.kind === 'rehearsal');
      const rehearsal = await api.request('GET', `/v1/deliveries/${id}/reports/${rehearsalRef.reportId}`, { as: 'viewer' });
      expect(rehearsal.body.body).toMatchObject({ passed: true, cloneMethod: 'online-copy' });
      // Nobody was disconnected and the target is untouched until cutover.
      expect((await user.query(`SELECT name FROM customers WHERE id = 1`)).rows[0].name).toBe('being edited');
      await user.query('ROLLBACK');
      expect((await withPg(target.url, (c) => c.query(`SELECT to_regclass('sdo_schema_history') AS t`))).rows[0].t).toBeNull();
    } finally {
      await user.end().catch(() => undefined);
    }
    // The manager moves the window to now.
    const moved = await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } });
    expect(moved.status).toBe(200);

    const accepting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance');
    expect(accepting.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'plan', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const history = await withPg(target.url, (c) => c.query('SELECT version FROM sdo_schema_history WHERE success ORDER BY installed_rank'));
    expect(history.rows.map((r) => r.version)).toEqual(['2.0.0', '2.0.1', '2.1.0', '2.1.1']);
    const columns = await withPg(target.url, (c) =>
      c.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'sales_orders' AND column_name = 'total_amount'"),
    );
    expect(columns.rowCount).toBe(1);

    // The acceptance report reads as a document for the customer.
    const acceptanceRef = accepting.live.reports.find((r: any) => r.kind === 'acceptance');
    const markdown = await api.request('GET', `/v1/deliveries/${id}/reports/${acceptanceRef.reportId}?format=markdown`, { as: 'viewer' });
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/2\.1\.1/);

    await confirmAcceptanceViaApi(api, id);

    const audit = await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' });
    const entries: any[] = audit.body.items ?? audit.body;
    expect(entries.some((e) => e.actor === 'max')).toBe(true);
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['phase.completed']));
  });
});
