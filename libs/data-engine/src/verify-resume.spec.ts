import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { buildCopyPlan, PgTarget, PostgresConnector, SqliteConnector, verifyTable, type CopyPlan, type SourceConnector, type VerifyOptions } from './index';
import { pgRows } from './test-support/fixtures';

/** Large enough that a whole-table checksum in one synchronous SQLite scan holds the event loop for seconds. */
const ROWS = 300_000;
/** The resume cases need chunks, not size. */
const MOVES = 40_000;
const CHUNK = 10_000;

/** A verification stopped (as a killed worker would be) right after chunk `stopAfter` was checkpointed. */
async function verifyStoppedAfter(source: SourceConnector, target: PgTarget, options: VerifyOptions, stopAfter: number): Promise<void> {
  const stop = new AbortController();
  await expect(
    verifyTable(source, target, {
      ...options,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.chunkNo === stopAfter) stop.abort(new Error('worker lost'));
      },
    }),
  ).rejects.toThrow('worker lost');
}

describe('incremental verification', () => {
  let pg: ScratchDatabase;
  let target: PgTarget;
  let dir: string;

  beforeAll(async () => {
    pg = await createScratchDatabase('verify_resume');
    target = new PgTarget(pg.url);
    dir = mkdtempSync(join(tmpdir(), 'sdo-verify-'));
  }, 60_000);

  afterAll(async () => {
    await target?.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('SQLite → PostgreSQL (checksums computed in process)', () => {
    let source: SqliteConnector;
    let plan: CopyPlan;
    const middle = MOVES / 2 + 7;

    beforeAll(async () => {
      const file = join(dir, 'lines.sqlite');
      const db = new Database(file);
      db.exec(`CREATE TABLE delivery_line (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL, qty INTEGER NOT NULL, note TEXT);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
        INSERT INTO delivery_line SELECT i, 'SO-' || (i % 9973), i % 17, CASE WHEN i % 5 = 0 THEN NULL ELSE 'line ' || i END FROM n;
        CREATE TABLE stock_move (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL);
        INSERT INTO stock_move SELECT id, 'SKU-' || (id % 501), qty FROM delivery_line WHERE id <= ${MOVES};`);
      db.close();
      source = new SqliteConnector(file);
      plan = await buildCopyPlan(source, { jobId: 'verify-sqlite', targetSchema: 'erp' });
      await target.createTables(plan);
      // The copy's result, written directly (the copy has its own specs): same rows, one of them changed.
      await target.conn.query(`INSERT INTO erp.delivery_line SELECT i, 'SO-' || (i % 9973), i % 17, CASE WHEN i % 5 = 0 THEN NULL ELSE 'line ' || i END
        FROM generate_series(1, ${ROWS}) i`);
      await target.conn.query(`INSERT INTO erp.stock_move SELECT id, 'SKU-' || (id % 501), qty FROM erp.delivery_line WHERE id <= ${MOVES}`);
      await target.finalize(plan);
    }, 60_000);

    afterAll(async () => {
      await source?.close();
    });

    it('keeps the event loop free while checksumming in process, and finds nothing on equal data', async () => {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      // One chunk: without yielding, the whole scan would hold the loop.
      const r = await verifyTable(source, target, { plan, table: 'delivery_line', chunkRows: ROWS });
      delay.disable();
      expect(r).toMatchObject({ equal: true, sourceRows: ROWS, targetRows: ROWS, chunksChecked: 1 });
      const maxMs = delay.max / 1e6;
      // Seconds of hashing (one synchronous scan blocked that long), yet no timer waited more than a fraction of the 20 s heartbeat timeout.
      console.log(`verified ${ROWS} rows in ${r.durationMs} ms; max event-loop delay ${maxMs.toFixed(0)} ms`);
      expect(maxMs).toBeLessThan(1_000);
    }, 60_000);

    it('finds one changed row in the middle, and a verification stopped midway resumes to the same verdict', async () => {
      await target.conn.query(`UPDATE erp.stock_move SET qty = qty + 1 WHERE id = $1`, [middle]);
      try {
        const whole = await verifyTable(source, target, { plan, table: 'stock_move', chunkRows: CHUNK });
        expect(whole).toMatchObject({ equal: false, mismatchedKeyCount: 1, mismatchedKeys: [{ key: [String(middle)], issue: 'different' }] });

        // Stopped (twice) before the changed chunk: the resumed attempt finds it.
        const before = { plan, table: 'stock_move', chunkRows: CHUNK, resume: { scope: 'before', attempt: { id: 'before/1', seq: 1 } } };
        await verifyStoppedAfter(source, target, before, 0);
        // A newer attempt took over (and stopped too): the older one, were it still alive, is fenced out.
        await verifyStoppedAfter(source, target, { ...before, resume: { scope: 'before', attempt: { id: 'before/2', seq: 2 } } }, 1);
        await expect(verifyTable(source, target, before)).rejects.toMatchObject({ type: 'StaleAttempt' });
        const resumedBefore = await verifyTable(source, target, { ...before, resume: { scope: 'before', attempt: { id: 'before/3', seq: 3 } } });
        expect(resumedBefore.resumedAtChunk).toBe(2);

        // Stopped after it: what the first attempt found survives in the checkpoint.
        const after = { plan, table: 'stock_move', chunkRows: CHUNK, resume: { scope: 'after', attempt: { id: 'after/1', seq: 1 } } };
        await verifyStoppedAfter(source, target, after, 2); // the changed row is in chunk 2 of 0–3
        const resumedAfter = await verifyTable(source, target, { ...after, resume: { scope: 'after', attempt: { id: 'after/2', seq: 2 } } });
        expect(resumedAfter.resumedAtChunk).toBe(3);

        const verdict = ({ equal, sourceRows, targetRows, chunksChecked, mismatchedKeyCount, mismatchedKeys, mismatchedRanges }: typeof whole) => ({
          equal,
          sourceRows,
          targetRows,
          chunksChecked,
          mismatchedKeyCount,
          mismatchedKeys,
          mismatchedRanges,
        });
        expect(verdict(resumedBefore)).toEqual(verdict(whole));
        expect(verdict(resumedAfter)).toEqual(verdict(whole));

        // A verification that finished answers a rerun from its checkpoint, without scanning again.
        expect(await verifyTable(source, target, after)).toMatchObject({ resumedAtChunk: 3, mismatchedKeyCount: 1 });
        const rows = await pgRows(pg.url, `SELECT count(*)::text FROM sdo_copy.checkpoint WHERE job_id = 'verify-sqlite' AND table_name LIKE '%#verify:after'`);
        expect(rows[0]![0]).toBe(String(MOVES / CHUNK));
      } finally {
        await target.conn.query(`UPDATE erp.stock_move SET qty = qty - 1 WHERE id = $1`, [middle]);
      }
    }, 90_000);
  });

  it('PostgreSQL → PostgreSQL with a text key: resumes its key walk where it stopped, same verdict', async () => {
    await target.conn.query(`CREATE SCHEMA shop; CREATE TABLE shop.stock (sku text, site text, qty int NOT NULL, PRIMARY KEY (sku, site));
      INSERT INTO shop.stock SELECT 'SKU-' || lpad((i / 3)::text, 6, '0'), 'site-' || (i % 3), i % 101 FROM generate_series(0, 29999) i`);
    const source = new PostgresConnector(pg.url);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'verify-pg', sourceSchema: 'shop', targetSchema: 'copy' });
      await target.createTables(plan);
      await target.conn.query(`INSERT INTO copy.stock SELECT * FROM shop.stock`);
      await target.conn.query(`UPDATE copy.stock SET qty = -1 WHERE sku = 'SKU-005000' AND site = 'site-0'`);
      await target.finalize(plan);
      const whole = await verifyTable(source, target, { plan, table: 'stock', chunkRows: 4_000 });
      expect(whole).toMatchObject({ equal: false, mismatchedKeyCount: 1, mismatchedKeys: [{ key: ['SKU-005000', 'site-0'], issue: 'different' }] });
      const opts = { plan, table: 'stock', chunkRows: 4_000, resume: { scope: 'walk', attempt: { id: 'walk/1', seq: 1 } } };
      await verifyStoppedAfter(source, target, opts, 1);
      const resumed = await verifyTable(source, target, { ...opts, resume: { scope: 'walk', attempt: { id: 'walk/2', seq: 2 } } });
      expect(resumed.resumedAtChunk).toBe(2);
      expect({ ...resumed, durationMs: 0, resumedAtChunk: 0 }).toEqual({ ...whole, durationMs: 0, resumedAtChunk: 0 });
    } finally {
      await source.close();
    }
  }, 60_000);
});
