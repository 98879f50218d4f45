/**
 * Issue #8, crash safety: "a test kills the worker inside each activity type of each workflow
 * (targeted at the activity, not at random) and the delivery moves on within a minute".
 *
 * Not part of `npm test` (it takes minutes): run `tools/security/kill-sweep.sh`. For each workflow,
 * one delivery through the API on a task queue of its own, served by test/support/killing-worker.ts
 * in a process of its own: it SIGKILLs itself inside the first attempt of every activity type it
 * meets, once per type, and is started afresh after each death. The delivery must still reach
 * acceptance with its data verified and complete, no workflow task may fail, and each killed
 * activity's next attempt must start within 60 s of the kill (or of the fresh worker polling, when
 * the machine is too busy to start one sooner).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { ERP_DOCUMENT_DATES, ERP_LEDGER, generateErpDataset } from '@sdo/erp-generator';
import { createScratchDatabase, type ScratchDatabase, testStack } from '@sdo/testing';
import { type ApiTestApp, startApiTestApp, TEST_SECRETS_KEY } from '@sdo/api/testing';
import { chinookDir } from '@sdo/data-engine/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { chinookMapping, trackCatalogueMapping } from '../fixtures/migration/chinook-mapping';
import { CUTOFF, digestOf, HISTORY, TRIAL_BALANCE } from '../support/carryover-oracle';
import { sqliteFilePath } from '../support/deliveries';
import { createErpV1Database, UPGRADE_FIXTURES, withPg } from '../support/fixtures';
import { readEvents, sweepFiles } from '../support/killing-worker';
import { expectSplitOfOrganisation } from '../support/org-split-oracle';
import { registerEnvironmentViaApi } from '../support/through-api';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

const DELIVERY_TIMEOUT_MS = Number(process.env['KILL_SWEEP_TIMEOUT_MINUTES'] ?? 25) * 60_000;
const RETRY_LIMIT_S = 60;
jest.setTimeout(DELIVERY_TIMEOUT_MS + 5 * 60_000);

interface Row {
  workflow: string;
  activity: string;
  workerBackS: number | undefined;
  retryAfterS: number | undefined;
  outcome: string;
}
const rows: Row[] = [];
const seconds = (s: number | undefined) => (s === undefined ? '—' : s.toFixed(1));
/**
 * Temporal's share of the wait: from the kill, or from the fresh worker polling if it came later
 * (on a busy machine a worker takes a while to start; that is not a stalled delivery).
 */
const temporalWaitS = (r: Row) => (r.retryAfterS === undefined ? Infinity : r.retryAfterS - Math.max(0, r.workerBackS ?? 0));

/** One workflow's delivery: environments and parameters, then its data checked once at acceptance. */
interface Scenario {
  serviceType: string;
  prepare(
    api: ApiTestApp,
    cleanups: (() => Promise<unknown>)[],
  ): Promise<{ environments: Record<string, string>; parameters: unknown; verify(): Promise<void> }>;
}

const scratch = async (cleanups: (() => Promise<unknown>)[], name: string): Promise<ScratchDatabase> => {
  const db = await createScratchDatabase(name);
  cleanups.push(() => db.drop());
  return db;
};
const chinookCopy = (cleanups: (() => Promise<unknown>)[]): string => {
  const path = sqliteFilePath(`sweep-chinook-${randomUUID()}.sqlite`);
  copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), path);
  cleanups.push(async () => rmSync(path, { force: true }));
  return path;
};
const env = async (api: ApiTestApp, name: string, at: Parameters<typeof registerEnvironmentViaApi>[3]) =>
  (await registerEnvironmentViaApi(api, 'CUST-SWEEP', `${name}-${randomUUID().slice(0, 8)}`, at)).id;

