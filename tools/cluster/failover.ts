/**
 * Worker failover on the cluster profile (issue #13): a conversion of a generated table
 * (FAILOVER_ROWS, default 1,000,000 rows, SQLite → PostgreSQL) runs with three workers on the
 * Go-built Temporal server; during the cutover copy the worker running it is SIGKILLed. The copy
 * must resume on another worker from its last checkpoint and the delivery be accepted verified.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/cluster/failover.ts
 * Prints what happened; exits 1 when the failover did not go as it must. Not part of npm test.
 */
import { generatePayloadKeyEntry } from '@sdo/config';
import { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';
import { Connection, WorkflowClient } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { ensureDatabase, freePort, makeStateDir, Managed, postgresServiceGid, startEmbeddedPostgres, waitFor } from '../stack';
import {
  API_ENTRY,
  ensureServerBuilt,
  freeClusterPort,
  registerNamespace,
  setupTemporalSchema,
  startSdoProcess,
  startTemporalCluster,
  WORKER_ENTRY,
} from './cluster';

const ROWS = Number(process.env['FAILOVER_ROWS'] ?? 1_000_000);
const TOKEN = randomBytes(24).toString('hex');
const t0 = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);

/** A source with one large table: rows generated inside SQLite (seconds for a million). */
function generateSource(file: string): { rows: number; qty: number } {
  const db = new Sqlite(file);
  db.exec(`CREATE TABLE delivery_line (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, qty INTEGER NOT NULL, price REAL NOT NULL, note TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO delivery_line SELECT i, 'SO-' || (i % 9973), i % 17, (i % 1000) / 4.0, CASE WHEN i % 5 = 0 THEN NULL ELSE 'line ' || i END FROM n;`);
  const totals = db.prepare('SELECT count(*) AS rows, sum(qty) AS qty FROM delivery_line').get() as { rows: number; qty: number };
  db.close();
  return totals;
}

