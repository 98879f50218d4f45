import { Client, WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import Sqlite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { confirmAcceptanceUpdate, DatabaseConversionParameters, deliveryStatusQuery, moveCutoverWindowUpdate } from '@sdo/contracts';
import { DeliveryStore, ReportStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { deliveryTag } from '@sdo/pg-kit';
import { startDoomedWorker } from '../support/doomed-worker';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chinookDir, createMysqlDatabase, loadChinookMysql, mysqlExec } from '@sdo/data-engine/testing';
import { approveCurrentPlan, registerEnvironment, sqliteFilePath, startDelivery } from '../support/deliveries';
import { recordHistory } from '../support/histories';
import { connectionFields, withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const CHINOOK_ROWS = 15_607;
const log = (...args: unknown[]) => process.stdout.write(`[database-conversion] ${args.join(' ')}\n`);

describe('database conversion (MariaDB → PostgreSQL) on real Temporal and databases', () => {
  let h: WorkerHarness;
  let appDb: ScratchDatabase;
  const taskQueue = `conversion-${randomUUID()}`;
  const secretsKey = SecretBox.generateKey();
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    // The app database outlives a harness, so a test can replace the worker mid-copy.
    appDb = await createScratchDatabase('sdo_app');
    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
  });

  afterAll(async () => {
    await h?.close();
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await appDb?.drop();
  });

  /** A Chinook MariaDB source and an empty PostgreSQL target, registered; `extraSql` shapes the source. */
  async function environments(extraSql?: string, dataSource: DataSource = h.dataSource) {
    const source = await createMysqlDatabase('conv_src');
    cleanups.push(source.drop);
    await loadChinookMysql(source.name);
    if (extraSql) await mysqlExec(source.url, extraSql);
    const target = await createScratchDatabase('conv_tgt');
    cleanups.push(target.drop);
    const sourceId = await registerEnvironment({ dataSource, secretsKey }, { mysql: source.url });
    const targetId = await registerEnvironment({ dataSource, secretsKey }, { postgres: target.url });
    return { source, target, sourceId, targetId };
  }

  const startConversion = (
    envs: { sourceId: string; targetId: string },
    parameters: DatabaseConversionParameters = { targetSchema: 'erp' },
    startsAt?: string,
  ) => startConversionWith(h, envs, parameters, startsAt);

  /** Starts a database conversion of `envs` on the worker `on`; `startsAt` opens its cutover window later than the default (the epoch). */
  const startConversionWith = (
    on: { client: Client; dataSource: DataSource },
    envs: { sourceId: string; targetId: string },
    parameters: DatabaseConversionParameters,
    startsAt?: string,
  ) =>
    startDelivery(
      { ...on, taskQueue },
      {
        serviceType: 'database-conversion',
        environments: { source: envs.sourceId, target: envs.targetId },
        parameters,
        ...(startsAt ? { cutoverWindow: { startsAt, durationMinutes: 60 } } : {}),
      },
    ).then((started) => {
      ownDeliveries.add(deliveryTag(started.deliveryId));
      return started;
    });

  const tablesIn = (url: string, schema: string) =>
    withPg(url, async (c) =>
      (await c.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).rows.map((r) => r.table_name as string),
    );
  /** Scratch databases of this file's deliveries: other spec files run beside it on the same server. */
  const ownDeliveries = new Set<string>();
  const scratchDatabases = (url: string) =>
    withPg(url, async (c) =>
      (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sdo_scratch_%'")).rows.filter((r) =>
        [...ownDeliveries].some((tag) => r.datname.includes(`_${tag}_`)),
      ),
    );

  /** The most activities of `type` the delivery had running at once, read from its history. */
  async function mostAtOnce(handle: WorkflowHandle, type: 'copyTables' | 'verifyTables'): Promise<number> {
    const scheduled = new Set<string>();
    let running = 0;
    let most = 0;
    for (const e of (await handle.fetchHistory()).events ?? []) {
      if (e.activityTaskScheduledEventAttributes?.activityType?.name === type) {
        scheduled.add(String(e.eventId));
        most = Math.max(most, ++running);
      }
      const ended =
        e.activityTaskCompletedEventAttributes ??
        e.activityTaskFailedEventAttributes ??
        e.activityTaskTimedOutEventAttributes ??
        e.activityTaskCanceledEventAttributes;
      if (ended && scheduled.has(String(ended.scheduledEventId))) running--;
    }
    return most;
  }

  it('converts Chinook from MariaDB into PostgreSQL from start to accepted, verified table by table', async () => {
    const envs = await environments();
    const t0 = Date.now();
    // Two lanes chosen by the order: Chinook alone (15,607 rows) would be one unit by default.
    const { handle, deliveryId } = await startConversion(envs, { targetSchema: 'erp', parallelTables: 2 });
    const planned = await waitForStatus(handle, (s) => s.awaiting === 'planApproval');
    const tPlan = Date.now();
    const reports = new ReportStore(h.dataSource);
    const assessment = await reports.get(planned.reports[0]!.reportId);
    expect(assessment?.body).toMatchObject({ sourceEngine: 'mysql', size: { tables: 11, rows: CHINOOK_ROWS } });
    const plan = await reports.get(planned.reports[1]!.reportId);
    expect((plan?.body['ddl'] as string[]).some((d) => d.includes('"erp"."invoice_line"'))).toBe(true);
    expect(plan?.body['rollback']).toMatch(/drops every table/);
    expect(plan?.body['parallelism']).toMatch(/^2 copy activities at a time, largest tables first/);

    await approveCurrentPlan(handle);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 120_000);
    const tAccept = Date.now();
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const rehearsal = await reports.get(accepting.reports[2]!.reportId);
    expect(rehearsal?.body).toMatchObject({ passed: true, totals: { tables: 11, rowsLoaded: CHINOOK_ROWS, rowsRejected: 0 } });
    const cutover = await reports.get(accepting.reports[3]!.reportId);
    expect(cutover?.body).toMatchObject({ verified: true, targetSchema: 'erp' });

    // The target really holds Chinook, keys and foreign keys included.
    expect(await tablesIn(envs.target.url, 'erp')).toEqual([
      'album',
      'artist',
      'customer',
      'employee',
      'genre',
      'invoice',
      'invoice_line',
      'media_type',
      'playlist',
      'playlist_track',
      'track',
    ]);
    const counts = await withPg(envs.target.url, (c) =>
      c.query('SELECT (SELECT count(*) FROM erp.invoice_line)::int AS lines, (SELECT sum(unit_price * quantity) FROM erp.invoice_line)::text AS total'),
    );
    expect(counts.rows[0]).toEqual({ lines: 2240, total: '2328.60' });
    await expect(
      withPg(envs.target.url, (c) => c.query('INSERT INTO erp.album (album_id, title, artist_id) VALUES (9999, $1, 99999)', ['orphan'])),
    ).rejects.toThrow(/foreign key/);
    const fks = await withPg(envs.target.url, (c) =>
      c.query("SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'erp'::regnamespace"),
    );
    expect(fks.rows[0].n).toBe(11);
    expect(await scratchDatabases(envs.target.url)).toEqual([]);
    // Two lanes: the small tables in two activities, copied and verified two at a time; reports still list tables in plan order.
    expect(await mostAtOnce(handle, 'copyTables')).toBe(2);
    expect(await mostAtOnce(handle, 'verifyTables')).toBe(2);
    const planOrder = (plan?.body['tableOrder'] as { target: string }[]).map((t) => `erp.${t.target}`);
    expect(planOrder.slice(0, 2)).toEqual(['erp.artist', 'erp.employee']); // foreign-key order, not size order
    expect((cutover?.body['tables'] as { table: string }[]).map((t) => t.table)).toEqual(planOrder);

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'completed', progress: 100 });
    log(
      `Chinook ${CHINOOK_ROWS} rows / 11 tables: start→plan ${tPlan - t0} ms, approval→acceptance (rehearsal + cutover) ${tAccept - tPlan} ms; rehearsal copy+verify ${rehearsal?.body['durationMs']} ms, cutover copy+verify ${cutover?.body['durationMs']} ms`,
    );
    // Environments travel as IDs: no password, connection string or host in the history.
    const history = JSON.stringify(await handle.fetchHistory());
    const fields = connectionFields(envs.target.url);
    for (const leak of [fields.password, envs.target.url, envs.source.url, `${fields.host}:${fields.port}`]) expect(history).not.toContain(leak);
    await recordHistory(handle, 'databaseConversionDelivery-accepted');
  });

  it('converts Chinook from SQLite too', async () => {
    const sqlitePath = sqliteFilePath(`chinook-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), sqlitePath);
    cleanups.push(async () => rmSync(sqlitePath, { force: true }));
    const target = await createScratchDatabase('conv_tgt');
    cleanups.push(target.drop);
    const envs = { sourceId: await registerEnvironment(h, { sqlite: sqlitePath }), targetId: await registerEnvironment(h, { postgres: target.url }) };
    // Lanes left at the default: a job this small is one copy and one verify activity per pass.
    const { handle } = await startConversion(envs, { targetSchema: 'chinook' });
    const planned = await waitForStatus(handle, (s) => s.awaiting === 'planApproval');
    const plan = await new ReportStore(h.dataSource).get(planned.reports[1]!.reportId);
    expect(plan?.body['parallelism']).toMatch(/^one copy activity for all 11 table\(s\): 15,607 rows in all/);
    await approveCurrentPlan(handle);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 120_000);
    const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
    expect(cutover?.body).toMatchObject({ verified: true, targetSchema: 'chinook' });
    const lines = await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n, sum(unit_price * quantity)::text AS total FROM chinook.invoice_line'));
    expect(lines.rows[0]).toEqual({ n: 2240, total: '2328.60' });
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = (type: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
    expect({ copies: scheduled('copyTables'), verifications: scheduled('verifyTables') }).toEqual({ copies: 2, verifications: 2 });
    await handle.cancel();
  });

  it('converts a database of 250 small tables with a handful of activities: the history stays short', async () => {
    const sqlitePath = sqliteFilePath(`many-${randomUUID()}.sqlite`);
    const db = new Sqlite(sqlitePath);
    for (let i = 1; i <= 250; i++)
      db.exec(`CREATE TABLE t${i} (id INTEGER PRIMARY KEY, label TEXT NOT NULL); INSERT INTO t${i} VALUES (1, 'a${i}'), (2, 'b${i}'), (3, 'c${i}');`);
    db.close();
    cleanups.push(async () => rmSync(sqlitePath, { force: true }));
    const target = await createScratchDatabase('conv_many');
    cleanups.push(target.drop);
    const envs = { sourceId: await registerEnvironment(h, { sqlite: sqlitePath }), targetId: await registerEnvironment(h, { postgres: target.url }) };
    const { handle } = await startConversion(envs, { targetSchema: 'many' });
    await approveCurrentPlan(handle);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 120_000);
    const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
    const tables = cutover?.body['tables'] as { verified: string; rowsLoaded: number }[];
    expect(tables).toHaveLength(250);
    expect(tables.every((t) => t.verified === 'equal' && t.rowsLoaded === 3)).toBe(true);
    expect((await withPg(target.url, (c) => c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'many'"))).rows[0].n).toBe(
      250,
    );
    // Four copy and four verify activities per pass (250 small tables dealt over two lanes, at most 100 to an activity),
    // rehearsal and cutover: one activity per table would have meant 1,000 activities and some 4,000 history events.
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = (type: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
    expect({ copies: scheduled('copyTables'), verifications: scheduled('verifyTables') }).toEqual({ copies: 8, verifications: 8 });
    log(`250 tables converted; history of ${events.length} events`);
    expect(events.length).toBeLessThan(400);
    await handle.cancel();
  });

  it('assesses incompatibilities (unsupported types, long identifiers, case collisions, keyless tables, reserved words) and waits for the manager on blocking ones', async () => {
    const source = await createMysqlDatabase('conv_bad');
    cleanups.push(source.drop);
    await mysqlExec(
      source.url,
      [
        'CREATE TABLE Places (PlaceId INT PRIMARY KEY, Flags BIT(8))', // POINT converts since #9; BIT still has no mapping
        'CREATE TABLE Receipts (ReceiptId INT PRIMARY KEY, InvoiceId INT, invoice_id INT)',
        'CREATE TABLE audit_log (message TEXT)',
        'CREATE TABLE `order` (id INT PRIMARY KEY, `user` VARCHAR(10))',
        `CREATE TABLE Notes (id INT PRIMARY KEY, ${'a'.repeat(64)} INT)`,
      ].join(';\n'),
    );
    const target = await createScratchDatabase('conv_tgt');
    cleanups.push(target.drop);
    const envs = { sourceId: await registerEnvironment(h, { mysql: source.url }), targetId: await registerEnvironment(h, { postgres: target.url }) };
    const { handle, deliveryId } = await startConversion(envs);
    // A blocking finding waits for the manager (assessmentBlocked) instead of ending the delivery.
    const blocked = await waitForStatus(handle, (s) => s.awaiting === 'assessmentBlocked', 150_000);
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', type: 'UnsupportedType' });
    await handle.cancel();
    await handle.result().catch(() => undefined);
    const [assessment] = await new ReportStore(h.dataSource).listForDelivery(deliveryId);
    const findings = (assessment?.body['incompatibilities'] as { severity: string; kind: string; object: string }[])
      .map((f) => `${f.severity} ${f.kind} ${f.object}`)
      .sort();
    expect(findings).toEqual([
      'blocking case-collision Receipts.invoice_id',
      `blocking identifier-too-long Notes.${'a'.repeat(64)}`,
      'blocking unsupported-type Places.Flags',
      'warning reserved-word order',
      'warning reserved-word order.user',
      'warning table-without-key audit_log',
    ]);
    expect(assessment?.body['estimate']).toMatchObject({ throughputRowsPerSecond: 20_000 });
  });

  it('fails the rehearsal on rejected rows (NUL byte) and sends the delivery back to planning; the scratch database is dropped', async () => {
    const envs = await environments("INSERT INTO Artist (ArtistId, Name) VALUES (9001, CONCAT('AC', CHAR(0), 'DC'));");
    const { handle } = await startConversion(envs);
    await approveCurrentPlan(handle);
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 120_000);
    expect(status.lastFailure).toMatchObject({ phase: 'test', type: 'RehearsalFailed' });
    expect(status.lastFailure?.message).toMatch(/artist: 1 row\(s\) rejected/);
    expect(await scratchDatabases(envs.target.url)).toEqual([]);
    expect(await tablesIn(envs.target.url, 'erp')).toEqual([]);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'databaseConversionDelivery-rehearsal-failed-then-cancelled');
  });

  it('rolls back a cutover that fails after creating tables: the target is as before', async () => {
    const envs = await environments();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle } = await startConversion(envs, { targetSchema: 'erp' }, future);
    await approveCurrentPlan(handle);
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 120_000);
    // After the rehearsal someone breaks referential integrity without changing counts or schema:
    // the cutover copies everything, then cannot add the foreign key.
    await mysqlExec(envs.source.url, 'SET SESSION foreign_key_checks = 0; UPDATE Track SET AlbumId = 99999 WHERE TrackId = 1;');
    const before = { tables: await tablesIn(envs.target.url, 'erp'), control: await tablesIn(envs.target.url, 'sdo_copy') };
    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.phase === 'plan' && s.awaiting === 'planApproval' && s.plans.length === 2, 120_000);
    expect(status.lastFailure?.phase).toBe('cutover');
    expect(status.lastFailure?.message).toMatch(/foreign key/i);
    expect(status.events.map((e) => e.note).join('\n')).toMatch(/compensations run: drop the 11 table\(s\) the cutover created in erp/);
    expect({ tables: await tablesIn(envs.target.url, 'erp'), control: await tablesIn(envs.target.url, 'sdo_copy') }).toEqual(before);
    expect(await withPg(envs.target.url, async (c) => (await c.query("SELECT nspname FROM pg_namespace WHERE nspname IN ('erp', 'sdo_copy')")).rows)).toEqual(
      [],
    );
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'databaseConversionDelivery-cutover-rolled-back-then-cancelled');
  });

  it('stops a cutover on source drift since the rehearsal (SchemaDrift), creating nothing', async () => {
    const envs = await environments();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle } = await startConversion(envs, { targetSchema: 'erp' }, future);
    await approveCurrentPlan(handle);
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 120_000);
    await mysqlExec(envs.source.url, "ALTER TABLE Genre ADD COLUMN Mood VARCHAR(20); INSERT INTO Genre (GenreId, Name) VALUES (99, 'Guqin');");
    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2, 60_000);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover', type: 'SchemaDrift' });
    expect(status.lastFailure?.message).toMatch(/columns of Genre changed; Genre: 25 → 26 rows/);
    expect(await tablesIn(envs.target.url, 'erp')).toEqual([]);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'databaseConversionDelivery-source-drift-then-cancelled');
  });

  it('survives its worker dying mid-copy, shows rows done while copying, and a cancel mid-copy leaves nothing behind', async () => {
    // 400k ledger rows make the copy long enough to stop the worker inside it.
    // The only worker on the queue is one with no shutdown grace: stopping it aborts the running chunk like a crash would.
    await h.close();
    const doomed = await startDoomedWorker({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const envs = await environments(
      'CREATE TABLE ledger_entry (id INT PRIMARY KEY, account VARCHAR(20) NOT NULL, amount DECIMAL(14,2) NOT NULL, memo VARCHAR(80)); ' +
        "INSERT INTO ledger_entry SELECT seq, CONCAT('6001.', seq % 97), (seq % 100000) / 100, CONCAT('entry ', seq) FROM seq_1_to_400000;",
      doomed.dataSource,
    );
    const started = await startConversionWith(doomed, envs, { targetSchema: 'erp', chunkRows: 5000 });
    await approveCurrentPlan(started.handle);
    const copying = await waitForStatus(started.handle, (s) => /copying — \d+\/12 tables/.test(s.step) && /now ledger_entry/.test(s.step), 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // some chunks of ledger_entry commit
    log(`status while copying: ${copying.step}`);
    const tKill = Date.now();
    await doomed.stop();
    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const handle = h.client.workflow.getHandle(started.handle.workflowId);
    const next = await waitForStatus(handle, (s) => s.phase === 'cutover' && /copying/.test(s.step), 120_000);
    log(`worker replaced; the rehearsal finished and the cutover copy runs ${Date.now() - tKill} ms later (${next.step})`);
    const reports = new ReportStore(h.dataSource);
    const rehearsal = await reports.get(next.reports.find((r) => r.kind === 'rehearsal')!.reportId);
    expect(rehearsal?.body).toMatchObject({ passed: true, totals: { tables: 12, rowsLoaded: CHINOOK_ROWS + 400_000, rowsRejected: 0 } });
    const ledger = (rehearsal?.body['tables'] as { table: string; resumedAtChunk: number; verified: string }[]).find((t) => /ledger_entry/.test(t.table));
    log(`ledger_entry in the rehearsal: ${JSON.stringify(ledger)}; rehearsal copy+verify ${rehearsal?.body['durationMs']} ms`);
    expect(ledger).toMatchObject({ verified: 'equal', rowsLoaded: 400_000 });
    expect(ledger!.resumedAtChunk).toBeGreaterThan(0);

    // Cancelled in the middle of the cutover copy: compensation drops what the cutover created.
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const final = await handle.query(deliveryStatusQuery);
    expect(final.phase).toBe('cancelled');
    expect(final.events.map((e) => e.note).join('\n')).toMatch(/compensations run: drop the 12 table\(s\)/);
    expect(await tablesIn(envs.target.url, 'erp')).toEqual([]);
    expect(await scratchDatabases(envs.target.url)).toEqual([]);
    await recordHistory(handle, 'databaseConversionDelivery-worker-died-then-cancelled-mid-copy');
  });
});