const SCENARIOS: Record<string, Scenario> = {
  upgrade: {
    serviceType: 'upgrade',
    async prepare(api, cleanups) {
      const target = await createErpV1Database();
      cleanups.push(() => target.drop());
      const registered = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
      expect(registered.status).toBe(201);
      return {
        environments: { target: await env(api, 'erp-production', { postgres: target.url }) },
        parameters: { packageId: registered.body.id },
        async verify() {
          const history = await withPg(target.url, (c) => c.query('SELECT version FROM sdo_schema_history WHERE success ORDER BY installed_rank'));
          expect(history.rows.map((r) => r.version)).toEqual(['2.0.0', '2.0.1', '2.1.0', '2.1.1']);
        },
      };
    },
  },
  'database-conversion': {
    serviceType: 'database-conversion',
    async prepare(api, cleanups) {
      const source = chinookCopy(cleanups);
      const target = await scratch(cleanups, 'sweep_conv_tgt');
      return {
        environments: { source: await env(api, 'chinook-sqlite', { sqlite: source }), target: await env(api, 'erp-postgres', { postgres: target.url }) },
        parameters: { targetSchema: 'erp' },
        async verify() {
          const lines = await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n, sum(unit_price * quantity)::text AS total FROM erp.invoice_line'));
          expect(lines.rows[0]).toEqual({ n: 2240, total: '2328.60' });
          const tables = await withPg(target.url, (c) => c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'erp'"));
          expect(tables.rows[0].n).toBe(11);
        },
      };
    },
  },
  'data-migration': {
    serviceType: 'data-migration',
    async prepare(api, cleanups) {
      const source = chinookCopy(cleanups);
      const target = await scratch(cleanups, 'sweep_newprod');
      await withPg(target.url, (c) => c.query(readFileSync(join(__dirname, '..', 'fixtures', 'migration', 'new-product.sql'), 'utf8')));
      return {
        environments: { source: await env(api, 'old-product', { sqlite: source }), target: await env(api, 'new-product', { postgres: target.url }) },
        parameters: chinookMapping({ mappings: [...chinookMapping().mappings, trackCatalogueMapping()] }),
        async verify() {
          const loaded = { sales_rep: 3, customer_account: 58, sales_invoice: 405, invoice_line: 2202, catalog_track: 3503 };
          for (const [table, n] of Object.entries(loaded)) {
            const rows = (await withPg(target.url, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`))).rows[0].n;
            expect({ table, rows }).toEqual({ table, rows: n });
          }
        },
      };
    },
  },
  'org-split': {
    serviceType: 'org-split',
    async prepare(api, cleanups) {
      const source = await scratch(cleanups, 'sweep_erp_group');
      const target = await scratch(cleanups, 'sweep_erp_org3');
      await withPg(source.url, (c) => generateErpDataset(c, { seed: 3, organisations: 3, years: 2, documentsPerOrgPerYear: 40 }));
      return {
        environments: { source: await env(api, 'group', { postgres: source.url }), target: await env(api, 'org3', { postgres: target.url }) },
        parameters: { organisations: ['3'], organisationTable: 'organisations' },
        verify: () => expectSplitOfOrganisation(source.url, target.url, 3),
      };
    },
  },
  'data-carryover': {
    serviceType: 'data-carryover',
    async prepare(api, cleanups) {
      const live = await scratch(cleanups, 'sweep_erp_live');
      const archive = await scratch(cleanups, 'sweep_erp_archive');
      await withPg(live.url, (c) => generateErpDataset(c, { seed: 17, organisations: 3, years: 3, firstYear: 2022, documentsPerOrgPerYear: 60 }));
      const tbBefore = (await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows;
      const history: Record<string, unknown> = {};
      for (const [t, sql] of Object.entries(HISTORY)) history[t] = (await withPg(live.url, (c) => c.query(digestOf(sql)))).rows[0];
      return {
        environments: { source: await env(api, 'erp-live', { postgres: live.url }), target: await env(api, 'erp-archive', { postgres: archive.url }) },
        parameters: { cutoffPeriod: CUTOFF, tables: ERP_DOCUMENT_DATES, ledger: ERP_LEDGER, batchSize: 100 },
        async verify() {
          expect((await withPg(live.url, (c) => c.query(TRIAL_BALANCE))).rows).toEqual(tbBefore);
          for (const [t, expected] of Object.entries(history)) {
            const archived = (await withPg(archive.url, (c) => c.query(digestOf(`SELECT * FROM carryover_2024_01.${t}`)))).rows[0];
            expect({ t, ...archived }).toEqual({ t, ...(expected as object) });
          }
          expect((await withPg(live.url, (c) => c.query(digestOf(HISTORY['sales_orders']!)))).rows[0].n).toBe(0);
        },
      };
    },
  },
};

/** Restarts the killing worker after each death, as npm start's runner would (1 s later). */
function superviseKillingWorker(options: { appDatabaseUrl: string; taskQueue: string; dir: string }) {
  let current: WorkerProcess | undefined;
  let stopping = false;
  let deaths = 0;
  const outputs: string[] = [];
  const loop = (async () => {
    while (!stopping) {
      try {
        current = await startWorkerProcess({
          appDatabaseUrl: options.appDatabaseUrl,
          secretsKey: TEST_SECRETS_KEY,
          taskQueue: options.taskQueue,
          entry: 'test/support/killing-worker.ts',
          env: { SDO_KILL_SWEEP_DIR: options.dir },
        });
        await current.exited;
        outputs.push(current.output().slice(-2000));
      } catch (err) {
        outputs.push(String(err).slice(-2000));
      }
      if (!stopping) {
        deaths++;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  })();
  return {
    deaths: () => deaths,
    lastOutput: () => outputs.slice(-2).join('\n---\n'),
    async stop() {
      stopping = true;
      await current?.kill();
      await loop;
    },
  };
}

/** What the sweep reads of GET /v1/deliveries/:id. */
interface DeliveryView {
  phase?: string;
  step?: string;
  progress?: number;
  live?: { awaiting?: string };
}

/** Reads the delivery until `predicate` holds; gives up at once on a final phase that does not satisfy it. */
async function until(
  api: ApiTestApp,
  id: string,
  what: string,
  predicate: (d: DeliveryView) => boolean,
  timeoutMs: number,
  context: () => string,
): Promise<DeliveryView> {
  const deadline = Date.now() + timeoutMs;
  let last: DeliveryView | undefined;
  while (Date.now() < deadline) {
    last = (await api.request<DeliveryView>('GET', `/v1/deliveries/${id}`, { as: 'viewer' }).catch(() => ({ body: last }))).body;
    if (last && predicate(last)) return last;
    if (last && ['failed', 'cancelled', 'completed'].includes(last.phase ?? '')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`never reached: ${what}; last: ${JSON.stringify({ phase: last?.phase, step: last?.step, awaiting: last?.live?.awaiting })}\n${context()}`);
}

const chosen = (process.env['KILL_SWEEP_WORKFLOWS'] ?? Object.keys(SCENARIOS).join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

describe('a worker SIGKILLed inside each activity type of each workflow', () => {
  let temporal: Connection;
  beforeAll(async () => {
    temporal = await Connection.connect({ address: testStack().temporalAddress });
  });

  afterAll(async () => {
    await temporal?.close();
    const table = [
      ['workflow', 'activity type', 'kill → worker polls (s)', 'kill → retry (s)', 'outcome'],
      ...rows.map((r) => [r.workflow, r.activity, seconds(r.workerBackS), seconds(r.retryAfterS), r.outcome]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    const text = table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')).join('\n');
    mkdirSync(join(__dirname, '..', '..', '.sdo'), { recursive: true });
    writeFileSync(join(__dirname, '..', '..', '.sdo', 'kill-sweep.txt'), `${text}\n`);
    process.stdout.write(`\n[kill-sweep]\n${text}\n`);
  });

  it.concurrent.each(chosen)('%s: each killed activity is retried within a minute; the delivery completes verified', async (workflow) => {
    const scenario = SCENARIOS[workflow];
    if (!scenario) throw new Error(`unknown workflow ${workflow}; one of ${Object.keys(SCENARIOS).join(', ')}`);
    const cleanups: (() => Promise<unknown>)[] = [];
    const taskQueue = `kill-sweep-${workflow}-${randomUUID()}`;
    const dir = mkdtempSync(join(tmpdir(), `kill-sweep-${workflow}-`));
    const api = await startApiTestApp({ env: { SDO_TASK_QUEUE: taskQueue } });
    const workers = superviseKillingWorker({ appDatabaseUrl: api.database.url, taskQueue, dir });
    const files = sweepFiles(dir);
    let outcome = 'did not start';
    let kills = 0;
    try {
      const { environments, parameters, verify } = await scenario.prepare(api, cleanups);
      const started = await api.request('POST', '/v1/deliveries', {
        as: 'manager',
        headers: { 'idempotency-key': randomUUID() },
        body: {
          serviceType: scenario.serviceType,
          customerId: 'CUST-SWEEP',
          orderNo: `SO-${randomUUID().slice(0, 8)}`,
          contractRef: 'CT-SWEEP',
          environments,
          parameters,
          cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 240 },
        },
      });
      expect(started.status).toBe(202);
      const id: string = started.body.id;
      const context = () => `killed so far: ${readEvents(files.killed).map((e) => e.type)}; worker deaths ${workers.deaths()}\n${workers.lastOutput()}`;
      outcome = 'stalled before plan approval';
      await until(api, id, 'plan approval', (d) => d.live?.awaiting === 'planApproval', DELIVERY_TIMEOUT_MS, context);
      expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } })).status).toBe(200);
      outcome = 'stalled before acceptance';
      await until(api, id, 'acceptance', (d) => d.live?.awaiting === 'acceptance', DELIVERY_TIMEOUT_MS, context);
      outcome = 'data wrong at acceptance';
      await verify();
      expect((await api.request('POST', `/v1/deliveries/${id}/acceptance-confirmation`, { as: 'manager', body: { comment: 'ok' } })).status).toBe(200);
      outcome = 'stalled after acceptance';
      const done = await until(api, id, 'completed', (d) => d.phase === 'completed', DELIVERY_TIMEOUT_MS, context);
      expect(done.progress).toBe(100);
      outcome = 'workflow task failed';
      const history = await new TemporalClient({ connection: temporal, namespace: testStack().temporalNamespace }).workflow
        .getHandle(started.body.workflowId)
        .fetchHistory();
      const failedTasks = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
      expect(failedTasks.map((e) => JSON.stringify(e.workflowTaskFailedEventAttributes?.failure?.message))).toEqual([]);
      outcome = 'completed, verified';
    } finally {
      await workers.stop();
      const killed = readEvents(files.killed);
      kills = killed.length;
      const startedAttempts = readEvents(files.started);
      const ready = readEvents(files.ready);
      for (const kill of killed) {
        const retry = startedAttempts.find((s) => s.type === kill.type && s.workflowId === kill.workflowId && s.attempt > kill.attempt && s.at >= kill.at);
        const back = ready.find((r) => r.at >= kill.at);
        rows.push({
          workflow,
          activity: kill.type,
          workerBackS: back ? (back.at - kill.at) / 1000 : undefined,
          retryAfterS: retry ? (retry.at - kill.at) / 1000 : undefined,
          outcome,
        });
      }
      if (killed.length === 0) rows.push({ workflow, activity: '(none killed)', workerBackS: undefined, retryAfterS: undefined, outcome });
      await api.close();
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(kills).toBeGreaterThan(0);
    const slow = rows.filter((r) => r.workflow === workflow && temporalWaitS(r) > RETRY_LIMIT_S);
    expect(slow).toEqual([]);
  });
});
