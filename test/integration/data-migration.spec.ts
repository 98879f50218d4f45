import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import Sqlite from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { confirmAcceptanceUpdate, DataMigrationParameters, deliveryStatusQuery, moveCutoverWindowUpdate } from '@sdo/contracts';
import { ScratchPrefix, scratchName } from '@sdo/pg-kit';
import { createAppDataSource, DeliveryStore, ReportStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, testStack, type ScratchDatabase } from '@sdo/testing';
import { startWorkerProcess } from '../support/worker-process';
import { chinookDir } from '@sdo/data-engine/testing';
import { testTemporalClient } from '@sdo/api/testing';
import { chinookMapping, TRACK_CATALOGUE_QUERY, trackCatalogueMapping } from '../fixtures/migration/chinook-mapping';
import { approveCurrentPlan, registerEnvironment, sqliteFilePath, startDelivery } from '../support/deliveries';
import { recordHistory } from '../support/histories';
import { withPg } from '../support/fixtures';
import { cancelWhenBlocked, waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const NEW_PRODUCT_SQL = readFileSync(join(__dirname, '..', 'fixtures', 'migration', 'new-product.sql'), 'utf8');
const log = (...args: unknown[]) => process.stdout.write(`[data-migration] ${args.join(' ')}\n`);

describe('data migration (Chinook on SQLite → a new product schema on PostgreSQL) on real Temporal and databases', () => {
  let h: WorkerHarness;
  let appDb: ScratchDatabase;
  const taskQueue = `migration-${randomUUID()}`;
  const secretsKey = SecretBox.generateKey();
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    // The app database outlives a harness, so a test can replace the worker mid-load.
    appDb = await createScratchDatabase('sdo_app');
    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
  });

  afterAll(async () => {
    await h?.close();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await appDb?.drop();
  });

  /** A private copy of Chinook's SQLite file (the old product) and an empty new-product database. */
  async function environments(dataSource: DataSource = h.dataSource, extraSql?: string) {
    const sqlitePath = sqliteFilePath(`chinook-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), sqlitePath);
    if (extraSql) {
      const db = new Sqlite(sqlitePath);
      db.exec(extraSql);
      db.close();
    }
    cleanups.push(async () => rmSync(sqlitePath, { force: true }));
    const target = await createScratchDatabase('newprod');
    cleanups.push(target.drop);
    await withPg(target.url, (c) => c.query(NEW_PRODUCT_SQL));
    const sourceId = await registerEnvironment({ dataSource, secretsKey }, { sqlite: sqlitePath });
    const targetId = await registerEnvironment({ dataSource, secretsKey }, { postgres: target.url });
    return { sqlitePath, target, sourceId, targetId };
  }

  const startMigration = (envs: { sourceId: string; targetId: string }, parameters: DataMigrationParameters, startsAt?: string) =>
    startMigrationWith(h, envs, parameters, startsAt);

  /** Starts a data migration of `envs` on the worker `on`; `startsAt` opens its cutover window later than the default (the epoch). */
  const startMigrationWith = (
    on: { client: Client; dataSource: DataSource },
    envs: { sourceId: string; targetId: string },
    parameters: DataMigrationParameters,
    startsAt?: string,
  ) =>
    startDelivery(
      { ...on, taskQueue },
      {
        serviceType: 'data-migration',
        environments: { source: envs.sourceId, target: envs.targetId },
        parameters,
        ...(startsAt ? { cutoverWindow: { startsAt, durationMinutes: 60 } } : {}),
      },
    );

  /** The attempt each `loadMapping` ran in, as the history records it. */
  const loadAttempts = async (handle: WorkflowHandle): Promise<number[]> => {
    const events = (await handle.fetchHistory()).events ?? [];
    const loads = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'loadMapping').map((e) => String(e.eventId)));
    return events
      .filter((e) => loads.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
      .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
  };
  const counts = (url: string) =>
    withPg(
      url,
      async (c) =>
        (
          await c.query(
            'SELECT (SELECT count(*) FROM sales_rep)::int AS reps, (SELECT count(*) FROM customer_account)::int AS customers, (SELECT count(*) FROM sales_invoice)::int AS invoices, (SELECT count(*) FROM invoice_line)::int AS lines',
          )
        ).rows[0],
    );

  it('maps Chinook into customer_account / sales_invoice / invoice_line from start to accepted, reconciled per mapping with reasons for every reject', async () => {
    const envs = await environments();
    const t0 = Date.now();
    const { handle, deliveryId } = await startMigration(envs, chinookMapping());
    await approveCurrentPlan(handle);
    const tPlan = Date.now();
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    const tAccept = Date.now();
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const reports = new ReportStore(h.dataSource);
    const cutover = await reports.get(accepting.reports[3]!.reportId);
    expect(cutover?.body['reconciliation']).toEqual([
      { mapping: 'sales reps', target: 'sales_rep', sourceRows: 8, filteredOut: 5, loaded: 3, rejected: 0, balanced: true },
      { mapping: 'customers', target: 'customer_account', sourceRows: 59, filteredOut: 0, loaded: 58, rejected: 1, balanced: true },
      { mapping: 'invoices', target: 'sales_invoice', sourceRows: 412, filteredOut: 0, loaded: 405, rejected: 7, balanced: true },
      { mapping: 'invoice lines', target: 'invoice_line', sourceRows: 2240, filteredOut: 0, loaded: 2202, rejected: 38, balanced: true },
    ]);
    const rejects = cutover?.body['rejectedRows'] as { mapping: string; rowKey: string; reason: string }[];
    expect(rejects).toHaveLength(46);
    expect(rejects[0]).toEqual({ mapping: 'customers', rowKey: '56', reason: 'country_code: value "Argentina" has no entry in the value map' });
    expect(rejects[1]).toMatchObject({ mapping: 'invoices', reason: 'customer_account_id: no customer_account row with legacy_customer_id = "56"' });

    // The new product's data: looked-up keys, mapped values, every cent (2328.60 in Chinook less Argentina's 37.62).
    expect(await counts(envs.target.url)).toEqual({ reps: 3, customers: 58, invoices: 405, lines: 2202 });
    const sample = await withPg(envs.target.url, (c) =>
      c.query(
        `SELECT a.display_name, a.country_code, r.full_name AS rep, (SELECT sum(total)::text FROM sales_invoice) AS total
         FROM customer_account a JOIN sales_rep r ON r.id = a.sales_rep_id WHERE a.legacy_customer_id = 1`,
      ),
    );
    expect(sample.rows[0]).toEqual({ display_name: 'Luís Gonçalves', country_code: 'BR', rep: 'Jane Peacock', total: '2290.98' });

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'completed' });
    const rehearsal = await reports.get(accepting.reports[2]!.reportId);
    log(
      `Chinook (SQLite, 2719 rows mapped through 4 mappings): start→plan approval ${tPlan - t0} ms, approval→acceptance ${tAccept - tPlan} ms; rehearsal ${rehearsal?.body['durationMs']} ms, cutover ${cutover?.body['durationMs']} ms`,
    );
    await recordHistory(handle, 'dataMigrationDelivery-accepted');
  });

  it('loads a table from a query source (a join with a per-track count) in keyset chunks, equal to the same facts computed from the old tables', async () => {
    const envs = await environments();
    const { handle, deliveryId } = await startMigration(envs, { mappings: [trackCatalogueMapping()], chunkRows: 400 });
    await approveCurrentPlan(handle);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    const reports = new ReportStore(h.dataSource);
    const assessment = await reports.get(accepting.reports[0]!.reportId);
    expect(assessment?.body['mappings']).toEqual([
      expect.objectContaining({
        mapping: 'track catalogue',
        source: 'the query of mapping "track catalogue"',
        query: TRACK_CATALOGUE_QUERY,
        orderedBy: 'TrackId',
        sourceRows: 3503,
        returns: expect.stringMatching(/^TrackId INTEGER, Title NVARCHAR\(200\), .*TimesSold integer$/),
      }),
    ]);
    const cutover = await reports.get(accepting.reports[3]!.reportId);
    expect(cutover?.body['reconciliation']).toEqual([
      { mapping: 'track catalogue', target: 'catalog_track', sourceRows: 3503, filteredOut: 0, loaded: 3503, rejected: 0, balanced: true },
    ]);

    // The oracle: the same facts, formulated differently (GROUP BY over an outer join), straight from the old product's tables.
    const db = new Sqlite(envs.sqlitePath, { readonly: true });
    const oracle = db
      .prepare(
        `SELECT t.TrackId AS id, ar.Name AS artist, coalesce(g.Name, '') AS genre, count(il.InvoiceLineId) AS sold
         FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Artist ar ON ar.ArtistId = al.ArtistId
         LEFT JOIN Genre g ON g.GenreId = t.GenreId LEFT JOIN InvoiceLine il ON il.TrackId = t.TrackId
        GROUP BY t.TrackId ORDER BY t.TrackId`,
      )
      .all();
    db.close();
    const loaded = await withPg(envs.target.url, (c) =>
      c.query(`SELECT legacy_track_id AS id, artist, coalesce(genre, '') AS genre, times_sold AS sold FROM catalog_track ORDER BY legacy_track_id`),
    );
    expect(loaded.rows).toHaveLength(3503);
    expect(loaded.rows).toEqual(oracle);
    const totals = await withPg(envs.target.url, (c) =>
      c.query(`SELECT sum(times_sold)::int AS sold, sum(unit_price * times_sold)::text AS revenue FROM catalog_track`),
    );
    expect(totals.rows[0]).toEqual({ sold: 2240, revenue: '2328.60' }); // Chinook's whole turnover: every line priced at its track's price

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'completed' });
  });

  it('refuses at assessment a query source that cannot be read by its key or does not run, naming the mapping, without retrying', async () => {
    const envs = await environments();
    const cases = [
      {
        source: { query: 'SELECT il.TrackId, il.UnitPrice FROM InvoiceLine il', key: ['TrackId'] },
        message: /^Mapping "track catalogue", source query: its key \(TrackId\) is not unique: \d+ value\(s\) occur more than once\.$/,
      },
      {
        source: { query: 'SELECT TrackId, GenreId FROM Track', key: ['GenreId'] },
        message: /^Mapping "track catalogue", source query: its key \(GenreId\) is not unique/,
      },
      {
        source: { query: 'SELECT TrackId, Name FROM Track', key: ['Id'] },
        message: /^Mapping "track catalogue", key column "Id": is not a column the source query returns\.$/,
      },
      { source: { query: 'SELECT * FROM Tracks', key: ['TrackId'] }, message: /^Mapping "track catalogue", source query: SQLite: no such table: Tracks$/ },
      // Vetted by the worker too (a delivery started before the API vetted them): refused before the source runs them.
      {
        source: { query: "SELECT TrackId, load_extension('/tmp/x') AS e FROM Track", key: ['TrackId'] },
        message:
          /^Mapping "track catalogue", source query: calls load_extension\(\), which is not on the list of side-effect-free functions a query source may use\.$/,
      },
      {
        source: { query: 'WITH gone AS (DELETE FROM Track RETURNING TrackId) SELECT TrackId FROM gone', key: ['TrackId'] },
        message: /^Mapping "track catalogue", source query: has a WITH query "gone" that is not a SELECT\.$/,
      },
    ];
    const started = await Promise.all(cases.map((c) => startMigration(envs, { mappings: [trackCatalogueMapping(c.source)] })));
    for (const [i, { handle, deliveryId }] of started.entries()) {
      expect((await cancelWhenBlocked(handle)).lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
      const row = await new DeliveryStore(h.dataSource).find(deliveryId);
      expect(row?.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
      expect(row?.lastFailure?.message).toMatch(cases[i]!.message);
    }
    expect(await withPg(envs.target.url, (c) => c.query('SELECT count(*)::int AS n FROM catalog_track'))).toMatchObject({ rows: [{ n: 0 }] });
  });

  it('refuses a mapping that does not fit the schemas at assessment, naming mapping and column, without retrying', async () => {
    const envs = await environments();
    const bad = chinookMapping();
    bad.mappings[1]!.columns[3] = { target: 'country_code', expr: 'upper(Contry)' };
    const { handle, deliveryId } = await startMigration(envs, bad);
    // The delivery waits for the manager to amend the mapping (or cancel), with the reason.
    const blocked = await cancelWhenBlocked(handle);
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
    expect(blocked.events.filter((e) => /Assessment blocked/.test(e.note))).toHaveLength(1);
    const row = await new DeliveryStore(h.dataSource).find(deliveryId);
    expect(row?.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
    expect(row?.lastFailure?.message).toBe('Mapping "customers", column "country_code": source column "Contry" does not exist in Customer.');
    await recordHistory(handle, 'dataMigrationDelivery-invalid-mapping-blocked-then-cancelled');
  });

  it('fails the rehearsal when more rows are rejected than allowed, and goes back to planning', async () => {
    const envs = await environments();
    const { handle } = await startMigration(envs, chinookMapping({ maxRejectedRows: 0 }));
    await approveCurrentPlan(handle);
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'test', type: 'RehearsalFailed' });
    expect(status.lastFailure?.message).toMatch(/46 row\(s\) rejected, more than the 0 allowed \(customers: 1, invoices: 7, invoice lines: 38\)/);
    expect(await counts(envs.target.url)).toEqual({ reps: 0, customers: 0, invoices: 0, lines: 0 });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'dataMigrationDelivery-rehearsal-failed-then-cancelled');
  });

  it('rolls back a cutover that fails half-way: the target tables are empty again', async () => {
    const envs = await environments();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle } = await startMigration(envs, chinookMapping(), future);
    await approveCurrentPlan(handle);
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 90_000);
    // After the rehearsal the new product gets a trigger that refuses the migration's invoices.
    await withPg(envs.target.url, (c) =>
      c.query(`
      CREATE FUNCTION refuse_invoice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'invoices are locked' USING ERRCODE = '42501'; END $$;
      CREATE TRIGGER refuse_invoice BEFORE INSERT ON sales_invoice FOR EACH ROW EXECUTE FUNCTION refuse_invoice();`),
    );
    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 90_000);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover', type: 'InsufficientPrivileges' });
    expect(status.events.map((e) => e.note).join('\n')).toMatch(/compensations run: empty sales_rep, customer_account, sales_invoice, invoice_line again/);
    expect(await counts(envs.target.url)).toEqual({ reps: 0, customers: 0, invoices: 0, lines: 0 });
    // The cutover's mappings are closed (tombstones: undone, no checkpoints left), so no late attempt can load again.
    const bookkeeping = await withPg(envs.target.url, (c) =>
      c.query(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE state <> 'undone')::int AS open, (SELECT count(*)::int FROM sdo_copy.checkpoint) AS chunks FROM sdo_copy.table_owner`,
      ),
    );
    expect(bookkeeping.rows[0]).toEqual({ n: 4, open: 0, chunks: 0 });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'dataMigrationDelivery-cutover-rolled-back-then-cancelled');
  });

  it('survives its worker process being SIGKILLed mid-load (the retry resumes from the checkpoint), and a cancel mid-load empties the target again', async () => {
    // Only a worker in a process of its own polls the queue until it is killed.
    await h.close();
    const stack = testStack();
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const appDataSource = await createAppDataSource(appDb.url).initialize();
    cleanups.push(
      () => connection.close(),
      () => appDataSource.destroy(),
    );
    const app = { client: testTemporalClient(connection, stack.temporalNamespace), dataSource: appDataSource };
    const doomed = await startWorkerProcess({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    cleanups.push(() => doomed.kill());
    // 300k more invoice lines make the last mapping long enough to kill the worker inside it.
    const envs = await environments(
      appDataSource,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
       INSERT INTO InvoiceLine (InvoiceId, TrackId, UnitPrice, Quantity) SELECT 1 + (i % 412), 1 + (i % 3503), 0.99, 1 + (i % 3) FROM n;`,
    );
    const started = await startMigrationWith(app, envs, chinookMapping({ chunkRows: 5000, maxRejectedRows: 100_000 }));
    await approveCurrentPlan(started.handle);
    // The rehearsal loads into its scratch copy of the target: kill once two chunks of invoice lines committed there.
    const scratch = new URL(envs.target.url);
    scratch.pathname = `/${scratchName(ScratchPrefix.scratch, started.deliveryId, 'm1')}`;
    const committed = async () =>
      withPg(scratch.toString(), (c) =>
        c.query<{ chunk_no: number; done: boolean }>(
          `SELECT (SELECT count(*)::int FROM sdo_copy.checkpoint k WHERE k.job_id = o.job_id AND k.table_name = o.table_name) AS chunk_no, o.state = 'done' AS done
             FROM sdo_copy.table_owner o WHERE o.table_name = 'invoice lines'`,
        ),
      )
        .then((r) => r.rows[0])
        .catch(() => undefined);
    const deadline = Date.now() + 90_000;
    let progress = await committed();
    while (!(progress && progress.chunk_no >= 2) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      progress = await committed();
    }
    expect(progress).toMatchObject({ done: false });
    await doomed.kill();
    const tKill = Date.now();
    log(`worker process ${doomed.pid} SIGKILLed after chunk ${progress!.chunk_no} of invoice lines`);

    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const handle = h.client.workflow.getHandle(started.handle.workflowId);
    const next = await waitForStatus(handle, (s) => s.phase === 'cutover' && /loading mapping/.test(s.step), 120_000);
    log(`a new worker took over after the heartbeat timeout; the cutover load runs ${Date.now() - tKill} ms after the kill (${next.step})`);
    const rehearsal = await new ReportStore(h.dataSource).get(next.reports.find((r) => r.kind === 'rehearsal')!.reportId);
    const lines = (rehearsal?.body['reconciliation'] as { mapping: string; sourceRows: number; loaded: number; rejected: number; balanced: boolean }[]).find(
      (r) => r.mapping === 'invoice lines',
    );
    log(
      `invoice lines in the rehearsal: ${JSON.stringify(lines)}; resumed: ${JSON.stringify(rehearsal?.body['resumedLoads'])}; rehearsal ${rehearsal?.body['durationMs']} ms`,
    );
    expect(rehearsal?.body['passed']).toBe(true);
    expect(lines).toMatchObject({ sourceRows: 302_240, balanced: true });
    expect(lines!.loaded + lines!.rejected).toBe(302_240);
    const resumed = (rehearsal?.body['resumedLoads'] as { mapping: string; resumedAtChunk: number }[]).find((r) => r.mapping === 'invoice lines');
    expect(resumed?.resumedAtChunk).toBeGreaterThanOrEqual(progress!.chunk_no);
    expect(await loadAttempts(handle)).toContain(2);

    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.query(deliveryStatusQuery)).phase).toBe('cancelled');
    expect(await counts(envs.target.url)).toEqual({ reps: 0, customers: 0, invoices: 0, lines: 0 });
    await recordHistory(handle, 'dataMigrationDelivery-worker-died-then-cancelled-mid-load');
  });
});
