import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { chinookDir } from '@sdo/data-engine/testing';
import { chinookMapping, trackCatalogueMapping } from '../fixtures/migration/chinook-mapping';
import { sqliteFilePath } from '../support/deliveries';
import { withPg } from '../support/fixtures';
import { approveFirstPlanViaApi, confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const NEW_PRODUCT_SQL = readFileSync(join(__dirname, '..', 'fixtures', 'migration', 'new-product.sql'), 'utf8');

/** A delivery manager migrates the old product (Chinook on SQLite) into the new product's schema, through HTTP only. */
describe('a data migration delivered through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let sqlitePath: string;
  let target: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    sqlitePath = sqliteFilePath(`e2e-chinook-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), sqlitePath);
    target = await createScratchDatabase('e2e_newprod');
    await withPg(target.url, (c) => c.query(NEW_PRODUCT_SQL));
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (sqlitePath) rmSync(sqlitePath, { force: true });
    await target?.drop();
  });

  it('goes from start to accepted; the reconciliation report balances per mapping and matches the target', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-9', 'old-product', { sqlite: sqlitePath });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-9', 'new-product', { postgres: target.url });

    const id = await startDeliveryViaApi(api, {
      serviceType: 'data-migration',
      customerId: 'CUST-9',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      // Four table sources and one query source (a join over Track, Album, Artist, Genre, InvoiceLine).
      parameters: chinookMapping({ mappings: [...chinookMapping().mappings, trackCatalogueMapping()] }),
      contractRef: 'CT-2026-MIG',
      cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
    });

    await approveFirstPlanViaApi(api, id, 90_000);

    const accepting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    expect(accepting.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);

    // The reconciliation report, read through the API: per mapping, loaded + rejected = source rows (less the filtered out).
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const report = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}`, { as: 'viewer' });
    expect(report.status).toBe(200);
    const reconciliation = report.body.body.reconciliation as {
      mapping: string;
      target: string;
      sourceRows: number;
      filteredOut: number;
      loaded: number;
      rejected: number;
      balanced: boolean;
    }[];
    expect(reconciliation).toEqual([
      { mapping: 'sales reps', target: 'sales_rep', sourceRows: 8, filteredOut: 5, loaded: 3, rejected: 0, balanced: true },
      { mapping: 'customers', target: 'customer_account', sourceRows: 59, filteredOut: 0, loaded: 58, rejected: 1, balanced: true },
      { mapping: 'invoices', target: 'sales_invoice', sourceRows: 412, filteredOut: 0, loaded: 405, rejected: 7, balanced: true },
      { mapping: 'invoice lines', target: 'invoice_line', sourceRows: 2240, filteredOut: 0, loaded: 2202, rejected: 38, balanced: true },
      { mapping: 'track catalogue', target: 'catalog_track', sourceRows: 3503, filteredOut: 0, loaded: 3503, rejected: 0, balanced: true },
    ]);
    for (const r of reconciliation) expect(r.loaded + r.rejected + r.filteredOut).toBe(r.sourceRows);
    expect(report.body.body.rejectedRows).toHaveLength(46);

    // The target holds exactly what the report says was loaded.
    for (const r of reconciliation) {
      const n = (await withPg(target.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${r.target}`))).rows[0].n;
      expect({ target: r.target, n }).toEqual({ target: r.target, n: r.loaded });
    }

    // The same report as a document for the customer.
    const markdown = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}?format=markdown`, { as: 'viewer' });
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/invoice lines/);

    await confirmAcceptanceViaApi(api, id, 90_000);
  });
});
