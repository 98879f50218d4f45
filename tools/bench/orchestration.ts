/**
 * Orchestration benchmark (issue #13): N concurrent small conversions (Chinook SQLite → PostgreSQL)
 * driven through the API from start to completed, on three stacks in the same run:
 *   dev/1w  Temporal CLI dev server, one worker (the `npm start` shape, the baseline)
 *   cl/1w   Go-built Temporal server on PostgreSQL, one worker
 *   cl/3w   the same cluster, three workers
 * Prints wall time, deliveries per minute, p50/p99 of API reads made while they run, and ratios
 * against dev/1w. N = 1, 10, 50 (BENCH_SIZES=1,10 to choose; BENCH_LARGE=1 adds 200).
 *   SDO_SHARED_DIR=/work/shared node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/bench/orchestration.ts
 * Needs the cluster build (tools/scripts/cluster-up.sh builds it) and the Temporal CLI. Not part of npm test.
 * BENCH_STACKS=dev/1w runs only the stacks named (comma-separated); BENCH_CPU_PROF=<dir> writes
 * V8 CPU profiles of the API and worker processes there (open them in Chrome DevTools).
 * BENCH_BASELINE='SDO_DATA_SLOTS=4 …' also runs dev/1w with those settings, as dev/base, before
 * dev/1w in each of BENCH_ROUNDS rounds (default 1): ratios then compare against it, in the same run.
 * BENCH_BASELINE_TREE=<checkout> runs dev/base's API and worker from another checkout of the repository
 * (e.g. a worktree of the previous commit, its node_modules linked): code against code, same run, same servers.
 * BENCH_BASELINE_TEMPORAL='journal_mode=wal' runs dev/base on a second dev server with those SQLite pragmas
 * (comma-separated): the dev server's settings, compared in the same run.
 * The bench is a manager per delivery: it reads the delivery once a second and decides each gate
 * as soon as the read shows it waiting.
 */
import { generatePayloadKeyEntry } from '@sdo/config';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { chinookDir } from '@sdo/data-engine/testing';
import { ensureDatabase, freePort, makeStateDir, Managed, postgresServiceGid, startEmbeddedPostgres, startTemporal, waitFor } from '../stack';
import { startProcess } from '../stack/processes';
import { appCommand } from '../stack/apps';
import type { BuildApp } from '../build/stamp';
import {
  API_ENTRY,
  ensureSdoBuilt,
  ensureServerBuilt,
  freeClusterPort,
  registerNamespace,
  setupTemporalSchema,
  startSdoProcess,
  startTemporalCluster,
  WORKER_ENTRY,
} from '../cluster/cluster';
import { apiCaller, approveAndOpenCutover, startConversion, untilDelivery, type ApiCall } from '../cluster/deliveries';

const SIZES = (process.env['BENCH_SIZES'] ?? '1,10,50')
  .split(',')
  .map(Number)
  .concat(process.env['BENCH_LARGE'] === '1' ? [200] : []);
// One token per concurrent delivery (a manager each): the API's rate limit is per token.
const TOKENS = Array.from({ length: Math.max(...SIZES) }, () => randomBytes(24).toString('hex'));
const quiet = () => undefined;
// One key ring for every stack of the run: payloads are sealed as in production.
const PAYLOAD_KEYS = process.env['SDO_PAYLOAD_KEYS'] ?? generatePayloadKeyEntry();
const STACKS = (process.env['BENCH_STACKS'] ?? 'dev/1w,cl/1w,cl/3w').split(',');
const CPU_PROF = process.env['BENCH_CPU_PROF'];
const BASELINE: Record<string, string> | undefined = process.env['BENCH_BASELINE']
  ? Object.fromEntries(
      process.env['BENCH_BASELINE']
        .trim()
        .split(/\s+/)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    )
  : undefined;
