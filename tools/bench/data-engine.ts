/**
 * Data engine benchmarks (figures, not tests). Run:
 *   tools/scripts/with-test-stack.sh node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/bench/data-engine.ts
 * Env: BENCH_ROWS (default 1,000,000), BENCH_HETERO_ROWS (default 300,000), BENCH_BIG_ROWS (e.g. 10000000: peak-RSS run),
 *      BENCH_ONLY (pg | hetero | lanes | none: skip the other comparisons), BENCH_LANE_TABLES (default 4).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { buildCopyPlan, copyTable, MysqlConnector, PgTarget, PostgresConnector, SqliteConnector, verifyTable, type SourceConnector } from '@sdo/data-engine';
import { createScratchDatabase, requireMysqlUrl } from '@sdo/testing';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const HETERO = Number(process.env['BENCH_HETERO_ROWS'] ?? 300_000);
const BIG = Number(process.env['BENCH_BIG_ROWS'] ?? 0);
const LANE_TABLES = Number(process.env['BENCH_LANE_TABLES'] ?? 4);
/** `pg`, `hetero` or `lanes`: run only that comparison (plus the BENCH_BIG_ROWS run when set). */
const ONLY = process.env['BENCH_ONLY'] ?? '';
const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en')} rows/s`;
const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);

async function pg(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = Date.now();
  const r = await fn();
  return [r, Date.now() - t];
}

const DDL = `CREATE TABLE big (id bigint PRIMARY KEY, qty integer NOT NULL, label text, at timestamptz, amount numeric(18,6))`;
const FILL = (n: number) =>
  `INSERT INTO big SELECT g, g % 1000, 'row ' || g || ' ' || md5(g::text), timestamptz '2020-01-01 00:00:00.000001+00' + g * interval '1.000001 second', g / 7.0 FROM generate_series(1, ${n}) g`;

async function engineCopy(source: SourceConnector, targetUrl: string, job: string, table: string, chunkRows = 100_000) {
  const target = new PgTarget(targetUrl);
  const plan = await buildCopyPlan(source, { jobId: job, targetSchema: 'public', tables: [table] });
  await target.createTables(plan);
  const [r, ms] = await timed(() => copyTable(source, target, { plan, table, attempt: { id: 'bench', seq: 1 }, chunkRows }));
  return { plan, target, r, ms };
}

async function pgToPg(): Promise<void> {
  const src = await createScratchDatabase('bench_src');
  const raw = await createScratchDatabase('bench_raw');
  const dst = await createScratchDatabase('bench_dst');
  await pg(src.url, `${DDL}; ${FILL(ROWS)}`);
  await pg(src.url, 'VACUUM ANALYZE big'); // hint bits set before anything is timed: no reader pays for them
  // Raw pipe: COPY TO STDOUT → COPY FROM STDIN, same shape of target table (no PK: the engine adds keys after data too).
  // Measured before and after the engine run; the faster of the two is the reference (conservative ratio).
  await pg(raw.url, DDL.replace(' PRIMARY KEY', ''));
  const rawPipe = async () => {
    await pg(raw.url, 'TRUNCATE big');
    const a = new Client({ connectionString: src.url });
    const b = new Client({ connectionString: raw.url });
    await a.connect();
    await b.connect();
    const [, t] = await timed(() => pipeline(a.query(copyTo('COPY big TO STDOUT')), b.query(copyFrom('COPY big FROM STDIN'))));
    await a.end();
    await b.end();
    return t;
  };
  const raw1 = await rawPipe();
  const source = new PostgresConnector(src.url);
  const rssBefore = rssMb();
  const { plan, target, r, ms } = await engineCopy(source, dst.url, 'bench-pg', 'big');
  const rssAfter = rssMb();
  const raw2 = await rawPipe();
  const rawMs = Math.min(raw1, raw2);
  const [v, verifyMs] = await timed(() => verifyTable(source, target, { plan, table: 'big' }));
  console.log(`PG → PG, ${ROWS.toLocaleString('en')} rows`);
  console.log(`  raw COPY | COPY pipe:          ${rawMs} ms, ${rate(ROWS, rawMs)} (best of ${raw1} ms before and ${raw2} ms after the engine run)`);
  console.log(`  engine (100k-row checkpointed chunks): ${ms} ms, ${rate(r.rowsLoaded, ms)}  → ${(rawMs / ms).toFixed(2)}× the raw pipe`);
  console.log(`  verification: ${verifyMs} ms (${v.algorithm}, equal=${v.equal}) → ${(verifyMs / ms).toFixed(2)}× the copy time`);
  console.log(`  process RSS ${rssBefore} → ${rssAfter} MB`);
  await source.close();
  await target.close();
  for (const d of [src, raw, dst]) await d.drop();
}

