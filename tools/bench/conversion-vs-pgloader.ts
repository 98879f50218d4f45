/**
 * MySQL/MariaDB → PostgreSQL: SDO's conversion engine against pgloader, same sources, same servers,
 * same run (figures, not a test). Run through tools/bench/conversion-vs-pgloader.sh.
 * For each source (the issue #9 fidelity fixture, Chinook MySQL): wall time of each tool, then what
 * each kept in PostgreSQL (foreign keys, indexes, NOT NULL, defaults, CHECKs, views, triggers) and
 * whether every table has the source's row count. SDO's time covers introspection, plan, tables,
 * data and constraints/views/triggers; its own verification is timed apart (pgloader has none).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { buildCopyPlan, copyTable, MysqlConnector, PgTarget, verifyTable } from '@sdo/data-engine';
import { createMysqlDatabase, loadChinookMysql, mysqlExec } from '@sdo/data-engine/testing';
import { createScratchDatabase } from '@sdo/testing';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 1);

interface Kept {
  tables: number;
  foreignKeys: number;
  indexes: number;
  notNull: number;
  defaults: number;
  checks: number;
  views: number;
  triggers: number;
}

async function pgQuery(url: string, sql: string, params: unknown[] = []): Promise<Record<string, string>[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** What a schema of the PostgreSQL target holds. */
async function kept(url: string, schema: string): Promise<Kept> {
  const [r] = await pgQuery(
    url,
    `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = $1)::int AS tables,
            (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = $1 AND contype = 'f')::int AS "foreignKeys",
            (SELECT count(*) FROM pg_indexes WHERE schemaname = $1)::int AS indexes,
            (SELECT count(*) FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
              WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' AND c.is_nullable = 'NO')::int AS "notNull",
            (SELECT count(*) FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
              WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' AND ((c.column_default IS NOT NULL AND c.column_default NOT LIKE 'NULL::%') OR c.is_identity = 'YES'))::int AS defaults,
            (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE n.nspname = $1 AND contype = 'c')::int AS checks,
            (SELECT count(*) FROM pg_views WHERE schemaname = $1)::int AS views,
            (SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND NOT g.tgisinternal)::int AS triggers`,
    [schema],
  );
  return r as unknown as Kept;
}

/** The same in the MySQL source (defaults include AUTO_INCREMENT, as identities do on the PostgreSQL side; MariaDB's `DEFAULT NULL` is no default). */
async function sourceObjects(url: string, db: string): Promise<Kept & { rows: Map<string, number> }> {
  const c = await createConnection({ uri: url });
  try {
    const one = async (sql: string) => Number(((await c.query(sql, [db]))[0] as Record<string, unknown>[])[0]!['n']);
    const tables = (
      (await c.query(`SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`, [db]))[0] as {
        t: string;
      }[]
    ).map((x) => x.t);
    const rows = new Map<string, number>();
    for (const t of tables) rows.set(t.toLowerCase(), Number(((await c.query(`SELECT count(*) AS n FROM \`${db}\`.\`${t}\``))[0] as { n: number }[])[0]!.n));
    return {
      tables: tables.length,
      foreignKeys: await one(`SELECT count(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`),
      indexes: await one(`SELECT count(DISTINCT TABLE_NAME, INDEX_NAME) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`),
      notNull: await one(
        `SELECT count(*) AS n FROM information_schema.COLUMNS c JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME) WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' AND c.IS_NULLABLE = 'NO'`,
      ),
      defaults: await one(
        `SELECT count(*) AS n FROM information_schema.COLUMNS c JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME) WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' AND ((c.COLUMN_DEFAULT IS NOT NULL AND c.COLUMN_DEFAULT <> 'NULL') OR c.EXTRA LIKE '%auto_increment%')`,
      ),
      checks: await one(`SELECT count(*) AS n FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND CHECK_CLAUSE NOT LIKE 'json_valid(%'`),
      views: await one(`SELECT count(*) AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`),
      triggers: await one(`SELECT count(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`),
      rows,
    };
  } finally {
    await c.end();
  }
}

/** Tables whose row count differs from the source's (names compared lower-case, underscores ignored). */
async function rowMismatches(url: string, schema: string, source: Map<string, number>): Promise<string[]> {
  const bad: string[] = [];
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '');
  const tables = await pgQuery(url, `SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
  for (const [name, n] of source) {
    const t = tables.find((x) => norm(x['tablename']!) === norm(name));
    if (!t) {
      bad.push(`${name} missing`);
      continue;
    }
    const [r] = await pgQuery(url, `SELECT count(*)::int AS n FROM "${schema}"."${t['tablename']!.replace(/"/g, '""')}"`);
    if (Number(r!['n']) !== n) bad.push(`${name} ${r!['n']}/${n}`);
  }
  return bad;
}

