import { randomUUID } from 'node:crypto';
import {
  approvePlanUpdate,
  confirmAcceptanceUpdate,
  DELIVERY_WORKFLOW_TYPES,
  DeliveryInput,
  deliveryWorkflowId,
  OrgSplitParameters,
} from '@sdo/contracts';
import { generateErpDataset } from '@sdo/erp-generator';
import { DeliveryStore, EnvironmentDirectory, ReportStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { startDoomedWorker } from '../support/doomed-worker';
import { connectionFields, withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const log = (...args: unknown[]) => process.stdout.write(`[org-split-restart] ${args.join(' ')}\n`);
/** Tables with an organisation column. */
const ORG_TABLES = ['accounts', 'sales_orders', 'purchase_invoices', 'vouchers'];

describe('org split (组织拆分) whose worker dies mid-copy, on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness | undefined;
  let appDb: ScratchDatabase;
  let source: ScratchDatabase;
  let target: ScratchDatabase;
  const taskQueue = `org-split-restart-${randomUUID()}`;
  const secretsKey = SecretBox.generateKey();

  beforeAll(async () => {
    appDb = await createScratchDatabase('sdo_app');
    source = await createScratchDatabase('erp_group_big');
    target = await createScratchDatabase('erp_org2_new');
    const summary = await withPg(source.url, (c) => generateErpDataset(c, { seed: 29, organisations: 3, years: 2, documentsPerOrgPerYear: Number(process.env['ORG_SPLIT_DOCS'] ?? 10_000) }));
    log(`dataset: ${JSON.stringify(summary.rows)} generated in ${summary.elapsedMs} ms`);
  });

  afterAll(async () => {
    await h?.close();
    await source?.drop();
    await target?.drop();
    await appDb?.drop();
  });

  it('a new worker finishes the cutover copy: accepted, no other organisation\'s rows, counts equal WHERE org_id = 2, foreign keys valid', async () => {
    // A harness migrates the app database; then the only worker on the queue is one with no shutdown grace:
    // stopping it aborts the running table copy like a crash would.
    await (await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue })).close();
    const doomed = await startDoomedWorker({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const dir = new EnvironmentDirectory(doomed.dataSource, new SecretBox(secretsKey));
    const register = async (url: string) => (await dir.register({ customerId: 'ACME', name: `erp-${randomUUID()}`, engine: 'postgres', ...connectionFields(url) })).id;
    const environments = { source: await register(source.url), target: await register(target.url) };

    const parameters: OrgSplitParameters = { organisations: ['2'], organisationTable: 'organisations' };
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const workflowId = deliveryWorkflowId('org-split', orderNo);
    const cutoverWindow = { startsAt: new Date(0).toISOString(), durationMinutes: 60 };
    const claim = await new DeliveryStore(doomed.dataSource).claim({
      workflowId, idempotencyKey: randomUUID(), requestFingerprint: 'test', serviceType: 'org-split', customerId: 'ACME', orderNo,
      environments, parameters: parameters as unknown as Record<string, unknown>, cutoverWindow, contractRef: null, createdBy: 'test',
    });
    const input: DeliveryInput<OrgSplitParameters> = {
      deliveryId: claim.delivery.id, serviceType: 'org-split', customerId: 'ACME', orderNo, environments, parameters,
      contractRef: 'CT-2026-SPLIT', cutoverWindow, gatePolicy: { reminderEvery: '1 hour', escalateAfter: '1 day' },
    };
    const t0 = Date.now();
    const started = await doomed.client.workflow.start(DELIVERY_WORKFLOW_TYPES['org-split'], { workflowId, taskQueue, args: [input] });
    const planned = await waitForStatus(started, (s) => s.awaiting === 'planApproval', 60_000);
    await started.executeUpdate(approvePlanUpdate, { args: [{ revision: planned.plans.length, decidedBy: 'customer-cfo' }] });

    // Stop the worker while the cutover's COPY into the new database's voucher_entries is running.
    const copying = await waitForStatus(started, (s) => s.phase === 'cutover' && /\(now voucher_entries\)/.test(s.step), 90_000);
    const activeCopy = async () =>
      (await withPg(source.url, (c) => c.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query ILIKE 'COPY %voucher_entries%'", [target.name],
      ))).rows[0].n as number;
    const deadline = Date.now() + 20_000;
    while (!(await activeCopy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await activeCopy()).toBeGreaterThan(0);
    log(`status while copying: ${copying.step} (${Date.now() - t0} ms after start); a COPY into voucher_entries is running`);
    // A crashed worker's database sessions die with it: stopping the worker alone would let its COPY run on to the commit.
    const tKill = Date.now();
    await Promise.all([
      doomed.stop(),
      withPg(source.url, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()', [[target.name, source.name]])),
    ]);
    // The stopped worker's COPY is gone and rolled back: the new database holds no voucher entries yet.
    const gone = Date.now() + 10_000;
    while ((await activeCopy()) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    const entriesAfterStop = (await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n FROM voucher_entries'))).rows[0].n;
    log(`worker stopped after ${Date.now() - tKill} ms; voucher_entries rows committed in the new database: ${entriesAfterStop}`);
    expect(entriesAfterStop).toBe(0);
    h = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey, taskQueue });
    const handle = h.client.workflow.getHandle(workflowId);
    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 90_000);
    log(`worker replaced; acceptance reached ${Date.now() - tKill} ms after the stop (${Date.now() - t0} ms after start)`);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
    const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
    log(`cutover report: ${cutover?.summary}`);
    expect(cutover?.body['verification']).toMatchObject({ passed: true });

    // Verified data: organisation 2 only, per-table counts equal WHERE org_id = 2 on the source, every line of its vouchers, foreign keys validated.
    for (const t of ORG_TABLES) {
      const expected = (await withPg(source.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${t} WHERE org_id = 2`))).rows[0].n;
      const actual = (await withPg(target.url, (c) => c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE org_id <> 2)::int AS foreign FROM ${t}`))).rows[0];
      expect({ t, ...actual }).toEqual({ t, n: expected, foreign: 0 });
    }
    const entries = (await withPg(source.url, (c) => c.query('SELECT count(*)::int AS n FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id WHERE v.org_id = 2'))).rows[0].n;
    expect((await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n FROM voucher_entries'))).rows[0].n).toBe(entries);
    const fks = await withPg(target.url, (c) => c.query("SELECT count(*)::int AS n, bool_and(convalidated) AS v FROM pg_constraint WHERE contype = 'f'"));
    expect(fks.rows[0]).toEqual({ n: 11, v: true });

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cfo' }] });
    await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    expect(await new DeliveryStore(h.dataSource).find(claim.delivery.id)).toMatchObject({ phase: 'completed' });
  });
});
