import { WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import { CarryoverParameters, confirmAcceptanceUpdate, DeliveryInput, moveCutoverWindowUpdate } from '@sdo/contracts';
import { ERP_DOCUMENT_DATES, ERP_LEDGER, generateErpDataset } from '@sdo/erp-generator';
import { ReportStore } from '@sdo/persistence';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { fingerprintDatabase } from '@sdo/upgrade-kit';
import { approveCurrentPlan, registerEnvironment, startDelivery } from '../support/deliveries';
import { recordHistory } from '../support/histories';
import { CUTOFF, digestOf, HISTORY, TRIAL_BALANCE } from '../support/carryover-oracle';
import { scratchDatabasesOf, withPg } from '../support/fixtures';
import { cancelWhenBlocked, waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const CARRYOVER: CarryoverParameters = { cutoffPeriod: CUTOFF, tables: ERP_DOCUMENT_DATES, ledger: ERP_LEDGER, batchSize: 100 };

describe('data carryover (数据结转) on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness;
  let template: ScratchDatabase;
  const dbs: ScratchDatabase[] = [];

  beforeAll(async () => {
    h = await startWorkerHarness();
    template = await createScratchDatabase('erp_tpl');
    const summary = await withPg(template.url, (c) =>
      generateErpDataset(c, { seed: 11, organisations: 3, years: 3, firstYear: 2022, documentsPerOrgPerYear: 60 }),
    );
    // eslint-disable-next-line no-console
    console.log(`carryover dataset: ${JSON.stringify(summary.rows)} generated in ${summary.elapsedMs} ms`);
  });

  afterAll(async () => {
    await h?.close();
    for (const d of dbs) await d.drop();
    await template?.drop();
  });

  async function startCarryover(overrides: Partial<DeliveryInput<CarryoverParameters>> = {}, dbsToUse?: { live: ScratchDatabase; archive: ScratchDatabase }) {
    const live = dbsToUse?.live ?? (await createScratchDatabase('erp_live', template.name));
    const archive = dbsToUse?.archive ?? (await createScratchDatabase('erp_archive'));
    if (!dbsToUse) dbs.push(live, archive);
    const environments = { source: await registerEnvironment(h, { postgres: live.url }), target: await registerEnvironment(h, { postgres: archive.url }) };
    const { handle, deliveryId } = await startDelivery(h, { serviceType: 'data-carryover', environments, parameters: CARRYOVER, ...overrides });
    return { handle, live, archive, deliveryId };
  }

  const deliverToAcceptance = async (handle: WorkflowHandle) => {
    await approveCurrentPlan(handle, 'customer-cfo');
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 120_000);
    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    await handle.result();
    return accepting;
  };

  it('archives history before the cut-off, carries balances forward so the trial balance is unchanged, and a re-run is a no-op', async () => {
    const { handle, live, archive, deliveryId } = await startCarryover();
    const tbBefore = (await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows;
    const history: Record<string, { n: number; h: string }> = {};
    for (const [t, sql] of Object.entries(HISTORY)) history[t] = (await withPg(live.url, (c) => c.query(digestOf(sql)))).rows[0];
    const totalBefore = (await withPg(live.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders'))).rows[0].n;
    expect(history['vouchers']!.n).toBeGreaterThan(0);
    expect(tbBefore.length).toBeGreaterThan(0);

    const accepting = await deliverToAcceptance(handle);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    await recordHistory(handle, 'dataCarryoverDelivery-accepted');

    // Invariant 19: trial balance per account and period from the cut-off on is unchanged.
    expect((await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows).toEqual(tbBefore);
    // The archive holds exactly what was removed; the live database holds none of it.
    for (const [t, expected] of Object.entries(history)) {
      const archived = (await withPg(archive.url, (c) => c.query(digestOf(`SELECT * FROM carryover_2024_01.${t}`)))).rows[0];
      expect({ t, ...archived }).toEqual({ t, ...expected });
    }
    const opening = await withPg(live.url, (c) =>
      c.query(`SELECT org_id, voucher_date::text AS d FROM vouchers WHERE voucher_date < DATE '${CUTOFF}-01' ORDER BY org_id`),
    );
    expect(opening.rows).toEqual([1, 2, 3].map((org) => ({ org_id: org, d: '2023-12-31' })));
    expect((await withPg(live.url, (c) => c.query(digestOf(HISTORY['sales_orders']!)))).rows[0].n).toBe(0);
    expect((await withPg(live.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders'))).rows[0].n).toBe(totalBefore - history['sales_orders']!.n);
    // Opening vouchers balance, and the cutover backup and rehearsal databases are gone.
    const unbalanced = await withPg(live.url, (c) => c.query('SELECT voucher_id FROM voucher_entries GROUP BY voucher_id HAVING sum(debit) <> sum(credit)'));
    expect(unbalanced.rows).toEqual([]);
    expect(await scratchDatabasesOf(live.url, deliveryId)).toEqual([]);
    const reports = await new ReportStore(h.dataSource).listForDelivery(deliveryId);
    // eslint-disable-next-line no-console
    console.log('carryover timings', JSON.stringify(reports.map((r) => ({ kind: r.kind, summary: r.summary }))));

    // Re-running the carried-over period changes nothing in the live database or the archive.
    const liveAfter = await withPg(live.url, (c) => fingerprintDatabase(c));
    const archiveAfter = await withPg(archive.url, (c) => fingerprintDatabase(c));
    const rerun = await startCarryover({}, { live, archive });
    const rerunStatus = await deliverToAcceptance(rerun.handle);
    expect(rerunStatus.reports.find((r) => r.kind === 'cutover')?.summary).toMatch(/already carried over: nothing changed/);
    expect((await withPg(live.url, (c) => fingerprintDatabase(c))).hash).toBe(liveAfter.hash);
    expect((await withPg(archive.url, (c) => fingerprintDatabase(c))).hash).toBe(archiveAfter.hash);
    await recordHistory(rerun.handle, 'dataCarryoverDelivery-rerun-is-noop');
  });

  it('restores the live database from the cutover backup when the purge fails half-way', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle, live, archive } = await startCarryover({ cutoverWindow: { startsAt: future, durationMinutes: 30 } });
    await approveCurrentPlan(handle, 'customer-cfo');
    const waiting = await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 90_000);
    // The rehearsal's progress is part of the status step (tables and rows purged, rate).
    expect(waiting.step).toMatch(/rehearsal verified — purged 5\/5 tables, (\d+)\/\1 rows/);

    // After the rehearsal the auditors lock vouchers: entries are purged first, then deleting vouchers fails.
    await withPg(live.url, (c) =>
      c.query(`CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'vouchers are locked by the auditors'; END $$;
               CREATE TRIGGER vouchers_locked BEFORE DELETE ON vouchers FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();`),
    );
    const liveBefore = await withPg(live.url, (c) => fingerprintDatabase(c));
    const archiveBefore = await withPg(archive.url, (c) => fingerprintDatabase(c));

    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover', type: 'ScriptFailed' });
    expect(status.lastFailure?.message).toMatch(/locked by the auditors/);

    const liveAfter = await withPg(live.url, (c) => fingerprintDatabase(c));
    expect(liveAfter.schema).toEqual(liveBefore.schema);
    expect(liveAfter.hash).toBe(liveBefore.hash);
    expect((await withPg(archive.url, (c) => fingerprintDatabase(c))).hash).toBe(archiveBefore.hash);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    await recordHistory(handle, 'dataCarryoverDelivery-cutover-rolled-back-then-cancelled');
  });

  it('blocks assessment with a non-retryable InvalidParameters naming what does not fit, its report listed', async () => {
    const { handle } = await startCarryover({
      parameters: {
        cutoffPeriod: CUTOFF,
        tables: [
          { table: 'vouchers', dateColumn: 'description' },
          { table: 'sales_orders', dateColumn: 'order_date' },
        ],
        ledger: { ...ERP_LEDGER, entryTable: 'journal_lines' },
      },
    });
    const status = await cancelWhenBlocked(handle);
    expect(status.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
    expect(status.reports.map((r) => r.kind)).toEqual(['assessment']);
    expect(status.lastFailure?.message).toMatch(/vouchers\.description is text, not a date/);
    expect(status.lastFailure?.message).toMatch(/journal_lines/);
    await recordHistory(handle, 'dataCarryoverDelivery-invalid-parameters-blocked-then-cancelled');
  });

  it('is cancelled while waiting for the contract, leaving the live database untouched', async () => {
    const { handle, live } = await startCarryover({ contractRef: undefined });
    const before = await withPg(live.url, (c) => fingerprintDatabase(c));
    await waitForStatus(handle, (s) => s.awaiting === 'contractSignature');
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    expect((await withPg(live.url, (c) => fingerprintDatabase(c))).hash).toBe(before.hash);
    await recordHistory(handle, 'dataCarryoverDelivery-cancelled-awaiting-contract');
  });
});