async function sdo(mysqlUrl: string, pgUrl: string): Promise<{ ms: number; verifyMs: number; verified: boolean; warnings: number }> {
  const started = Date.now();
  const source = new MysqlConnector(mysqlUrl);
  const target = new PgTarget(pgUrl);
  try {
    // As the conversion activity does: exact counts tell which NOT NULL date columns hold no zero date.
    const schema = await source.introspect({ exactCounts: true });
    const plan = await buildCopyPlan(source, { jobId: 'bench', targetSchema: 'sdo', naming: 'snake', schema });
    await target.createTables(plan);
    for (const t of plan.tables) await copyTable(source, target, { plan, table: t.source.ref.name, attempt: { id: 'bench', seq: 1 } });
    const { warnings } = await target.finalize(plan);
    const ms = Date.now() - started;
    const v0 = Date.now();
    let verified = true;
    for (const t of plan.tables) verified = (await verifyTable(source, target, { plan, table: t.source.ref.name })).equal && verified;
    return { ms, verifyMs: Date.now() - v0, verified, warnings: warnings.length };
  } finally {
    await source.close();
    await target.close();
  }
}

function pgloader(mysqlUrl: string, pgUrl: string): number {
  const started = Date.now();
  // Defaults as a new user would run it: schema named after the MySQL database, identifiers lower-cased.
  execFileSync('pgloader', ['--quiet', '--on-error-stop', mysqlUrl, pgUrl], { stdio: ['ignore', 'ignore', 'pipe'] });
  return Date.now() - started;
}

const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '–');

async function bench(label: string, load: (db: { name: string; url: string }) => Promise<void>): Promise<void> {
  const my = await createMysqlDatabase(`bench_${label}`);
  try {
    await load(my);
    const src = await sourceObjects(my.url, my.name);
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await createScratchDatabase('bench_sdo');
      const b = await createScratchDatabase('bench_pgl');
      try {
        const s = await sdo(my.url, a.url);
        const pMs = pgloader(my.url, b.url);
        const sk = await kept(a.url, 'sdo');
        const pk = await kept(b.url, my.name.toLowerCase());
        const sBad = await rowMismatches(a.url, 'sdo', src.rows);
        const pBad = await rowMismatches(b.url, my.name.toLowerCase(), src.rows);
        console.log(`\n== ${label} (round ${round}/${ROUNDS}): ${src.tables} tables, ${[...src.rows.values()].reduce((x, y) => x + y, 0)} rows`);
        console.log(`${'object'.padEnd(12)} ${'source'.padStart(7)} ${'SDO'.padStart(7)} ${'pgloader'.padStart(9)}`);
        for (const k of ['tables', 'foreignKeys', 'indexes', 'notNull', 'defaults', 'checks', 'views', 'triggers'] as (keyof Kept)[]) {
          console.log(`${k.padEnd(12)} ${String(src[k]).padStart(7)} ${String(sk[k]).padStart(7)} ${String(pk[k]).padStart(9)}`);
        }
        console.log(
          `rows equal   SDO: ${sBad.length ? `NO (${sBad.join(', ')})` : 'all tables'}; pgloader: ${pBad.length ? `NO (${pBad.join(', ')})` : 'all tables'}`,
        );
        console.log(`content      SDO verified by checksums: ${s.verified ? 'equal' : 'DIFFERENT'} (${s.verifyMs} ms); pgloader: not verified`);
        console.log(
          `wall time    SDO ${s.ms} ms, pgloader ${pMs} ms → pgloader/SDO = ${ratio(pMs, s.ms)}× (SDO ${Number(ratio(pMs, s.ms)) >= 1 ? 'ahead' : 'behind'}); with SDO's verification ${ratio(pMs, s.ms + s.verifyMs)}×`,
        );
      } finally {
        await a.drop();
        await b.drop();
      }
    }
  } finally {
    await my.drop();
  }
}

async function main(): Promise<void> {
  console.log(`load: ${execFileSync('cat', ['/proc/loadavg']).toString().trim()} (1/5/15-min load average, ${require('node:os').cpus().length} cores)`);
  await bench('fidelity', async (db) =>
    mysqlExec(db.url, readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'conversion', 'fidelity-mariadb.sql'), 'utf8')),
  );
  await bench('chinook', (db) => loadChinookMysql(db.name));
  console.log(`\nload after: ${execFileSync('cat', ['/proc/loadavg']).toString().trim()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