function pgloader(from: string, to: string): number {
  const t = Date.now();
  const r = spawnSync('/usr/bin/pgloader', ['--quiet', from, to], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pgloader failed: ${r.stderr || r.stdout}`);
  return Date.now() - t;
}

async function heteroVsPgloader(): Promise<void> {
  const pgUrl = (u: string) => u; // embedded PostgreSQL URL with password
  // MySQL source
  const db = `bench_${Date.now()}`;
  const root = requireMysqlUrl();
  const c = await createConnection({ uri: root, multipleStatements: true });
  await c
    .query(
      `CREATE DATABASE ${db} CHARACTER SET utf8mb4; USE ${db};
    CREATE TABLE big (id BIGINT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(80), at DATETIME(6), amount DECIMAL(18,6), flag TINYINT(1));
    SET SESSION cte_max_recursion_depth = ${HETERO + 10};`,
    )
    .catch(async () => {
      await c.query(
        `CREATE DATABASE IF NOT EXISTS ${db} CHARACTER SET utf8mb4; USE ${db}; CREATE TABLE IF NOT EXISTS big (id BIGINT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(80), at DATETIME(6), amount DECIMAL(18,6), flag TINYINT(1));`,
      );
    });
  await c.query(`USE ${db}`);
  await c.query(
    `INSERT INTO big SELECT seq, seq % 1000, CONCAT('row ', seq, ' ', MD5(seq)), TIMESTAMPADD(MICROSECOND, seq * 1000001, '2020-01-01 00:00:00.000001'), seq / 7, seq % 2 FROM seq_1_to_${HETERO}`,
  );
  await c.end();
  const myUrl = new URL(root);
  myUrl.pathname = `/${db}`;
  const t1 = await createScratchDatabase('bench_my_engine');
  const t2 = await createScratchDatabase('bench_my_pgloader');
  const my = new MysqlConnector(myUrl.toString());
  const e1 = await engineCopy(my, t1.url, 'bench-my', 'big', 50_000);
  await my.close();
  await e1.target.close();
  const p1 = pgloader(myUrl.toString(), pgUrl(t2.url));
  console.log(
    `MySQL (MariaDB) → PG, ${HETERO.toLocaleString('en')} rows: engine ${e1.ms} ms (${rate(HETERO, e1.ms)}), pgloader ${p1} ms (${rate(HETERO, p1)}) → engine ${(p1 / e1.ms).toFixed(2)}× pgloader's speed`,
  );
  // SQLite source
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const file = join(dir, 'bench.sqlite');
  const s = new Database(file);
  s.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL, label TEXT, at DATETIME, amount NUMERIC(18,6), flag BOOLEAN)`);
  s.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${HETERO})
          INSERT INTO big SELECT n, n % 1000, 'row ' || n || ' ' || hex(randomblob(8)), datetime(1577836800 + n, 'unixepoch'), n / 7.0, n % 2 FROM g`);
  s.close();
  const t3 = await createScratchDatabase('bench_sq_engine');
  const t4 = await createScratchDatabase('bench_sq_pgloader');
  const sq = new SqliteConnector(file);
  const e2 = await engineCopy(sq, t3.url, 'bench-sq', 'big', 50_000);
  await sq.close();
  await e2.target.close();
  const p2 = pgloader(file, pgUrl(t4.url));
  console.log(
    `SQLite → PG, ${HETERO.toLocaleString('en')} rows: engine ${e2.ms} ms (${rate(HETERO, e2.ms)}), pgloader ${p2} ms (${rate(HETERO, p2)}) → engine ${(p2 / e2.ms).toFixed(2)}× pgloader's speed`,
  );
  rmSync(dir, { recursive: true, force: true });
  for (const d of [t1, t2, t3, t4]) await d.drop();
  execFileSync('true');
}

