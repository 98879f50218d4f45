/**
 * Worker failover on the cluster profile (issue #13): a conversion of a generated table
 * (FAILOVER_ROWS, default 1,000,000 rows, SQLite → PostgreSQL) runs with three workers on the
 * Go-built Temporal server; during the cutover copy, and again during its verification, the worker
 * running it is SIGKILLed (FAILOVER_KILL=copy|verify for one). Each must resume on another worker
 * from its last checkpoint and the delivery be accepted verified.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/cluster/failover.ts
 * Prints what happened; exits 1 when the failover did not go as it must. Not part of npm test.
 */
import { AesGcmPayloadCodec, generatePayloadKeyEntry, payloadKeyRing, sdoDataConverter } from '@sdo/config';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Client } from 'pg';
import { Connection, WorkflowClient } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { ensureDatabase, freePort, makeStateDir, Managed, postgresServiceGid, waitFor } from '../stack';
import { apiCaller, approveAndOpenCutover, startConversion, untilDelivery } from './deliveries';
import { API_ENTRY, ensureSdoBuilt, startSdoProcess, startThrowawayCluster, WORKER_ENTRY } from './cluster';

const ROWS = Number(process.env['FAILOVER_ROWS'] ?? 1_000_000);
/** Which cutover steps lose their worker: `copy`, `verify` or both (default). */
const KILL = (process.env['FAILOVER_KILL'] ?? 'copy,verify').split(',').filter((k): k is 'copy' | 'verify' => k === 'copy' || k === 'verify');
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

/** The worker's PID from its identity (\`sdo-worker@<host>:<pid>\`, or the SDK's default \`<pid>@<host>\`). */
function pidOf(identity: string): number {
  return Number(/:(\d+)$/.exec(identity)?.[1] ?? /^(\d+)@/.exec(identity)?.[1] ?? NaN);
}

interface PendingWork {
  type: string;
  attempt: number;
  identity: string;
  progress?: { table?: string; chunkNo?: number; rowsLoaded?: number; rowsChecked?: number; chunksChecked?: number; resumedAtChunk?: number };
}

const started: Managed[] = [];
// Ctrl-C or kill: stop the servers and SDO processes this run started (they would outlive it).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.allSettled([...started].reverse().map((m) => m.stop())).then(() => process.exit(130));
  });

