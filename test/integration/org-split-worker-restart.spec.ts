import { WorkflowHandle } from '@temporalio/client';
import { openTestPayload } from '@sdo/api/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { confirmAcceptanceUpdate, moveCutoverWindowUpdate, OrgSplitParameters, SplitTableCopy } from '@sdo/contracts';
import { generateErpDataset } from '@sdo/erp-generator';
import { DeliveryStore, ReportStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { approveCurrentPlan, cutoverWindowInAnHour, registerEnvironment, startDelivery } from '../support/deliveries';
import { DoomedWorker, startDoomedWorker } from '../support/doomed-worker';
import { scratchDatabasesOf, withPg } from '../support/fixtures';
import { expectSplitOfOrganisation } from '../support/org-split-oracle';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const log = (...args: unknown[]) => process.stdout.write(`[org-split-restart] ${args.join(' ')}\n`);
/** The table the cutover copy is stopped in: the largest, and last in foreign-key order. */
const BLOCKED = 'voucher_entries';

/** Polls `probe` until it yields a value. The deadline only bounds a failure; the awaited states are stable once reached. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('org split (组织拆分) whose worker dies while its cutover copy waits on a lock, on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness | undefined;
  let doomed: DoomedWorker | undefined;
  let holder: Client | undefined;
  let handle: WorkflowHandle | undefined;
  let deliveryId: string | undefined;
  let appDb: ScratchDatabase;
  let source: ScratchDatabase;
  let target: ScratchDatabase;
  const taskQueue = `org-split-restart-${randomUUID()}`;
  const secretsKey = SecretBox.generateKey();

  /** Ends the lock holder's transaction (releasing the lock) and its connection; safe to call twice. */
  async function releaseLock(): Promise<void> {
    const c = holder;
    holder = undefined;
    if (!c) return;
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end().catch(() => undefined);
  }

  beforeAll(async () => {
    appDb = await createScratchDatabase('sdo_app');
    source = await createScratchDatabase('erp_group');
    target = await createScratchDatabase('erp_org2_new');
    const summary = await withPg(source.url, (c) =>
      generateErpDataset(c, { seed: 29, organisations: 3, years: 2, documentsPerOrgPerYear: Number(process.env['ORG_SPLIT_DOCS'] ?? 1000) }),
    );
    log(`dataset: ${JSON.stringify(summary.rows)} generated in ${summary.elapsedMs} ms`);
  });

  afterAll(async () => {
    // Whatever happened above: no lock held, no worker left, no delivery left running, no database left behind.
    await releaseLock();
    await doomed?.stop().catch(() => undefined);
    if (handle) {
      const running = await handle
        .describe()
        .then((d) => d.status.name === 'RUNNING')
        .catch(() => false);
      if (running) await handle.terminate('test cleanup').catch(() => undefined);
    }
    await h?.close();
    if (deliveryId) {
      for (const url of [source?.url, target?.url].filter(Boolean) as string[]) {
        for (const name of await scratchDatabasesOf(url, deliveryId)) await withPg(url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      }
    }
    await source?.drop();
    await target?.drop();
    await appDb?.drop();
  });

  it("a new worker redoes the table copy the stopped one was blocked in: accepted, counts equal WHERE org_id = 2, no other organisation's rows, foreign keys valid", async () => {
    // A harness migrates the app database; then the only worker on the queue is one with no shutdown grace.
    await (await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue })).close();
    doomed = await startDoomedWorker({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const app = { client: doomed.client, dataSource: doomed.dataSource, secretsKey, taskQueue };
    const environments = { source: await registerEnvironment(app, { postgres: source.url }), target: await registerEnvironment(app, { postgres: target.url }) };

    // The cutover window is in the future: the delivery waits for it after the rehearsal, which reads every table of the source.
    const parameters: OrgSplitParameters = { organisations: ['2'], organisationTable: 'organisations' };
    const t0 = Date.now();
    const delivery = await startDelivery(app, { serviceType: 'org-split', environments, parameters, cutoverWindow: cutoverWindowInAnHour() });
    const { handle: started, workflowId } = delivery;
    deliveryId = delivery.deliveryId;
    handle = started;
    await approveCurrentPlan(started, 'customer-cfo');
    await waitForStatus(started, (s) => s.awaiting === 'cutoverWindow', 90_000);

    const sourceRows = (await withPg(source.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${BLOCKED}`))).rows[0].n as number;
    const orgRows = (
      await withPg(source.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${BLOCKED} e JOIN vouchers v ON v.id = e.voucher_id WHERE v.org_id = 2`))
    ).rows[0].n as number;

    // Someone holds the primary-key index of voucher_entries on the source in ACCESS EXCLUSIVE mode (REINDEX INDEX in an open
    // transaction; on the table itself it takes only SHARE, which lets reads through). Every table copy reads the source's catalog
    // first, and pg_get_expr() of a column default takes ACCESS SHARE on the table, so LOCK TABLE … ACCESS EXCLUSIVE would stop the
    // cutover already in "creating tables". The planner, though, takes ACCESS SHARE on every index of a table it plans a query
    // on: the cutover's COPY (SELECT … FROM voucher_entries …) TO STDOUT waits here, with the tables before it in foreign-key order
    // already copied and committed in the new database.
    holder = new Client({ connectionString: source.url });
    await holder.connect();
    const holderPid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
    const index = (await holder.query(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = $1::regclass AND indisprimary`, [BLOCKED]))
      .rows[0].name as string;
    await holder.query('BEGIN');
    await holder.query(`REINDEX INDEX ${index}`);
    await started.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });

    // The worker's session waiting for that lock: a stable state while the lock is held, so polling for it is not a race.
    const waiter = await until(
      `a COPY of ${BLOCKED} waiting for the lock on ${index}`,
      async () =>
        (
          await withPg(source.url, (c) =>
            c.query<{ pid: number; query: string }>(
              `SELECT a.pid, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'relation' AND NOT l.granted AND l.relation = $1::regclass
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND a.datname = current_database() AND a.wait_event_type = 'Lock' AND a.query LIKE 'COPY (SELECT %' AND a.query LIKE $2`,
              [index, `%.${JSON.stringify(BLOCKED)} t %`],
            ),
          )
        ).rows[0],
    );
    // The 11 small tables share one copy activity: the status names the unit, not the table it is in.
    const copying = await waitForStatus(
      started,
      (s) => s.phase === 'cutover' && /cutover: copying — 0\/11 tables.*\(now \w+ and 10 more\)/.test(s.step),
      30_000,
    );
    const checkpoints = (
      await withPg(target.url, (c) =>
        c.query<{ table_name: string; rows: string }>(
          "SELECT table_name, rows_loaded::text AS rows FROM sdo_copy.checkpoint WHERE job_id = 'org-split' ORDER BY committed_at",
        ),
      )
    ).rows;
    log(
      `blocked ${Date.now() - t0} ms after start: backend ${waiter.pid} waits for the lock on ${index} (${orgRows} of its ${sourceRows} source rows are organisation 2's); status: ${copying.step}`,
    );
    log(`committed in the new database before the stop: ${checkpoints.map((r) => `${r.table_name}=${r.rows}`).join(', ')}`);
    expect(checkpoints.map((r) => r.table_name)).not.toContain(BLOCKED);
    expect(checkpoints.length).toBeGreaterThan(0);

    // Crash: the worker stops without grace, and its database sessions die with it (the lock holder's excepted). Both
    // end the waiting COPY whichever comes first: the copy cancels its statements when the activity is cancelled
    // (a worker shutting down cancels its activities), and a terminated session fails the attempt.
    const tStop = Date.now();
    const victims = (
      await withPg(source.url, (c) =>
        c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> ALL($2)', [[source.name, target.name], [holderPid]]),
      )
    ).rows.map((r) => r.pid);
    expect(victims).toContain(waiter.pid);
    const stopping = doomed;
    doomed = undefined;
    await Promise.all([
      stopping.stop(),
      withPg(source.url, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1) AND pid <> pg_backend_pid()', [victims])),
    ]);
    await until("the stopped worker's sessions gone", async () =>
      (await withPg(source.url, (c) => c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)', [victims]))).rows[0].n === 0
        ? true
        : undefined,
    );
    // Its COPY rolled back: nothing of voucher_entries is in the new database, and no checkpoint says otherwise.
    const afterStop = await withPg(target.url, async (c) => ({
      rows: (await c.query(`SELECT count(*)::int AS n FROM ${BLOCKED}`)).rows[0].n as number,
      checkpoints: (await c.query("SELECT table_name FROM sdo_copy.checkpoint WHERE job_id = 'org-split'")).rows.map((r) => r.table_name as string).sort(),
    }));
    log(`worker stopped and its sessions ended in ${Date.now() - tStop} ms; ${BLOCKED} rows committed in the new database: ${afterStop.rows}`);
    expect(afterStop).toEqual({ rows: 0, checkpoints: checkpoints.map((r) => r.table_name).sort() });
    await releaseLock();

    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    handle = h.client.workflow.getHandle(workflowId);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    log(`worker replaced; acceptance reached ${Date.now() - tStop} ms after the stop (${Date.now() - t0} ms after start)`);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
    log(`cutover report: ${cutover?.summary}`);
    expect(cutover?.body['verification']).toMatchObject({ passed: true });
    // The blocked table was copied afresh by the new worker (no checkpoint to resume from), in full; the tables committed
    // before the stop are reported with the rows they committed then.
    const copies = cutover?.body['copies'] as SplitTableCopy[];
    expect(copies.find((c) => c.table === BLOCKED)).toMatchObject({ rows: orgRows, resumed: false });
    for (const cp of checkpoints) expect(copies.find((c) => c.table === cp.table_name)).toMatchObject({ rows: Number(cp.rows) });

    // The history shows the cutover's copy holding the blocked table needed a second attempt, after the first one failed with the stopped worker.
    const events = (await handle.fetchHistory()).events ?? [];
    let scheduled: (typeof events)[number] | undefined;
    for (const e of events) {
      const a = e.activityTaskScheduledEventAttributes;
      if (a?.activityType?.name !== 'copySplitTables') continue;
      const req = await openTestPayload<{ tables: string[]; scratchDatabase?: string }>(a.input!.payloads![0]!);
      if (req.tables.includes(BLOCKED) && req.scratchDatabase === undefined) scheduled ??= e;
    }
    expect(scheduled).toBeDefined();
    const attempt = events.find(
      (e) => e.activityTaskStartedEventAttributes && String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(scheduled!.eventId),
    )?.activityTaskStartedEventAttributes;
    log(`cutover copy of ${BLOCKED}: attempt ${attempt?.attempt}, previous attempt failed with: ${attempt?.lastFailure?.message}`);
    expect(attempt?.attempt).toBeGreaterThan(1);
    expect(attempt?.lastFailure?.message).toMatch(/shutting down|could not be reached/);
    expect(
      events.some(
        (e) => e.activityTaskCompletedEventAttributes && String(e.activityTaskCompletedEventAttributes.scheduledEventId) === String(scheduled!.eventId),
      ),
    ).toBe(true);

    // Verified data: organisation 2 only, per-table counts equal WHERE org_id = 2 on the source, lines and master data, foreign keys validated.
    await expectSplitOfOrganisation(source.url, target.url, 2);
    expect((await withPg(target.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${BLOCKED}`))).rows[0].n).toBe(orgRows);

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'completed' });
    expect(await scratchDatabasesOf(target.url, deliveryId)).toEqual([]);
  });
});