/** A MariaDB database of `tables` tables of `rows` rows each (the shape of the pgloader comparison); returns its URL. */
async function mysqlTables(tables: number, rows: number): Promise<string> {
  const db = `bench_${Date.now()}`;
  const root = requireMysqlUrl();
  const c = await createConnection({ uri: root, multipleStatements: true });
  await c.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  await c.query(`USE ${db}`);
  for (let i = 1; i <= tables; i++) {
    await c.query(`CREATE TABLE t${i} (id BIGINT PRIMARY KEY, qty INT NOT NULL, label VARCHAR(80), at DATETIME(6), amount DECIMAL(18,6), flag TINYINT(1))`);
    await c.query(
      `INSERT INTO t${i} SELECT seq, seq % 1000, CONCAT('row ', seq, ' ', MD5(seq)), TIMESTAMPADD(MICROSECOND, seq * 1000001, '2020-01-01 00:00:00.000001'), seq / 7, seq % 2 FROM seq_1_to_${rows}`,
    );
  }
  await c.end();
  const url = new URL(root);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * Tables copied one at a time vs several at once, as a conversion's `parallelTables` runs them: each
 * table with its own connector and target (as each copy activity opens its own), in one process (one worker).
 */
async function lanes(): Promise<void> {
  const rows = Math.round(HETERO / LANE_TABLES);
  const myUrl = await mysqlTables(LANE_TABLES, rows);
  const tables = Array.from({ length: LANE_TABLES }, (_, i) => `t${i + 1}`);
  const run = async (parallel: number): Promise<number> => {
    const dst = await createScratchDatabase(`bench_lanes${parallel}`);
    const planner = new MysqlConnector(myUrl);
    const plan = await buildCopyPlan(planner, { jobId: `bench-lanes-${parallel}`, targetSchema: 'public', tables });
    await planner.close();
    const setup = new PgTarget(dst.url);
    await setup.createTables(plan);
    await setup.close();
    const queue = [...tables];
    const lane = async () => {
      for (let table = queue.shift(); table; table = queue.shift()) {
        const source = new MysqlConnector(myUrl);
        const target = new PgTarget(dst.url);
        await copyTable(source, target, { plan, table, attempt: { id: `lane-${table}`, seq: 1 }, chunkRows: 50_000 });
        await source.close();
        await target.close();
      }
    };
    const [, ms] = await timed(() => Promise.all(Array.from({ length: parallel }, lane)));
    await dst.drop();
    return ms;
  };
  const figures = new Map<number, number>();
  for (const parallel of [1, 2, 4]) figures.set(parallel, await run(parallel));
  const one = figures.get(1)!;
  console.log(
    `MariaDB → PG, ${LANE_TABLES} tables × ${rows.toLocaleString('en')} rows: ` +
      [...figures].map(([p, ms]) => `${p} at a time ${ms} ms (${rate(rows * LANE_TABLES, ms)}, ${(one / ms).toFixed(2)}× one at a time)`).join('; '),
  );
}

async function bigRss(): Promise<void> {
  if (!BIG) return;
  const src = await createScratchDatabase('bench_big_src');
  const dst = await createScratchDatabase('bench_big_dst');
  await pg(src.url, `${DDL}; ${FILL(BIG)}; ANALYZE big`);
  const source = new PostgresConnector(src.url);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
  const { target, r, ms } = await engineCopy(source, dst.url, 'bench-big', 'big');
  clearInterval(timer);
  console.log(
    `PG → PG, ${BIG.toLocaleString('en')} rows: ${ms} ms (${rate(r.rowsLoaded, ms)}), peak RSS sampled ${peak} MB, process maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  await source.close();
  await target.close();
  await src.drop();
  await dst.drop();
}

async function main(): Promise<void> {
  if (!ONLY || ONLY === 'pg') await pgToPg();
  if (!ONLY || ONLY === 'hetero') await heteroVsPgloader();
  if (!ONLY || ONLY === 'lanes') await lanes();
  await bigRss();
  console.log(`process maxRSS over the whole run: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