// BENCH_PG_SAMPLE=1: sample PostgreSQL's active statements every 100 ms and print the commonest.
const PG_SAMPLE = process.env['BENCH_PG_SAMPLE'] === '1';
// BENCH_THREADS=1: the worker's CPU seconds also by thread name (main JS thread, workflow threads, SDK core, GC, libuv pool).
const THREADS = process.env['BENCH_THREADS'] === '1';
const BASELINE_TREE = process.env['BENCH_BASELINE_TREE'];
const BASELINE_TEMPORAL = process.env['BENCH_BASELINE_TEMPORAL']?.split(',').filter(Boolean);
let currentRound = 0;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 1);
const TEMPORAL_LOG = process.env['BENCH_TEMPORAL_LOG'] ?? join(tmpdir(), 'sdo-bench-temporal.log');
// API and worker warnings and errors (a 5xx is logged there with its cause).
const SDO_LOG = process.env['BENCH_SDO_LOG'] ?? join(tmpdir(), 'sdo-bench-sdo.log');

interface Result {
  stack: string;
  /** BENCH_ROUNDS round the run belongs to (its ratio is against the baseline of the same round). */
  round: number;
  n: number;
  wallS: number;
  perMin: number;
  p50: number;
  p99: number;
  failed: number;
  load: string;
  workerPeakMb: number;
  /** CPU seconds spent during the run, by process kind, and the machine's busy share. */
  cpu: string;
}

