import { randomUUID } from 'node:crypto';
import { ERP_DOCUMENT_DATES, ERP_LEDGER, generateErpDataset } from '@sdo/erp-generator';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { CUTOFF, digestOf, HISTORY, TRIAL_BALANCE } from '../support/carryover-oracle';
import { withPg } from '../support/fixtures';
import { approveFirstPlanViaApi, confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

/** A delivery manager carries 2022–2023 of an ERP account set over into an archive, everything through HTTP. */
describe('a data carryover delivered through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let live: ScratchDatabase;
  let archive: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    live = await createScratchDatabase('e2e_erp_live');
    archive = await createScratchDatabase('e2e_erp_archive');
    await withPg(live.url, (c) => generateErpDataset(c, { seed: 17, organisations: 3, years: 3, firstYear: 2022, documentsPerOrgPerYear: 60 }));
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await live?.drop();
    await archive?.drop();
  });

  it('goes from start to accepted; the trial balance from the cut-off is unchanged and the archive holds the removed rows', async () => {
    const environments = {
      source: (await registerEnvironmentViaApi(api, 'CUST-9', 'erp-live', { postgres: live.url })).id,
      target: (await registerEnvironmentViaApi(api, 'CUST-9', 'erp-archive', { postgres: archive.url })).id,
    };

    const tbBefore = (await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows;
    expect(tbBefore.length).toBeGreaterThan(0);
    const history: Record<string, { n: number; h: string }> = {};
    for (const [t, sql] of Object.entries(HISTORY)) history[t] = (await withPg(live.url, (c) => c.query(digestOf(sql)))).rows[0];
    expect(history['vouchers']!.n).toBeGreaterThan(0);
    const ordersBefore = (await withPg(live.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders'))).rows[0].n;

    const id = await startDeliveryViaApi(api, {
      serviceType: 'data-carryover',
      customerId: 'CUST-9',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments,
      parameters: { cutoffPeriod: CUTOFF, tables: ERP_DOCUMENT_DATES, ledger: ERP_LEDGER, batchSize: 100 },
      contractRef: 'CT-2026-CARRY',
      cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
    });

    await approveFirstPlanViaApi(api, id, 90_000);
    const accepting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 120_000);
    expect(accepting.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);

    // Trial balance per organisation, account and period from the cut-off on: unchanged in the live database.
    expect((await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows).toEqual(tbBefore);
    // The archive holds exactly the removed rows; the live database holds none of them (only one opening voucher per organisation).
    for (const [t, expected] of Object.entries(history)) {
      const archived = (await withPg(archive.url, (c) => c.query(digestOf(`SELECT * FROM carryover_2024_01.${t}`)))).rows[0];
      expect({ t, ...archived }).toEqual({ t, ...expected });
    }
    expect((await withPg(live.url, (c) => c.query(digestOf(HISTORY['sales_orders']!)))).rows[0].n).toBe(0);
    expect((await withPg(live.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders'))).rows[0].n).toBe(ordersBefore - history['sales_orders']!.n);
    const opening = await withPg(live.url, (c) =>
      c.query(`SELECT org_id, voucher_date::text AS d FROM vouchers WHERE voucher_date < DATE '${CUTOFF}-01' ORDER BY org_id`),
    );
    expect(opening.rows).toEqual([1, 2, 3].map((org) => ({ org_id: org, d: '2023-12-31' })));

    // The cutover report through the API, as JSON and as a document.
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const json = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}`, { as: 'viewer' });
    expect(json.status).toBe(200);
    expect(json.body.kind).toBe('cutover');
    const markdown = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}?format=markdown`, { as: 'viewer' });
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/voucher_entries/);

    await confirmAcceptanceViaApi(api, id, 90_000);
  });
});