async function main(): Promise<void> {
  ensureSdoBuilt(say); // compiled api and worker, before any server's output is piped
  const dir = mkdtempSync(join(tmpdir(), 'sdo-failover-'));
  makeStateDir(dir, { traverseGid: postgresServiceGid() });
  const sqliteDir = join(dir, 'sqlite');
  mkdirSync(sqliteDir, { mode: 0o700 });
  let ok = false;
  try {
    const { postgresUrl, temporalAddress } = await startThrowawayCluster(dir, started, say);

    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: await ensureDatabase(postgresUrl, 'sdo'),
      TEMPORAL_ADDRESS: temporalAddress,
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
    const targetUrl = new URL(await ensureDatabase(postgresUrl, 'failover_target'));
    const call = apiCaller(url, TOKEN);
    const delivery = await startConversion(call, {
      customerId: 'CUST-F',
      name: 'failover',
      sqliteFile: file,
      targetUrl,
      contractRef: 'CT-FAILOVER',
      cutoverDurationMinutes: 240,
    });
    say(`delivery ${delivery.id} started (workflow ${delivery.workflowId})`);

    const connection = await Connection.connect({ address: temporalAddress });
    // Payloads are sealed: the client and the heartbeat details go through the same key ring.
    const keys = payloadKeyRing(env['SDO_PAYLOAD_KEYS']!);
    const codec = new AesGcmPayloadCodec(keys);
    const handle = new WorkflowClient({ connection, dataConverter: sdoDataConverter(keys) }).getHandle(delivery.workflowId);
    const pendingData = async (): Promise<PendingWork | undefined> => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const work = pending.find((a) => /copy|verify/i.test(a.activityType?.name ?? ''));
      if (!work) return undefined;
      const details = work.heartbeatDetails?.payloads?.[0];
      return {
        type: work.activityType?.name ?? '?',
        attempt: work.attempt ?? 0,
        identity: work.lastWorkerIdentity ?? '',
        progress: details ? defaultPayloadConverter.fromPayload((await codec.decode([details]))[0]!) : undefined,
      };
    };
    const status = () => call('GET', `/v1/deliveries/${delivery.id}`);

    await approveAndOpenCutover(call, delivery.id, 500);
    say('plan approved, rehearsal (copy + verify) passed, cutover window opened');
    say(
      'waiting for the cutover copy, then its verification, to checkpoint (heartbeat details reach the server at most every ~16 s: SDK throttling at 0.8 × the 20 s heartbeat timeout)',
    );

    // One SIGKILL per kind of data work: the worker running it dies once it has checkpointed.
    const kills = new Map<'copy' | 'verify', { pid: number; name: string; at: PendingWork }>();
    const resumed = new Map<'copy' | 'verify', PendingWork>();
    let lastSeen = '';
    const since = new Map<string, number>();
    await untilDelivery(call, delivery.id, (d) => d.live?.awaiting === 'acceptance', {
      everyMs: 500,
      each: async () => {
        const work = await pendingData();
        if (!work) return;
        const kind = /verify/i.test(work.type) ? 'verify' : 'copy';
        const seen = `${work.type} attempt ${work.attempt} on ${work.identity || '?'} at ${JSON.stringify(work.progress ?? null)}`;
        if (seen !== lastSeen) say(`pending: ${seen}`);
        lastSeen = seen;
        if (!since.has(kind)) since.set(kind, Date.now());
        const killed = kills.get(kind);
        // A checkpoint seen (the details are sent after a chunk commits), or the work has run a while
        // (details arrive throttled). On a quiet machine 1M rows copy in ~4 s: the first checkpoint is the chance.
        const checkpointed =
          (kind === 'copy' ? (work.progress?.rowsLoaded ?? 0) > 0 : (work.progress?.chunksChecked ?? 0) >= 1) ||
          Date.now() - since.get(kind)! > (kind === 'copy' ? 4_000 : 20_000);
        if (!killed && KILL.includes(kind) && work.identity && checkpointed) {
          const pid = pidOf(work.identity);
          const worker = workers.get(pid);
          if (!worker) throw new Error(`${work.type} runs on ${work.identity}, not one of our workers`);
          worker.child.kill('SIGKILL');
          kills.set(kind, { pid, name: worker.name, at: work });
          say(`SIGKILL ${worker.name} (pid ${pid}) during ${work.type} attempt ${work.attempt}, at ${JSON.stringify(work.progress)}`);
        } else if (killed && !resumed.has(kind) && work.attempt > killed.at.attempt && work.identity && pidOf(work.identity) !== killed.pid) {
          // The new attempt's own details (before its first beat it repeats the dead one's).
          const own = kind === 'copy' ? work.progress !== undefined : (work.progress?.resumedAtChunk ?? 0) > 0;
          if (!own) return;
          resumed.set(kind, work);
          const by = workers.get(pidOf(work.identity))?.name ?? work.identity;
          say(`${work.type} attempt ${work.attempt} running on ${by}, at ${JSON.stringify(work.progress)}`);
        }
      },
    });
    const accepting = await status();
    const cutoverRef = accepting.live.reports.find((r: any) => r.kind === 'cutover');
    const cutover = await call('GET', `/v1/deliveries/${delivery.id}/reports/${cutoverRef.reportId}`);
    const body = cutover.body ?? cutover;
    say(`cutover report: verified=${body.verified}, resumed copies ${JSON.stringify(body.resumedCopies)}`);
    await call('POST', `/v1/deliveries/${delivery.id}/acceptance-confirmation`, { comment: 'signed off' });
    await untilDelivery(call, delivery.id, (d) => d.phase === 'completed', { everyMs: 500 });
    const target = new Client({ connectionString: targetUrl.toString() });
    await target.connect();
    const { rows } = await target.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(qty)::bigint AS qty FROM erp.delivery_line');
    await target.end();
    say(
      `delivery completed; target holds ${rows[0].n} rows (${rows[0].ids} distinct ids), sum(qty) ${rows[0].qty} (source: ${source.rows} rows, sum(qty) ${source.qty})`,
    );
    ok =
      KILL.every((k) => kills.has(k) && resumed.has(k)) &&
      body.verified === true &&
      (body.resumedCopies ?? []).length > 0 &&
      rows[0].n === source.rows &&
      rows[0].ids === source.rows &&
      Number(rows[0].qty) === source.qty;
    say(ok ? 'FAILOVER PASSED' : `FAILOVER FAILED (killed: ${[...kills.keys()].join(',') || 'none'}; resumed: ${[...resumed.keys()].join(',') || 'none'})`);
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
