import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { buildCopyPlan, copyTable, MysqlConnector, PgTarget, SqliteConnector, verifyTable, type CopyPlan, type SourceConnector } from './index';
import { quotePg } from './identifiers';
import { CHINOOK_TABLES, chinookColumn, chinookDir, createMysqlDatabase, loadChinookMysql, loadChinookPostgres, pgRows } from './test-support/fixtures';

/** Copies every table of the plan, then finalises and verifies; returns per-table verification. */
async function copyAll(source: SourceConnector, targetUrl: string, plan: CopyPlan) {
  const target = new PgTarget(targetUrl);
  try {
    await target.createTables(plan);
    for (const t of plan.tables) {
      const r = await copyTable(source, target, { plan, table: t.target.name, attempt: { id: 'a1', seq: 1 }, chunkRows: 1000 });
      expect(r.rowsLoaded + r.rowsRejected).toBe(await source.countRows(t.source.ref));
    }
    await target.finalize(plan);
    const verified = [];
    for (const t of plan.tables) verified.push(await verifyTable(source, target, { plan, table: t.target.name, chunkRows: 2000 }));
    return verified;
  } finally {
    await target.close();
  }
}

/** Row-by-row comparison of each converted table with the official PostgreSQL Chinook. */
async function compareWithReference(targetUrl: string, schema: string, referenceUrl: string): Promise<void> {
  for (const [src, ref] of Object.entries(CHINOOK_TABLES)) {
    const cols = (
      await pgRows(targetUrl, `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`, [
        schema,
        src,
      ])
    ).map((r) => r[0]!);
    const refCols = (
      await pgRows(
        referenceUrl,
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [ref.table],
      )
    ).map((r) => r[0]!);
    expect(cols.map(chinookColumn)).toEqual(refCols);
    const mine = await pgRows(
      targetUrl,
      `SELECT ${cols.map((c) => `${quotePg(c)}::text`).join(', ')} FROM ${quotePg(schema)}.${quotePg(src)} ORDER BY ${ref.key.map(quotePg).join(', ')}`,
    );
    const theirs = await pgRows(
      referenceUrl,
      `SELECT ${refCols.map((c) => `${quotePg(c)}::text`).join(', ')} FROM public.${quotePg(ref.table)} ORDER BY ${ref.key.map((k) => quotePg(chinookColumn(k))).join(', ')}`,
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBe(theirs.length);
    for (let i = 0; i < mine.length; i++)
      if (JSON.stringify(mine[i]) !== JSON.stringify(theirs[i])) expect({ table: src, row: mine[i] }).toEqual({ table: src, row: theirs[i] });
  }
}

describe('Chinook conversions compared with the official PostgreSQL Chinook', () => {
  let reference: ScratchDatabase;
  beforeAll(async () => {
    reference = await createScratchDatabase('chinook_ref');
    await loadChinookPostgres(reference.url);
  });
  afterAll(async () => {
    await reference?.drop();
  });

  it('SQLite → PostgreSQL: equal row by row, verified, keys and sequences in place', async () => {
    const target = await createScratchDatabase('chinook_from_sqlite');
    const source = new SqliteConnector(join(chinookDir(), 'Chinook_Sqlite.sqlite'));
    try {
      const plan = await buildCopyPlan(source, { jobId: 'chinook-sqlite', targetSchema: 'chinook' });
      expect(plan.tables.map((t) => t.source.ref.name).sort()).toEqual(Object.keys(CHINOOK_TABLES).sort());
      // parents before children
      const pos = (n: string) => plan.tables.findIndex((t) => t.source.ref.name === n);
      expect(pos('Artist')).toBeLessThan(pos('Album'));
      expect(pos('Track')).toBeLessThan(pos('InvoiceLine'));
      const verified = await copyAll(source, target.url, plan);
      for (const v of verified) expect({ table: v.table, equal: v.equal, keys: v.mismatchedKeys }).toEqual({ table: v.table, equal: true, keys: [] });
      await compareWithReference(target.url, 'chinook', reference.url);
      const fks = await pgRows(target.url, `SELECT count(*)::text FROM pg_constraint WHERE contype = 'f' AND connamespace = 'chinook'::regnamespace`);
      expect(Number(fks[0]![0])).toBe(11);
      // identity continues after max(id)
      const [ins] = await pgRows(target.url, `INSERT INTO chinook."Genre" ("Name") VALUES ('After cutover') RETURNING "GenreId"::text`);
      expect(ins![0]).toBe('26');
    } finally {
      await source.close();
      await target.drop();
    }
  });

  it('MariaDB → PostgreSQL: equal row by row and verified', async () => {
    const mysql = await createMysqlDatabase('chinook');
    const target = await createScratchDatabase('chinook_from_mysql');
    await loadChinookMysql(mysql.name);
    const source = new MysqlConnector(mysql.url);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'chinook-mysql', targetSchema: 'chinook' });
      expect(plan.tables).toHaveLength(11);
      const verified = await copyAll(source, target.url, plan);
      for (const v of verified) expect({ table: v.table, equal: v.equal, keys: v.mismatchedKeys }).toEqual({ table: v.table, equal: true, keys: [] });
      await compareWithReference(target.url, 'chinook', reference.url);
    } finally {
      await source.close();
      await target.drop();
      await mysql.drop();
    }
  });
});