const CPU_KINDS: [string, RegExp][] = [
  ['worker', /(apps|dist)\/worker\//],
  ['api', /(apps|dist)\/api\//],
  ['temporal', /temporal/],
  ['postgres', /postgres/],
  ['bench', /tools\/bench\//],
];
const TICK = 100; // USER_HZ on Linux

/** CPU seconds so far per process kind (own and reaped children's), and the machine's busy/total ticks. */
function cpuSample(): { byKind: Map<string, number>; busy: number; total: number } {
  const byKind = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const kind = CPU_KINDS.find(([, re]) => re.test(cmd))?.[0];
      if (!kind) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14–17 of stat (utime, stime, cutime, cstime) are 11–14 after the command.
      const own = (Number(f[11]) + Number(f[12])) / TICK;
      const children = (Number(f[13]) + Number(f[14])) / TICK;
      byKind.set(kind, (byKind.get(kind) ?? 0) + own + children);
      if (THREADS && kind === 'worker') {
        for (const tid of readdirSync(`/proc/${pid}/task`)) {
          const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
          const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
          const tf = t.slice(t.lastIndexOf(')') + 2).split(' ');
          const key = `worker[${tid === pid ? 'main' : name}]`;
          byKind.set(key, (byKind.get(key) ?? 0) + (Number(tf[11]) + Number(tf[12])) / TICK);
        }
      }
      if (PG_SAMPLE && kind === 'postgres') {
        // PostgreSQL names its processes: the postmaster's children time is that of ended sessions.
        const role =
          /^postgres: (checkpointer|walwriter|background writer|autovacuum)/.exec(cmd)?.[1] ?? (/^postgres: /.test(cmd) ? 'sessions' : 'ended sessions');
        byKind.set(`pg ${role}`, (byKind.get(`pg ${role}`) ?? 0) + (role === 'ended sessions' ? children : own));
      }
    } catch {
      // the process ended while being read
    }
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { byKind, busy: total - idle, total };
}

function cpuSpent(before: ReturnType<typeof cpuSample>, after: ReturnType<typeof cpuSample>): string {
  const kinds = [...new Set([...CPU_KINDS.map(([kind]) => kind), ...after.byKind.keys()])];
  const parts = kinds.map((kind) => `${kind} ${Math.max(0, (after.byKind.get(kind) ?? 0) - (before.byKind.get(kind) ?? 0)).toFixed(0)}`);
  const busy = (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total);
  return `${parts.join(', ')} s; busy ${busy.toFixed(0)} %`;
}

/** Peak resident memory of a process (Linux), in MB. */
function peakMb(pid: number | undefined): number {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Reads whose live status was missing (liveUnavailable) or an earlier answer (liveAsOf). */
interface LiveMisses {
  unavailable: number;
  late: number;
  /** Reads of 2.9 s or more, by what they showed: phase/step, and whether a decision was pending. */
  slow: Map<string, number>;
}

/** A manager's API calls (deliveries.ts's apiCaller), with the time of every read kept. */
class Api {
  private readonly caller: ApiCall;
  constructor(
    readonly url: string,
    readonly reads: number[] = [],
    token = TOKENS[0]!,
    readonly misses: LiveMisses = { unavailable: 0, late: 0, slow: new Map() },
  ) {
    this.caller = apiCaller(url, token);
  }
  as(index: number): Api {
    return new Api(this.url, this.reads, TOKENS[index], this.misses);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of several shapes
  async call(method: string, path: string, body?: unknown): Promise<any> {
    const t = performance.now();
    const parsed = await this.caller(method, path, body);
    if (method === 'GET') {
      const ms = performance.now() - t;
      this.reads.push(ms);
      if (ms >= 2_900) {
        // Steps name the bench's manager (accepted by bench17): one line for them all.
        const step = String(parsed?.step ?? '-').replace(/\bbench\d+\b/g, 'bench<i>');
        const shown = `${parsed?.phase}/${step}${parsed?.pendingDecisions?.length ? ' (decision pending)' : ''}`;
        this.misses.slow.set(shown, (this.misses.slow.get(shown) ?? 0) + 1);
      }
      if (parsed?.liveUnavailable) this.misses.unavailable += 1;
      if (parsed?.liveAsOf) this.misses.late += 1;
    }
    return parsed;
  }
}

/** A customer's databases, as they exist before the order: a Chinook SQLite file and an empty PostgreSQL target. */
interface CustomerDatabases {
  sqliteFile: string;
  targetDb: string;
  targetUrl: URL;
}

async function prepareCustomer(serverUrl: string, sqliteDir: string): Promise<CustomerDatabases> {
  const sqliteFile = join(sqliteDir, `chinook-${randomUUID()}.sqlite`);
  copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), sqliteFile);
  const targetDb = `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  return { sqliteFile, targetDb, targetUrl: new URL(await ensureDatabase(serverUrl, targetDb)) };
}

/**
 * Drops a run's customer databases and files, then checkpoints, outside the measured time: runs
 * later in the same bench otherwise found a server with more databases and dirtier buffers, and
 * were slower for it (runs measured in the order A B A B slowed down run after run).
 */
async function retireCustomers(serverUrl: string, customers: CustomerDatabases[]): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    for (const { targetDb, sqliteFile } of customers) {
      await c.query(`DROP DATABASE IF EXISTS "${targetDb}" WITH (FORCE)`);
      rmSync(sqliteFile, { force: true });
    }
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

/** One delivery, from start to completed, as a manager would move it (every gate through HTTP). */
async function deliver(api: Api, databases: CustomerDatabases, customer: string): Promise<void> {
  const call: ApiCall = (method, path, body) => api.call(method, path, body);
  const { id } = await startConversion(call, {
    customerId: customer,
    name: databases.targetDb,
    sqliteFile: databases.sqliteFile,
    targetUrl: databases.targetUrl,
    contractRef: 'CT-BENCH',
    cutoverDurationMinutes: 120,
  });
  await approveAndOpenCutover(call, id);
  await untilDelivery(call, id, (d) => d.live?.awaiting === 'acceptance');
  await api.call('POST', `/v1/deliveries/${id}/acceptance-confirmation`, { comment: 'signed off' });
  await untilDelivery(call, id, (d) => d.phase === 'completed');
}

async function runStack(
  stack: string,
  temporalAddress: string,
  workers: number,
  serverUrl: string,
  sqliteDir: string,
  out: Result[],
  overrides: Record<string, string> = {},
  tree?: string,
): Promise<void> {
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...overrides,
    DATABASE_URL: await ensureDatabase(serverUrl, `sdo_${stack.replace(/\W/g, '')}_${randomUUID().slice(0, 8)}`),
    TEMPORAL_ADDRESS: temporalAddress,
    SDO_API_PORT: String(apiPort),
    SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
    SDO_PAYLOAD_KEYS: PAYLOAD_KEYS,
    SDO_API_TOKENS: TOKENS.map((t, i) => `bench${i}:admin:${t}`).join(','),
    SDO_SQLITE_DIR: sqliteDir,
    SDO_TASK_QUEUE: `bench-${stack.replace(/\W/g, '')}-${randomUUID().slice(0, 8)}`,
    SDO_LOG_LEVEL: 'warn',
  };
  const nodeArgs = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const procs: Managed[] = [];
  const workerPids: (number | undefined)[] = [];
  // A process that exits at start (bad configuration) fails the run at once, with its last words.
  let exited: Error | undefined;
  const start = (name: string, entry: typeof API_ENTRY) => {
    const tail: string[] = [];
    const log = (line: string) => {
      appendFileSync(SDO_LOG, line.endsWith('\n') ? line : `${line}\n`);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    };
    const { child, managed } = tree ? startFromTree(tree, name, entry, env, log, nodeArgs) : startSdoProcess(name, entry, env, log, nodeArgs);
    child.once('exit', (code, signal) => {
      exited ??= new Error(`${stack}: ${name} exited (${code ?? signal}):\n${tail.join('\n')}`);
    });
    procs.push(managed);
    if (name.startsWith('worker')) workerPids.push(child.pid);
  };
  try {
    for (let i = 1; i <= workers; i++) start(`worker-${i}`, WORKER_ENTRY);
    start('api', API_ENTRY);
    const api = new Api(`http://127.0.0.1:${apiPort}`);
    const ready = waitFor('the API', async () => (await fetch(`${api.url}/health`)).ok, 240_000);
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => exited && (clearInterval(check), reject(exited)), 250);
      ready.then(
        () => (clearInterval(check), resolve()),
        (err: unknown) => (clearInterval(check), reject(exited ?? err)),
      );
    });
    for (const n of SIZES) {
      api.reads.length = 0;
      api.misses.unavailable = 0;
      api.misses.late = 0;
      api.misses.slow.clear();
      // The customers' databases exist before their orders: created outside the measured time.
      const customers: CustomerDatabases[] = [];
      for (let i = 0; i < n; i++) customers.push(await prepareCustomer(serverUrl, sqliteDir));
      const t0 = Date.now();
      const cpu0 = cpuSample();
      const sampler = PG_SAMPLE ? samplePostgres(serverUrl) : undefined;
      if (exited) throw exited;
      const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => deliver(api.as(i), customers[i]!, `CUST-B${n}-${i}`)));
      const wallS = (Date.now() - t0) / 1000;
      const failed = results.filter((r) => r.status === 'rejected');
      for (const f of failed.slice(0, 2)) console.error(`  ${stack} N=${n}:`, (f as PromiseRejectedResult).reason);
      const reads = [...api.reads].sort((a, b) => a - b);
      const r: Result = {
        stack,
        round: currentRound,
        n,
        wallS,
        perMin: ((n - failed.length) / wallS) * 60,
        p50: percentile(reads, 50),
        p99: percentile(reads, 99),
        failed: failed.length,
        load: loadavg()
          .map((l) => l.toFixed(1))
          .join('/'),
        workerPeakMb: Math.max(...workerPids.map(peakMb)),
        cpu: cpuSpent(cpu0, cpuSample()),
      };
      if (sampler) console.log(await sampler.stop());
      await retireCustomers(serverUrl, customers);
      out.push(r);
      console.log(
        `${stack} N=${n}: ${wallS.toFixed(1)} s, ${r.perMin.toFixed(1)}/min, reads p50 ${r.p50.toFixed(0)} ms p99 ${r.p99.toFixed(0)} ms (${reads.length} reads: ${api.misses.unavailable} without live status, ${api.misses.late} with an earlier answer, ${reads.filter((ms) => ms >= 2_900).length} of 2.9 s or more), failed ${r.failed}, load ${r.load}, worker peak ${r.workerPeakMb.toFixed(0)} MB; CPU ${r.cpu}`,
      );
      if (api.misses.slow.size)
        console.log(
          `  slow reads showed: ${[...api.misses.slow]
            .sort((a, b) => b[1] - a[1])
            .map(([shown, count]) => `${shown} ×${count}`)
            .join(', ')}`,
        );
    }
  } finally {
    for (const p of procs.reverse()) await p.stop();
  }
}

