import { randomUUID } from 'node:crypto';
import { generateErpDataset } from '@sdo/erp-generator';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { withPg } from '../support/fixtures';
import { expectSplitOfOrganisation } from '../support/org-split-oracle';
import { confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

/** A delivery manager splits organisation 3 out of an account set, everything through HTTP. */
describe('an org split delivered through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let source: ScratchDatabase;
  let target: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    source = await createScratchDatabase('erp_group');
    target = await createScratchDatabase('erp_org3');
    await withPg(source.url, (c) => generateErpDataset(c, { seed: 3, organisations: 3, years: 2, documentsPerOrgPerYear: 40 }));
    await withPg(source.url, (c) =>
      c.query(`CREATE VIEW org_totals AS SELECT org_id, count(*) AS vouchers FROM vouchers GROUP BY org_id;
               CREATE FUNCTION touch_voucher() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
               CREATE TRIGGER vouchers_touched BEFORE UPDATE ON vouchers FOR EACH ROW EXECUTE FUNCTION touch_voucher();`),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await source?.drop();
    await target?.drop();
  });

  it('refuses bad parameters with 400 and the field, then goes from start to accepted with a verified new database', async () => {
    const environments = {
      source: (await registerEnvironmentViaApi(api, 'CUST-9', 'group-account-set', { postgres: source.url })).id,
      target: (await registerEnvironmentViaApi(api, 'CUST-9', 'org3-new', { postgres: target.url })).id,
    };
    const start = (parameters: unknown) => ({
      serviceType: 'org-split',
      customerId: 'CUST-9',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments,
      parameters,
      contractRef: 'CT-2026-0903',
      cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
    });

    const bad = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: start({ organisations: [], organisationTable: 'organisations', organisationColumns: [{ table: 'vouchers' }] }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.details.map((d: any) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['parameters.organisations', 'parameters.organisationColumns.0.column']));

    const id = await startDeliveryViaApi(api, start({ organisations: ['3'], organisationTable: 'organisations' }));

    // The split copies tables: the group's view and trigger are listed in the plan, and approving needs their confirmation.
    const planned = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval');
    expect(planned.live.plans[0].confirmationRequired).toEqual({
      dependents: 3,
      summary:
        'function touch_voucher(): not created in the new database; trigger vouchers_touched on vouchers: not created in the new database; view org_totals: not created in the new database',
    });
    const unconfirmed = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.message).toMatch(/confirmDependents/);
    const approved = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, {
      as: 'manager',
      body: { revision: 1, comment: 'go', confirmDependents: true },
    });
    expect(approved.status).toBe(200);
    const accepting = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    expect(accepting.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);

    // The new database: organisation 3 only, counts equal WHERE org_id = 3 on the source, master data its closure, foreign keys validated.
    await expectSplitOfOrganisation(source.url, target.url, 3);

    // The cutover report reads as a document for the customer, and as JSON.
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const markdown = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}?format=markdown`, { as: 'viewer' });
    expect(markdown.status).toBe(200);
    expect(markdown.text).toMatch(/no other organisation's rows/);
    const json = await api.request('GET', `/v1/deliveries/${id}/reports/${cutoverRef.reportId}`, { as: 'viewer' });
    expect(json.body.body.verification.passed).toBe(true);

    await confirmAcceptanceViaApi(api, id);
  });
});
