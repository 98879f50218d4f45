import { randomUUID } from 'node:crypto';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { createMysqlDatabase, loadChinookMysql } from '@sdo/data-engine/testing';
import { withPg } from '../support/fixtures';
import { confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

/** A delivery manager converting a customer's MariaDB ERP database to PostgreSQL, through HTTP only. */
describe('a database conversion delivered through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let source: { name: string; url: string; drop(): Promise<void> };
  let target: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    source = await createMysqlDatabase('e2e_conv_src');
    await loadChinookMysql(source.name);
    target = await createScratchDatabase('e2e_conv_tgt');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await source?.drop();
    await target?.drop();
  });

  it('goes from start to accepted and leaves Chinook verified in PostgreSQL', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-9', 'erp-mariadb', { mysql: source.url });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-9', 'erp-postgres', { postgres: target.url });

    const start = (parameters: Record<string, unknown>, environments = { source: src.id, target: tgt.id }) => ({
      serviceType: 'database-conversion',
      customerId: 'CUST-9',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments,
      parameters,
      contractRef: 'CT-2026-DBC',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
    });
    // Parameters and roles are validated per service at the API: 400 with field and reason.
    const bad = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: start({ targetSchema: 'Robert"); DROP', naming: 'camel', chunkRows: 5 }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: any) => d.field).sort()).toEqual(['parameters.chunkRows', 'parameters.naming', 'parameters.targetSchema']);
    const swapped = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: start({}, { source: tgt.id, target: src.id }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body.details.map((d: any) => d.field).sort()).toEqual(['environments.source', 'environments.target']);

    const id = await startDeliveryViaApi(api, start({ targetSchema: 'erp' }));

    const planned = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval', 90_000);
    const assessmentRef = planned.live.reports.find((r: any) => r.kind === 'assessment');
    const assessment = await api.request('GET', `/v1/deliveries/${id}/reports/${assessmentRef.reportId}`, { as: 'viewer' });
    expect(assessment.status).toBe(200);
    expect(JSON.stringify(assessment.body)).toMatch(/"rows":15607/);
    expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } })).status).toBe(200);

    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow', 90_000);
    expect((await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } })).status).toBe(200);

    const accepting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    expect(accepting.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const markdown = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}?format=markdown`, { as: 'viewer' });
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/invoice_line/);
    expect(markdown.text).toMatch(/equal/);
    const lines = await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n FROM erp.invoice_line'));
    expect(lines.rows[0].n).toBe(2240);

    await confirmAcceptanceViaApi(api, id, 90_000);
  });
});
