import { WorkflowFailedError } from '@temporalio/client';
import { Client } from 'pg';
import { confirmAcceptanceUpdate, DeliveryInput, deliveryStatusQuery, moveCutoverWindowUpdate, OrgSplitParameters } from '@sdo/contracts';
import { generateErpDataset } from '@sdo/erp-generator';
import { DeliveryStore, ReportStore } from '@sdo/persistence';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { fingerprintDatabase } from '@sdo/upgrade-kit';
import { approveCurrentPlan, registerEnvironment, startDelivery } from '../support/deliveries';
import { recordHistory } from '../support/histories';
import { scratchDatabasesOf, withPg } from '../support/fixtures';
import { expectSplitOfOrganisation, ORG_TABLES } from '../support/org-split-oracle';
import { cancelWhenBlocked, waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const SPLIT: OrgSplitParameters = { organisations: ['2'], organisationTable: 'organisations' };

describe('org split (组织拆分) on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness;
  let template: ScratchDatabase;
  const dbs: ScratchDatabase[] = [];

  beforeAll(async () => {
    h = await startWorkerHarness();
    template = await createScratchDatabase('erp_tpl');
    const summary = await withPg(template.url, (c) => generateErpDataset(c, { seed: 42, organisations: 3, years: 2, documentsPerOrgPerYear: 60 }));
    // eslint-disable-next-line no-console
    console.log(`org split dataset: ${JSON.stringify(summary.rows)} generated in ${summary.elapsedMs} ms`);
  });

  afterAll(async () => {
    await h?.close();
    for (const d of dbs) await d.drop();
    await template?.drop();
  });

  async function startSplit(overrides: Partial<DeliveryInput<OrgSplitParameters>> = {}) {
    const source = await createScratchDatabase('erp_src', template.name);
    const target = await createScratchDatabase('erp_new');
    dbs.push(source, target);
    const environments = { source: await registerEnvironment(h, { postgres: source.url }), target: await registerEnvironment(h, { postgres: target.url }) };
    const { handle, deliveryId } = await startDelivery(h, { serviceType: 'org-split', environments, parameters: SPLIT, ...overrides });
    return { handle, source, target, deliveryId };
  }

  it('splits organisation 2 into a new database that holds only its rows and the master data they reference, with every foreign key valid', async () => {
    const { handle, source, target, deliveryId } = await startSplit();
    const sourceBefore = await withPg(source.url, (c) => fingerprintDatabase(c));
    await approveCurrentPlan(handle, 'customer-cfo');
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);

    // Invariant 18 (counts equal `WHERE org = X` on the source, no other organisation's rows), lines, master data, foreign keys.
    await expectSplitOfOrganisation(source.url, target.url, 2);
    // Shared master data came along: at least one customer of organisation 2 is also organisation 1's or 3's.
    const shared = await withPg(source.url, (c) =>
      c.query(
        'SELECT count(*)::int AS n FROM (SELECT customer_id FROM sales_orders GROUP BY customer_id HAVING bool_or(org_id = 2) AND bool_or(org_id <> 2)) s',
      ),
    );
    expect(shared.rows[0].n).toBeGreaterThan(0);

    // Invariant 20: the new database keeps working — keys continue after the copied ones.
    await withPg(target.url, (c) =>
      c.query("INSERT INTO vouchers (org_id, voucher_no, voucher_date, description) VALUES (2, 'NEW-1', '2030-01-01', 'first voucher after the split')"),
    );

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    expect(await handle.result()).toMatchObject({ outcome: 'accepted' });
    await recordHistory(handle, 'orgSplitDelivery-accepted');

    // The source is untouched, the bookkeeping schema and the rehearsal database are gone.
    expect((await withPg(source.url, (c) => fingerprintDatabase(c))).hash).toBe(sourceBefore.hash);
    expect((await withPg(target.url, (c) => c.query("SELECT to_regnamespace('sdo_copy') AS s, to_regnamespace('sdo_org_split') AS legacy"))).rows[0]).toEqual({
      s: null,
      legacy: null,
    });
    expect(await scratchDatabasesOf(target.url, deliveryId)).toEqual([]);
    const reports = await new ReportStore(h.dataSource).listForDelivery(deliveryId);
    const cutover = reports.find((r) => r.kind === 'cutover')!;
    expect(cutover.summary).toMatch(/no other organisation's rows/);
    // eslint-disable-next-line no-console
    console.log('org split timings', JSON.stringify(reports.map((r) => ({ kind: r.kind, summary: r.summary }))));
  });

  it('rolls a cutover that fails half-way back so the target is exactly as it was', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle, source, target } = await startSplit({ cutoverWindow: { startsAt: future, durationMinutes: 30 } });
    await approveCurrentPlan(handle, 'customer-cfo');
    const waiting = await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 90_000);
    // Progress of the extraction is part of the status step (tables and rows done, rate).
    expect(waiting.step).toMatch(/rehearsal verified — 11\/11 tables, (\d+)\/\1 rows/);

    // After the rehearsal, someone books an organisation-2 voucher on organisation 1's account:
    // the copy runs, and the foreign key cannot be validated in the new database.
    await withPg(source.url, (c) =>
      c.query(
        'UPDATE voucher_entries SET account_id = 1 WHERE id = (SELECT min(e.id) FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id WHERE v.org_id = 2)',
      ),
    );
    const before = await withPg(target.url, (c) => fingerprintDatabase(c));

    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover', type: 'VerificationFailed' });
    expect(status.lastFailure?.message).toMatch(/voucher_entries/);

    const after = await withPg(target.url, (c) => fingerprintDatabase(c));
    expect(after.schema).toEqual(before.schema);
    expect(after.hash).toBe(before.hash);
    // The next plan revision names the offending rows for the customer to correct.
    expect(status.plans[1]!.summary).toMatch(/blocked until corrected: 1 row\(s\) of voucher_entries/);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    await recordHistory(handle, 'orgSplitDelivery-cutover-rolled-back-then-cancelled');
  });

  it('cancelled in the middle of the copy, drops what it created: the target ends as it began', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle, source, target, deliveryId } = await startSplit({ cutoverWindow: { startsAt: future, durationMinutes: 30 } });
    await approveCurrentPlan(handle, 'customer-cfo');
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 90_000);
    const before = await withPg(target.url, (c) => fingerprintDatabase(c));

    // Someone holds the regions master table on the source: the cutover's copy waits there, part-way through.
    const holder = new Client({ connectionString: source.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE regions IN ACCESS EXCLUSIVE MODE');
      await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
      // The 11 small tables share one copy activity, which waits at regions.
      const copying = await waitForStatus(handle, (s) => /cutover: copying — 0\/11 tables, 0\/858 rows.*\(now \w+ and 10 more\)/.test(s.step), 60_000);
      await new Promise((r) => setTimeout(r, 500));
      expect((await handle.query(deliveryStatusQuery)).step).toBe(copying.step); // still waiting on the lock
      expect(copying.phase).toBe('cutover');
      await handle.cancel();
      // Still holding the lock: the delivery can only end (its compensation drops the table the waiting COPY writes to)
      // once the cancellation reached the copy and the copy cancelled its statements — within a few heartbeats.
      const cancelled = await waitForStatus(handle, (s) => s.phase === 'cancelled', 30_000);
      expect(cancelled.events.map((e) => e.note).join('\n')).toMatch(/compensations run: drop what the extraction created in the target/);
      const waiting = await withPg(source.url, (c) =>
        c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`),
      );
      expect(waiting.rows[0].n).toBe(0);
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    // End state: compensation dropped every table, sequence and the bookkeeping schema it created.
    const after = await withPg(target.url, (c) => fingerprintDatabase(c));
    expect(after.schema).toEqual(before.schema);
    expect(after.hash).toBe(before.hash);
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'cancelled' });
    await recordHistory(handle, 'orgSplitDelivery-cancelled-mid-copy');
  });

  /** Everything on the source that is not organisation 2's own: other organisations' rows, their document lines, all master data. */
  const othersFingerprint = async (url: string) =>
    (
      await withPg(url, (c) =>
        c.query(`SELECT count(*)::int AS n, md5(string_agg(r, E'\\n' ORDER BY r)) AS h FROM (
          SELECT 'organisations ' || o::text AS r FROM organisations o WHERE id <> 2
          UNION ALL SELECT 'accounts ' || t::text FROM accounts t WHERE org_id <> 2
          UNION ALL SELECT 'sales_orders ' || t::text FROM sales_orders t WHERE org_id <> 2
          UNION ALL SELECT 'purchase_invoices ' || t::text FROM purchase_invoices t WHERE org_id <> 2
          UNION ALL SELECT 'vouchers ' || t::text FROM vouchers t WHERE org_id <> 2
          UNION ALL SELECT 'sales_order_lines ' || l::text FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.org_id <> 2
          UNION ALL SELECT 'voucher_entries ' || e::text FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id WHERE v.org_id <> 2
          UNION ALL SELECT 'regions ' || t::text FROM regions t
          UNION ALL SELECT 'customers ' || t::text FROM customers t
          UNION ALL SELECT 'suppliers ' || t::text FROM suppliers t
          UNION ALL SELECT 'items ' || t::text FROM items t) x`),
      )
    ).rows[0] as { n: number; h: string };

  /** Rows whose (single-column) foreign key points at a missing row, over every foreign key of the schema. */
  const orphanedForeignKeys = async (url: string) =>
    withPg(url, async (c) => {
      const fks = await c.query<{ child: string; col: string; parent: string; pcol: string }>(
        `SELECT k.conrelid::regclass::text AS child, a.attname AS col, k.confrelid::regclass::text AS parent, pa.attname AS pcol
           FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
           JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
          WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`,
      );
      let n = 0;
      for (const f of fks.rows)
        n += (
          await c.query(
            `SELECT count(*)::int AS n FROM ${f.child} ch WHERE ch.${f.col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${f.parent} p WHERE p.${f.pcol} = ch.${f.col})`,
          )
        ).rows[0].n;
      return { foreignKeys: fks.rowCount, orphans: n };
    });
  const validatedForeignKeys = async (url: string) =>
    (
      await withPg(url, (c) =>
        c.query("SELECT count(*)::int AS n, bool_and(convalidated) AS v FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"),
      )
    ).rows[0];

  it('with removeFromSource, removes organisation 2 from the source after the verified copy, keeping every other row and the shared master data', async () => {
    const { handle, source, target, deliveryId } = await startSplit({ parameters: { ...SPLIT, removeFromSource: true } });
    const othersBefore = await othersFingerprint(source.url);
    const fksBefore = await validatedForeignKeys(source.url);
    const orgRowsBefore = await withPg(source.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders WHERE org_id = 2'));
    expect(orgRowsBefore.rows[0].n).toBeGreaterThan(0);
    await approveCurrentPlan(handle, 'customer-cfo');
    await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);

    // The source holds nothing of organisation 2 any more; the new database holds all of it.
    for (const t of ORG_TABLES) {
      expect({ t, n: (await withPg(source.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${t} WHERE org_id = 2`))).rows[0].n }).toEqual({ t, n: 0 });
      expect((await withPg(target.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${t}`))).rows[0].n).toBeGreaterThan(0);
    }
    expect((await withPg(source.url, (c) => c.query('SELECT count(*)::int AS n FROM organisations WHERE id = 2'))).rows[0].n).toBe(0);
    expect((await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n FROM sales_orders'))).rows[0].n).toBe(orgRowsBefore.rows[0].n);
    // Other organisations' rows, their lines and all master data (also the customers organisation 2 shared) are unchanged.
    expect(await othersFingerprint(source.url)).toEqual(othersBefore);
    // Every foreign key is still there, validated, and no row points at a removed one.
    expect(await validatedForeignKeys(source.url)).toEqual({ ...fksBefore, v: true });
    expect(await orphanedForeignKeys(source.url)).toEqual({ foreignKeys: fksBefore.n, orphans: 0 });

    const reports = await new ReportStore(h.dataSource).listForDelivery(deliveryId);
    const cutover = reports.find((r) => r.kind === 'cutover')!;
    expect(cutover.summary).toMatch(/removed \d+ row\(s\) of the organisation from the source/);
    const removal = (cutover.body as { removal: { tables: { table: string; removed: number }[]; removedRows: number } }).removal;
    expect(removal.tables.find((t) => t.table === 'sales_orders')?.removed).toBe(orgRowsBefore.rows[0].n);
    expect(removal.tables.find((t) => t.table === 'customers')?.removed).toBe(0);
    // The rehearsal ran the same removal on the source and rolled it back: same rows, and the cutover still found them all.
    const rehearsal = reports.find((r) => r.kind === 'rehearsal')!;
    expect(rehearsal.summary).toMatch(/removal from the source rehearsed and rolled back: \d+ row\(s\)/);
    expect((rehearsal.body as { removalRehearsal: { removedRows: number } }).removalRehearsal.removedRows).toBe(removal.removedRows);
    expect(await scratchDatabasesOf(source.url, deliveryId)).toHaveLength(1); // the backup, until acceptance

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    expect(await handle.result()).toMatchObject({ outcome: 'accepted' });
    await recordHistory(handle, 'orgSplitDelivery-accepted-removed-from-source');
    expect(await scratchDatabasesOf(source.url, deliveryId)).toEqual([]); // backup dropped after acceptance
  });

  it('with removeFromSource, the rehearsal runs the removal and rolls it back: a trigger refusing deletes fails the rehearsal, not the cutover, and the source is untouched', async () => {
    const { handle, source, target } = await startSplit({ parameters: { ...SPLIT, removeFromSource: true } });
    await withPg(source.url, (c) =>
      c.query(`CREATE FUNCTION no_order_deletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'sales orders are never deleted'; END $$;
               CREATE TRIGGER no_order_deletes BEFORE DELETE ON sales_orders FOR EACH ROW EXECUTE FUNCTION no_order_deletes();`),
    );
    const sourceBefore = await withPg(source.url, (c) => fingerprintDatabase(c));
    const targetBefore = await withPg(target.url, (c) => fingerprintDatabase(c));
    await approveCurrentPlan(handle, 'customer-cfo');
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'test', type: 'RehearsalFailed' });
    expect(status.lastFailure?.message).toMatch(/sales orders are never deleted/);
    expect(status.reports.map((r) => r.kind)).not.toContain('cutover');
    // Document lines were deleted before the trigger refused their orders: all of it rolled back.
    const sourceAfter = await withPg(source.url, (c) => fingerprintDatabase(c));
    expect(sourceAfter.schema).toEqual(sourceBefore.schema);
    expect(sourceAfter.hash).toBe(sourceBefore.hash);
    expect((await withPg(target.url, (c) => fingerprintDatabase(c))).hash).toBe(targetBefore.hash);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    await recordHistory(handle, 'orgSplitDelivery-removal-rehearsal-failed-then-cancelled');
  });

  it('with removeFromSource, a removal that fails after the copy restores the source from its backup, identical to before', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle, source, target, deliveryId } = await startSplit({
      parameters: { ...SPLIT, removeFromSource: true },
      cutoverWindow: { startsAt: future, durationMinutes: 30 },
    });
    await approveCurrentPlan(handle, 'customer-cfo');
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 90_000);
    // After the rehearsal, a trigger on the source starts refusing deletes of sales orders: their
    // lines (children first) are already deleted when the removal fails.
    await withPg(source.url, (c) =>
      c.query(`CREATE FUNCTION no_order_deletes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'sales orders are never deleted'; END $$;
               CREATE TRIGGER no_order_deletes BEFORE DELETE ON sales_orders FOR EACH ROW EXECUTE FUNCTION no_order_deletes();`),
    );
    const sourceBefore = await withPg(source.url, (c) => fingerprintDatabase(c));
    const targetBefore = await withPg(target.url, (c) => fingerprintDatabase(c));

    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover' });
    expect(status.lastFailure?.message).toMatch(/sales orders are never deleted/);

    const sourceAfter = await withPg(source.url, (c) => fingerprintDatabase(c));
    expect(sourceAfter.schema).toEqual(sourceBefore.schema);
    expect(sourceAfter.hash).toBe(sourceBefore.hash);
    const targetAfter = await withPg(target.url, (c) => fingerprintDatabase(c));
    expect(targetAfter.hash).toBe(targetBefore.hash);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    await recordHistory(handle, 'orgSplitDelivery-removal-failed-source-restored');
    // A cancelled delivery keeps its source backup (as upgrade and carryover do); the test cleans it up.
    for (const name of await scratchDatabasesOf(source.url, deliveryId))
      await withPg(source.url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('blocks assessment with a non-retryable InvalidParameters naming what does not fit the source, its report listed', async () => {
    const { handle, deliveryId } = await startSplit({
      parameters: { organisations: ['2', '99'], organisationTable: 'organisations', organisationColumns: [{ table: 'vouchers', column: 'company' }] },
    });
    const status = await cancelWhenBlocked(handle);
    expect(status.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
    expect(status.lastFailure?.message).toMatch(/vouchers.*no column "company"/);
    expect(status.reports.map((r) => r.kind)).toEqual(['assessment']);
    const row = await new DeliveryStore(h.dataSource).find(deliveryId);
    expect(row).toMatchObject({ phase: 'cancelled', lastFailure: { phase: 'assessment', type: 'InvalidParameters' } });
    await recordHistory(handle, 'orgSplitDelivery-invalid-parameters-blocked-then-cancelled');
  });

  it('is cancelled while waiting for the contract, leaving the target untouched', async () => {
    const { handle, target } = await startSplit({ contractRef: undefined });
    await waitForStatus(handle, (s) => s.awaiting === 'contractSignature');
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
    expect((await withPg(target.url, (c) => c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))).rows[0].n).toBe(0);
    await recordHistory(handle, 'orgSplitDelivery-cancelled-awaiting-contract');
  });
});