/** An SDO process from another checkout (BENCH_BASELINE_TREE), run from its sources as startSdoProcess runs ours. */
function startFromTree(tree: string, name: string, app: BuildApp, env: NodeJS.ProcessEnv, log: (line: string) => void, nodeArgs: string[]) {
  const started = startProcess(name, process.execPath, [...nodeArgs, ...appCommand(app, true)], {
    env: { ...env, TS_NODE_PROJECT: join(tree, 'tsconfig.json') },
    cwd: tree,
  });
  const prefix = (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => log(`[base ${name}] ${l}`));
  started.child.stdout?.on('data', prefix);
  started.child.stderr?.on('data', prefix);
  return started;
}

/** Poor man's profiler of PostgreSQL: what its backends are doing, sampled, by database kind and statement. */
function samplePostgres(serverUrl: string): { stop(): Promise<string> } {
  const client = new Client({ connectionString: serverUrl });
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  type Counters = { sessions: number; checkpoints: number; written: number; wal: string };
  let startCounters: Counters | undefined;
  let countersSql = '';
  const loop = (async () => {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
    const counters = `SELECT (SELECT sum(sessions) FROM pg_stat_database)::int AS sessions, (SELECT num_requested + num_timed FROM pg_stat_checkpointer)::int AS checkpoints,
        (SELECT buffers_written FROM pg_stat_checkpointer)::int AS written, (SELECT wal_bytes FROM pg_stat_wal)::bigint::text AS wal`;
    startCounters = (await client.query<Counters>(counters)).rows[0];
    countersSql = counters;
    while (running) {
      const { rows } = await client.query<{ db: string; q: string; w: string | null }>(
        `SELECT datname AS db, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q, wait_event AS w FROM pg_stat_activity
          WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      samples++;
      for (const r of rows) {
        const db = r.db.startsWith('sdo_')
          ? 'app'
          : r.db.startsWith('bench_')
            ? 'target'
            : r.db.includes('scratch') || r.db.startsWith('sdo')
              ? 'scratch'
              : r.db;
        const key = `${db} | ${r.w ?? 'cpu'} | ${r.q.replace(/'[^']*'/g, "'…'").replace(/\$\d+/g, '$')}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      const end = (await client.query<Counters>(countersSql)).rows[0]!;
      console.log(
        `PostgreSQL: ${end.sessions - startCounters!.sessions} sessions opened, ${end.checkpoints - startCounters!.checkpoints} checkpoints (${end.written - startCounters!.written} buffers written), ${((Number(end.wal) - Number(startCounters!.wal)) / 2 ** 20).toFixed(0)} MB WAL`,
      );
      const { rows: stmts } = await client.query<{ db: string; calls: string; ms: string; q: string }>(
        `SELECT d.datname AS db, s.calls::text, round(s.total_exec_time)::text AS ms, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 90) AS q
           FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid`,
      );
      await client.end();
      const byStatement = new Map<string, { calls: number; ms: number }>();
      for (const r of stmts) {
        const db = r.db.startsWith('sdo_') ? 'app' : r.db.startsWith('bench_') ? 'target' : r.db;
        const key = `${db} | ${r.q.replace(/"sdo_[a-z]+_[0-9a-f_]+"/g, '"sdo_…"').replace(/"bench_[0-9a-f]+"/g, '"bench_…"')}`;
        const e = byStatement.get(key) ?? { calls: 0, ms: 0 };
        e.calls += Number(r.calls);
        e.ms += Number(r.ms);
        byStatement.set(key, e);
      }
      const totalCalls = [...byStatement.values()].reduce((n, e) => n + e.calls, 0);
      const byCalls = [...byStatement].sort((a, b) => b[1].calls - a[1].calls).slice(0, 25);
      const byTime = [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
      const line = ([k, e]: [string, { calls: number; ms: number }]) => `  ${String(e.calls).padStart(7)} calls ${String(e.ms).padStart(7)} ms  ${k}`;
      console.log(`Statements: ${totalCalls} calls. Most called:\n${byCalls.map(line).join('\n')}\nMost time:\n${byTime.map(line).join('\n')}`);
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 25);
      return `PostgreSQL active backends, ${samples} samples (mean per sample, db | wait | statement):\n${top.map(([k, n]) => `  ${(n / samples).toFixed(2)} ${k}`).join('\n')}`;
    },
  };
}

const started: Managed[] = [];
// Ctrl-C or kill: stop the servers and SDO processes this run started (they would outlive it).
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.allSettled([...started].reverse().map((m) => m.stop())).then(() => process.exit(130));
  });

async function main(): Promise<void> {
  ensureSdoBuilt(console.log); // compiled api and worker, before any server's output is piped
  const dir = mkdtempSync(join(tmpdir(), 'sdo-bench-'));
  const sqliteDir = join(dir, 'sqlite');
  const out: Result[] = [];
  // PostgreSQL runs as its own user when we are root: it must pass through the directory.
  makeStateDir(dir, { traverseGid: postgresServiceGid() });
  try {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      persistent: false,
      password: randomBytes(12).toString('hex'),
      settings: PG_SAMPLE ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : [],
    });
    started.push(postgres);
    mkdirSync(sqliteDir, { mode: 0o700 });

    if (STACKS.includes('dev/1w')) {
      const dev = await startTemporal({ port: await freePort(), dbFile: join(dir, 'temporal.db') });
      started.push(dev);
      const devBase = BASELINE_TEMPORAL
        ? await startTemporal({ port: await freePort(), dbFile: join(dir, 'temporal-base.db'), sqlitePragmas: BASELINE_TEMPORAL })
        : dev;
      if (devBase !== dev) started.push(devBase);
      const withBase = !!(BASELINE || BASELINE_TREE || BASELINE_TEMPORAL);
      const runBase = () => runStack('dev/base', devBase.address, 1, postgres.url, sqliteDir, out, BASELINE ?? {}, BASELINE_TREE);
      const runOurs = () => runStack('dev/1w', dev.address, 1, postgres.url, sqliteDir, out);
      for (let round = 0; round < ROUNDS; round++) {
        currentRound = round;
        // A B, then B A: neither side always runs first.
        for (const run of withBase ? (round % 2 ? [runOurs, runBase] : [runBase, runOurs]) : [runOurs]) await run();
      }
      for (const server of devBase !== dev ? [devBase, dev] : [dev]) {
        await server.stop();
        started.pop();
      }
    }
    if (!STACKS.some((s) => s.startsWith('cl/'))) return;
    const { server, sqlTool } = await ensureServerBuilt(console.log);
    await setupTemporalSchema(postgres.url, sqlTool, quiet);
    const port = await freeClusterPort();
    const cluster = await startTemporalCluster({
      server,
      stateDir: dir,
      serverUrl: postgres.url,
      frontendPort: port,
      log: (l) => appendFileSync(TEMPORAL_LOG, l),
    });
    started.push(cluster);
    await registerNamespace(cluster.address, 'default', quiet);
    if (STACKS.includes('cl/1w')) await runStack('cl/1w', cluster.address, 1, postgres.url, sqliteDir, out);
    if (STACKS.includes('cl/3w')) await runStack('cl/3w', cluster.address, 3, postgres.url, sqliteDir, out);
  } finally {
    for (const m of started.reverse()) await m.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    printTable(out);
  }
}

function printTable(out: Result[]): void {
  const baseStack = BASELINE || BASELINE_TREE || BASELINE_TEMPORAL ? 'dev/base' : 'dev/1w';
  console.log(`\n| stack | N | wall s | deliveries/min | ×${baseStack} | read p50 ms | read p99 ms | failed | load 1/5/15 | worker peak MB | CPU s |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [i, r] of out.entries()) {
    // The baseline run of the same round (the closest before this one when there is none).
    const base =
      out.find((b) => b.stack === baseStack && b.n === r.n && b.round === r.round) ??
      out
        .slice(0, i + 1)
        .reverse()
        .find((b) => b.stack === baseStack && b.n === r.n);
    const ratio = base ? (r.perMin / base.perMin).toFixed(2) : '-';
    console.log(
      `| ${r.stack} | ${r.n} | ${r.wallS.toFixed(1)} | ${r.perMin.toFixed(1)} | ${ratio} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.failed} | ${r.load} | ${r.workerPeakMb.toFixed(0)} | ${r.cpu} |`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