async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The worker's PID from its identity (\`sdo-worker@<host>:<pid>\`, or the SDK's default \`<pid>@<host>\`). */
function pidOf(identity: string): number {
  return Number(/:(\d+)$/.exec(identity)?.[1] ?? /^(\d+)@/.exec(identity)?.[1] ?? NaN);
}

interface PendingCopy {
  type: string;
  attempt: number;
  identity: string;
  progress?: { table?: string; chunkNo?: number; rowsLoaded?: number };
}

const started: Managed[] = [];
// Ctrl-C or kill: stop the servers and SDO processes this run started (they would outlive it).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.allSettled([...started].reverse().map((m) => m.stop())).then(() => process.exit(130));
  });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sdo-failover-'));
  makeStateDir(dir, { traverseGid: postgresServiceGid() });
  const sqliteDir = join(dir, 'sqlite');
  mkdirSync(sqliteDir, { mode: 0o700 });
  let ok = false;
  try {
    const { server, sqlTool } = await ensureServerBuilt(say);
    const postgres = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      persistent: false,
      password: randomBytes(12).toString('hex'),
    });
    started.push(postgres);
    await setupTemporalSchema(postgres.url, sqlTool, () => undefined);
    const cluster = await startTemporalCluster({ server, stateDir: dir, serverUrl: postgres.url, frontendPort: await freeClusterPort(), log: () => undefined });
    started.push(cluster);
    await registerNamespace(cluster.address, 'default', () => undefined);
    say(`Go-built Temporal server on PostgreSQL at ${cluster.address}`);

    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: await ensureDatabase(postgres.url, 'sdo'),
      TEMPORAL_ADDRESS: cluster.address,
      SDO_API_PORT: String(apiPort),
      SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
      SDO_PAYLOAD_KEYS: process.env['SDO_PAYLOAD_KEYS'] ?? generatePayloadKeyEntry(),
      SDO_API_TOKENS: `failover:admin:${TOKEN}`,
      SDO_SQLITE_DIR: sqliteDir,
      SDO_LOG_LEVEL: 'warn',
    };
    const workers = new Map<number, { name: string; child: ChildProcess }>();
    for (let i = 1; i <= 3; i++) {
      const w = startSdoProcess(`worker-${i}`, WORKER_ENTRY, env, () => undefined);
      started.push(w.managed);
      workers.set(w.child.pid!, { name: `worker-${i}`, child: w.child });
    }
    started.push(startSdoProcess('api', API_ENTRY, env, () => undefined).managed);
    const url = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API', async () => (await fetch(`${url}/health`)).ok, 240_000);
    say(`API and 3 workers up (pids ${[...workers.keys()].join(', ')})`);

    const file = join(sqliteDir, 'large.sqlite');
    const source = generateSource(file);
    say(`source: ${ROWS} rows in delivery_line (SQLite)`);
    const targetUrl = new URL(await ensureDatabase(postgres.url, 'failover_target'));
    const src = await api(url, 'POST', '/v1/environments', { customerId: 'CUST-F', name: 'large-sqlite', engine: 'sqlite', database: file });
    const tgt = await api(url, 'POST', '/v1/environments', {
      customerId: 'CUST-F',
      name: 'new-postgres',
      engine: 'postgres',
      host: targetUrl.hostname,
      port: Number(targetUrl.port),
      database: 'failover_target',
      username: decodeURIComponent(targetUrl.username),
      password: decodeURIComponent(targetUrl.password),
    });
    const delivery = await api(url, 'POST', '/v1/deliveries', {
      serviceType: 'database-conversion',
      customerId: 'CUST-F',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      parameters: { targetSchema: 'erp' },
      contractRef: 'CT-FAILOVER',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 240 },
    });
    say(`delivery ${delivery.id} started (workflow ${delivery.workflowId})`);

    const connection = await Connection.connect({ address: cluster.address });
    const handle = new WorkflowClient({ connection }).getHandle(delivery.workflowId);
    const pendingCopy = async (): Promise<PendingCopy | undefined> => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const copy = pending.find((a) => /copy/i.test(a.activityType?.name ?? ''));
      if (!copy) return undefined;
      const details = copy.heartbeatDetails?.payloads?.[0];
      return {
        type: copy.activityType?.name ?? '?',
        attempt: copy.attempt ?? 0,
        identity: copy.lastWorkerIdentity ?? '',
        progress: details ? defaultPayloadConverter.fromPayload(details) : undefined,
      };
    };
    const status = () => api(url, 'GET', `/v1/deliveries/${delivery.id}`);
    const until = async (what: string, done: (d: any) => boolean, each?: () => Promise<void>) => {
      for (;;) {
        const d = await status();
        if (done(d)) return d;
        if (['failed', 'cancelled'].includes(d.phase)) throw new Error(`delivery ${d.phase} while waiting for ${what}`);
        await each?.();
        await new Promise((r) => setTimeout(r, 500));
      }
    };

    await until('plan approval', (d) => d.live?.awaiting === 'planApproval');
    await api(url, 'POST', `/v1/deliveries/${delivery.id}/plan-approval`, { revision: 1, comment: 'go' });
    say('plan approved; rehearsal runs');
    await until('the cutover window', (d) => d.live?.awaiting === 'cutoverWindow');
    await api(url, 'PUT', `/v1/deliveries/${delivery.id}/cutover-window`, { startsAt: new Date().toISOString() });
    say('cutover window opened; waiting for the cutover copy to checkpoint (the SDK sends heartbeat details at most every ~16 s)');

    let killed: { pid: number; name: string; at: PendingCopy } | undefined;
    let resumed: PendingCopy | undefined;
    let lastSeen = '';
    let copySince: number | undefined;
    await until(
      'acceptance',
      (d) => d.live?.awaiting === 'acceptance',
      async () => {
        const copy = await pendingCopy();
        if (!copy) return;
        const seen = `${copy.type} attempt ${copy.attempt} on ${copy.identity || '?'} at ${JSON.stringify(copy.progress ?? null)}`;
        if (seen !== lastSeen) say(`pending: ${seen}`);
        lastSeen = seen;
        copySince ??= Date.now();
        // A checkpoint seen, or the copy has run a while (heartbeat details reach the server throttled).
        if (!killed && copy.identity && ((copy.progress?.chunkNo ?? 0) >= 1 || Date.now() - copySince > 4_000)) {
          const pid = pidOf(copy.identity);
          const worker = workers.get(pid);
          if (!worker) throw new Error(`copy runs on ${copy.identity}, not one of our workers`);
          worker.child.kill('SIGKILL');
          killed = { pid, name: worker.name, at: copy };
          say(`SIGKILL ${worker.name} (pid ${pid}) during ${copy.type} attempt ${copy.attempt}, at ${JSON.stringify(copy.progress)}`);
        } else if (killed && !resumed && copy.attempt > killed.at.attempt && copy.progress && copy.identity && pidOf(copy.identity) !== killed.pid) {
          resumed = copy;
          const by = workers.get(pidOf(copy.identity))?.name ?? copy.identity;
          say(`${copy.type} attempt ${copy.attempt} running on ${by}, at ${JSON.stringify(copy.progress)}`);
        }
      },
    );
    const accepting = await status();
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const cutover = await api(url, 'GET', `/v1/deliveries/${delivery.id}/reports/${cutoverRef.reportId}`);
    const body = cutover.body ?? cutover;
    say(`cutover report: verified=${body.verified}, resumed copies ${JSON.stringify(body.resumedCopies)}`);
    await api(url, 'POST', `/v1/deliveries/${delivery.id}/acceptance-confirmation`, { comment: 'signed off' });
    await until('completion', (d) => d.phase === 'completed');
    const target = new Client({ connectionString: targetUrl.toString() });
    await target.connect();
    const { rows } = await target.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(qty)::bigint AS qty FROM erp.delivery_line');
    await target.end();
    say(
      `delivery completed; target holds ${rows[0].n} rows (${rows[0].ids} distinct ids), sum(qty) ${rows[0].qty} (source: ${source.rows} rows, sum(qty) ${source.qty})`,
    );
    ok =
      Boolean(killed) &&
      Boolean(resumed) &&
      body.verified === true &&
      (body.resumedCopies ?? []).length > 0 &&
      rows[0].n === source.rows &&
      rows[0].ids === source.rows &&
      Number(rows[0].qty) === source.qty;
    say(ok ? 'FAILOVER PASSED' : `FAILOVER FAILED (killed=${Boolean(killed)} resumed=${Boolean(resumed)})`);
    await connection.close();
  } finally {
    for (const m of started.reverse()) await m.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
