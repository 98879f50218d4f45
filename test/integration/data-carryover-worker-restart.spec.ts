import { randomUUID } from 'node:crypto';
import { CarryoverParameters, confirmAcceptanceUpdate } from '@sdo/contracts';
import { ERP_DOCUMENT_DATES, ERP_LEDGER, generateErpDataset } from '@sdo/erp-generator';
import { DeliveryStore, ReportStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { approveCurrentPlan, registerEnvironment, startDelivery } from '../support/deliveries';
import { startDoomedWorker } from '../support/doomed-worker';
import { CUTOFF, digestOf, HISTORY, TRIAL_BALANCE } from '../support/carryover-oracle';
import { scratchDatabasesOf, withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const log = (...args: unknown[]) => process.stdout.write(`[carryover-restart] ${args.join(' ')}\n`);

describe('data carryover (数据结转) whose worker dies mid-purge, on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness | undefined;
  let appDb: ScratchDatabase;
  let live: ScratchDatabase;
  let archive: ScratchDatabase;
  const taskQueue = `carryover-restart-${randomUUID()}`;
  const secretsKey = SecretBox.generateKey();

  beforeAll(async () => {
    appDb = await createScratchDatabase('sdo_app');
    live = await createScratchDatabase('erp_live_big');
    archive = await createScratchDatabase('erp_archive_big');
    const summary = await withPg(live.url, (c) =>
      generateErpDataset(c, { seed: 23, organisations: 3, years: 3, firstYear: 2022, documentsPerOrgPerYear: Number(process.env['CARRYOVER_DOCS'] ?? 3000) }),
    );
    log(`dataset: ${JSON.stringify(summary.rows)} generated in ${summary.elapsedMs} ms`);
  });

  afterAll(async () => {
    await h?.close();
    await live?.drop();
    await archive?.drop();
    await appDb?.drop();
  });

  it('a new worker finishes the cutover purge: accepted, trial balance unchanged, archive holds exactly the removed rows', async () => {
    // A harness migrates the app database; then the only worker on the queue is one with no shutdown grace:
    // stopping it aborts the running purge batch like a crash would.
    await (await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue })).close();
    const doomed = await startDoomedWorker({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const app = { client: doomed.client, dataSource: doomed.dataSource, secretsKey, taskQueue };
    const environments = { source: await registerEnvironment(app, { postgres: live.url }), target: await registerEnvironment(app, { postgres: archive.url }) };

    const tbBefore = (await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows;
    const history: Record<string, { n: number; h: string }> = {};
    for (const [t, sql] of Object.entries(HISTORY)) history[t] = (await withPg(live.url, (c) => c.query(digestOf(sql)))).rows[0];
    log(`historical rows: ${JSON.stringify(Object.fromEntries(Object.entries(history).map(([t, v]) => [t, v.n])))}`);

    const parameters: CarryoverParameters = {
      cutoffPeriod: CUTOFF,
      tables: ERP_DOCUMENT_DATES,
      ledger: ERP_LEDGER,
      batchSize: Number(process.env['CARRYOVER_BATCH'] ?? 200),
    };
    const t0 = Date.now();
    const { handle: started, workflowId, deliveryId } = await startDelivery(app, { serviceType: 'data-carryover', environments, parameters });
    await approveCurrentPlan(started, 'customer-cfo');

    // Stop the worker inside the cutover purge of voucher_entries, once some of its batches have committed in the live database.
    const purging = await waitForStatus(
      started,
      (s) => s.phase === 'cutover' && /purged 0\/5 tables/.test(s.step) && /\(now voucher_entries\)/.test(s.step),
      90_000,
    );
    const historicalEntries = async () =>
      (await withPg(live.url, (c) => c.query(`SELECT count(*)::int AS n FROM (${HISTORY['voucher_entries']}) x`))).rows[0].n as number;
    // (The opening vouchers' entries, dated the day before the cut-off, are in the count and stay.)
    const atStart = await historicalEntries();
    let left = atStart;
    while (left === atStart) {
      await new Promise((r) => setTimeout(r, 50));
      left = await historicalEntries();
    }
    log(`status while purging: ${purging.step} (${Date.now() - t0} ms after start); ${left} of ${atStart} voucher entries dated before the cut-off left live`);
    expect(left).toBeLessThan(atStart);
    const tKill = Date.now();
    await doomed.stop();
    const leftAtStop = await historicalEntries();
    log(`worker stopped; ${leftAtStop} voucher entries dated before the cut-off still live`);
    expect(leftAtStop).toBeGreaterThan(60);
    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const handle = h.client.workflow.getHandle(workflowId);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    log(`worker replaced; acceptance reached ${Date.now() - tKill} ms after the stop (${Date.now() - t0} ms after start)`);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
    log(`cutover report: ${cutover?.summary}`);
    // Batches the stopped worker committed are counted too: every archived row is reported purged, once.
    const body = cutover?.body as { archive: { archived: Record<string, number> }; purged: Record<string, number> };
    expect(body.purged).toEqual(body.archive.archived);

    // Verified data: the trial balance from the cut-off on is unchanged, nothing historical is left live, the archive holds exactly the removed rows.
    expect((await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows).toEqual(tbBefore);
    for (const [t, expected] of Object.entries(history)) {
      const archived = (await withPg(archive.url, (c) => c.query(digestOf(`SELECT * FROM carryover_2024_01.${t}`)))).rows[0];
      expect({ t, ...archived }).toEqual({ t, ...expected });
    }
    expect((await withPg(live.url, (c) => c.query(digestOf(HISTORY['sales_orders']!)))).rows[0].n).toBe(0);
    const opening = await withPg(live.url, (c) =>
      c.query(`SELECT org_id, voucher_date::text AS d FROM vouchers WHERE voucher_date < DATE '${CUTOFF}-01' ORDER BY org_id`),
    );
    expect(opening.rows).toEqual([1, 2, 3].map((org) => ({ org_id: org, d: '2023-12-31' })));
    const unbalanced = await withPg(live.url, (c) => c.query('SELECT voucher_id FROM voucher_entries GROUP BY voucher_id HAVING sum(debit) <> sum(credit)'));
    expect(unbalanced.rows).toEqual([]);

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'completed' });
    expect(await scratchDatabasesOf(live.url, deliveryId)).toEqual([]);
  });
});
