import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DeliveryFailureType } from '@sdo/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import {
  buildCopyPlan,
  copyTable,
  MysqlConnector,
  PgTarget,
  PostgresConnector,
  SqliteConnector,
  verifyTable,
  type CopyPlan,
  type SourceConnector,
} from './index';
import { quoteMysql, quotePg } from './identifiers';
import { createMysqlDatabase, mysqlExec, pgRows } from './test-support/fixtures';

async function copyAndVerify(source: SourceConnector, target: PgTarget, plan: CopyPlan, chunkRows = 2) {
  await target.createTables(plan);
  const copied = [];
  for (const t of plan.tables) copied.push(await copyTable(source, target, { plan, table: t.target.name, attempt: { id: 'first', seq: 1 }, chunkRows }));
  await target.finalize(plan);
  const verified = [];
  for (const t of plan.tables) verified.push(await verifyTable(source, target, { plan, table: t.target.name, chunkRows: 3, rowDiffThreshold: 1 }));
  return { copied, verified };
}

const BIG_TEXT = 'Grüße\t😀 line\n'.repeat(400_000); // ~6.4 MB

describe('fidelity: values survive exactly, or become reported rejects', () => {
  let pg: ScratchDatabase;
  let target: PgTarget;
  beforeEach(async () => {
    pg = await createScratchDatabase('fidelity');
    target = new PgTarget(pg.url);
  });
  afterEach(async () => {
    await target.close();
    await pg.drop();
  });

  it('MariaDB → PostgreSQL: microseconds, numeric(38,10), bigint > 2^53, escapes, emoji, NULL vs empty, zero dates, multi-MB, rejects', async () => {
    const my = await createMysqlDatabase('fidelity');
    await mysqlExec(
      my.url,
      `SET SESSION sql_mode = '';
      CREATE TABLE fidelity (
        id BIGINT PRIMARY KEY, ts DATETIME(6) NULL, tsz TIMESTAMP(6) NULL DEFAULT NULL, d DATE NULL, num DECIMAL(38,10) NULL,
        big BIGINT NULL, ubig BIGINT UNSIGNED NULL, txt LONGTEXT NULL, vc VARCHAR(50) NULL, flag TINYINT(1) NULL,
        tiny TINYINT UNSIGNED NULL, e ENUM('red','green') NULL, s SET('a','b','c') NULL, bin BLOB NULL, j JSON NULL,
        dbl DOUBLE NULL, t TIME(6) NULL, y YEAR NULL) CHARACTER SET utf8mb4;
      INSERT INTO fidelity (id, ts, tsz, d, num, big, ubig, txt, vc, flag, tiny, e, s, bin, j, dbl, t, y) VALUES
        (1, '2024-02-29 23:59:59.123456', '2024-01-01 00:00:00.000001', '2024-02-29', 1234567890123456789012345678.0123456789,
         9007199254740993, 18446744073709551615, 'tab\\there\\nnew line\\\\backslash \\\\N literal\\r', 'emoji 😀 𝄞 ünï', 1, 255, 'green', 'a,c', X'00FF10', '{"a": [1, 2.50]}', 0.1, '12:34:56.789012', 2024),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, '', '', 0, 0, NULL, '', '', NULL, NULL, NULL, NULL),
        (3, '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00', -0.0000000001, -9223372036854775808, 0, '\\\\N', NULL, NULL, NULL, 'red', NULL, NULL, 'null', -1.5e300, '00:00:00', NULL),
        (4, '1999-12-31 23:59:59', NULL, '2000-01-01', 0, 1, 1, REPEAT('Grüße\\t😀 line\\n', 400000), 'big', 1, 1, NULL, 'b', NULL, NULL, 1e-3, NULL, NULL),
        (5, NULL, NULL, NULL, NULL, NULL, NULL, CONCAT('before', CHAR(0), 'after'), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '25:00:00', NULL),
        (7, NULL, NULL, '0000-01-01', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`,
    );
    const source = new MysqlConnector(my.url);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'fid-mysql', targetSchema: 'm' });
      const cols = Object.fromEntries(plan.tables[0]!.columns.map((c) => [c.name, c.pgType]));
      expect(cols).toMatchObject({
        flag: 'boolean',
        tiny: 'smallint',
        ubig: 'numeric(20,0)',
        num: 'numeric(38,10)',
        ts: 'timestamp(6) without time zone',
        tsz: 'timestamp(6) with time zone',
        s: 'text[]',
        bin: 'bytea',
        j: 'json',
      });
      const { copied, verified } = await copyAndVerify(source, target, plan);
      expect(copied[0]).toMatchObject({ rowsLoaded: 4, rowsRejected: 3, stats: { zeroDates: 3 } });
      expect(verified[0]).toMatchObject({ equal: true, sourceRows: 7, targetRows: 4, rejectedRows: 3, mismatchedKeyCount: 0 });
      const rejects = await target.rejectedKeys('fid-mysql', plan.tables[0]!);
      expect(rejects.map((r) => [r.key, r.column])).toEqual([
        [['5'], 'txt'],
        [['6'], 't'],
        [['7'], 'd'],
      ]);
      expect(rejects[0]!.reason).toMatch(/NUL/);

      const rows = await pgRows(
        pg.url,
        `SELECT id::text, ts::text, tsz::text, d::text, num::text, big::text, ubig::text, txt, vc, flag::text, tiny::text, e, s::text, encode(bin, 'hex'), j::text, dbl::text, t::text, y::text FROM m.fidelity ORDER BY id`,
      );
      expect(rows[0]).toEqual([
        '1',
        '2024-02-29 23:59:59.123456',
        '2024-01-01 00:00:00.000001+00',
        '2024-02-29',
        '1234567890123456789012345678.0123456789',
        '9007199254740993',
        '18446744073709551615',
        'tab\there\nnew line\\backslash \\N literal\r',
        'emoji 😀 𝄞 ünï',
        'true',
        '255',
        'green',
        '{a,c}',
        '00ff10',
        '{"a": [1, 2.50]}',
        '0.1',
        '12:34:56.789012',
        '2024',
      ]);
      expect(rows[1]).toEqual(['2', null, null, null, null, null, null, '', '', 'false', '0', null, '{}', '', null, null, null, null]);
      expect(rows[2]!.slice(0, 8)).toEqual(['3', null, null, null, '-0.0000000001', '-9223372036854775808', '0', '\\N']);
      expect(rows[2]![14]).toBe('null');
      expect(rows[2]![15]).toBe('-1.5e+300');
      expect(rows[3]![7]).toBe(BIG_TEXT);
    } finally {
      await source.close();
      await my.drop();
    }
  });

  it('SQLite → PostgreSQL: loose typing converted or rejected by rule, with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdo-sqlite-'));
    const file = join(dir, 'loose.sqlite');
    const db = new Database(file);
    db.exec(`CREATE TABLE loose (id INTEGER PRIMARY KEY, n INTEGER, b BOOLEAN, dt DATETIME, amount NUMERIC(10,2), note TEXT, raw BLOB, f REAL);
      INSERT INTO loose VALUES (1, '42', 1, '2024-01-02 03:04:05.123456', 12.345, 'ok', x'00ff', 0.1);
      INSERT INTO loose VALUES (2, 'abc', 0, NULL, NULL, NULL, NULL, NULL);
      INSERT INTO loose VALUES (3, 3.0, 'true', 1700000000, '7', 'epoch', NULL, 1e300);
      INSERT INTO loose VALUES (4, 9223372036854775807, 0, '2024-01-02T03:04:05Z', -0.005, 'tab	nl
 bs\\ \\N', NULL, -2.5e-5);
      INSERT INTO loose VALUES (5, 1, 1, NULL, NULL, CAST(x'610062' AS TEXT), NULL, NULL);
      INSERT INTO loose VALUES (6, 1, 1, NULL, NULL, CAST(x'61c328' AS TEXT), NULL, NULL);
      INSERT INTO loose VALUES (7, 1, 2, NULL, NULL, NULL, NULL, NULL);`);
    db.close();
    const source = new SqliteConnector(file);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'fid-sqlite', targetSchema: 's' });
      const { copied, verified } = await copyAndVerify(source, target, plan);
      expect(copied[0]).toMatchObject({ rowsLoaded: 3, rowsRejected: 4 });
      expect(copied[0]!.stats.coerced).toBe(1); // 'true' in a BOOLEAN column (SQLite's own affinity already turned '42' into 42)
      expect(copied[0]!.stats.epochDates).toBe(1);
      expect(verified[0]).toMatchObject({ equal: true, sourceRows: 7, targetRows: 3, rejectedRows: 4 });
      const rejects = await target.rejectedKeys('fid-sqlite', plan.tables[0]!);
      expect(rejects.map((r) => `${r.key[0]}:${r.column}`)).toEqual(['2:n', '5:note', '6:note', '7:b']);
      expect(rejects[2]!.reason).toMatch(/UTF-8/);
      const rows = await pgRows(
        pg.url,
        `SELECT id::text, n::text, b::text, dt::text, amount::text, note, encode(raw, 'hex'), f::text FROM s.loose ORDER BY id`,
      );
      expect(rows).toEqual([
        ['1', '42', 'true', '2024-01-02 03:04:05.123456', '12.35', 'ok', '00ff', '0.1'],
        ['3', '3', 'true', '2023-11-14 22:13:20', '7.00', 'epoch', null, '1e+300'],
        ['4', '9223372036854775807', 'false', '2024-01-02 03:04:05', '-0.01', 'tab\tnl\n bs\\ \\N', null, '-2.5e-05'],
      ]);
    } finally {
      await source.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL → PostgreSQL: every value identical (timestamptz, numeric, bigint, bytea, jsonb, arrays, uuid, interval); hostile identifiers stay names', async () => {
    const src = await createScratchDatabase('fidelity_src');
    const evilTable = 'evil"; DROP TABLE keep; --';
    const evilCol = 'col"); DELETE FROM keep; --';
    try {
      const setup = new PostgresConnector(src.url);
      await setup.query(`CREATE TABLE keep (x int); INSERT INTO keep VALUES (1)`);
      await setup.query(
        `CREATE TABLE ${quotePg(evilTable)} (id bigint PRIMARY KEY, ${quotePg(evilCol)} text, tz timestamptz, n numeric(38,10), b bytea, j jsonb, a int[], u uuid, iv interval, f float8, r real)`,
      );
      await setup.query(`INSERT INTO ${quotePg(evilTable)} VALUES
        (9007199254740993, E'a\\tb\\nc\\\\d \\\\N 😀', '2024-06-01 12:00:00.000001+02', 1234567890123456789012345678.0123456789, '\\x00ff', '{"k": [1, 2.50]}', '{1,NULL,3}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day 00:00:00.000001', 0.1, 1.1),
        (-1, '', NULL, -0.0000000001, '', 'null', '{}', NULL, NULL, 'NaN', '-Infinity'),
        (2, NULL, 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
      await setup.close();
      const source = new PostgresConnector(src.url);
      try {
        const plan = await buildCopyPlan(source, { jobId: 'fid-pg', targetSchema: 'p', tables: [evilTable] });
        const { copied, verified } = await copyAndVerify(source, target, plan, 1);
        expect(copied[0]).toMatchObject({ rowsLoaded: 3, rowsRejected: 0, chunks: 3 });
        expect(verified[0]).toMatchObject({ equal: true, algorithm: 'pg-hash', sourceRows: 3, targetRows: 3 });
        const a = await pgRows(src.url, `SELECT t::text FROM ${quotePg(evilTable)} t ORDER BY id`);
        const b = await pgRows(pg.url, `SELECT t::text FROM p.${quotePg(evilTable)} t ORDER BY id`);
        expect(b).toEqual(a);
        // Values equal for their type's hash but not identical (jsonb 2.50 vs 2.5, float -0 vs 0) are still differences.
        await target.conn.query(`UPDATE p.${quotePg(evilTable)} SET j = '{"k": [1, 2.5]}' WHERE id = 9007199254740993`);
        await target.conn.query(`UPDATE p.${quotePg(evilTable)} SET f = '-0' WHERE id = 2`);
        await pgRows(src.url, `UPDATE ${quotePg(evilTable)} SET f = '0' WHERE id = 2`);
        const diff = await verifyTable(source, target, { plan, table: evilTable });
        expect(diff).toMatchObject({ equal: false, algorithm: 'pg-hash', mismatchedKeyCount: 2 });
        expect(diff.mismatchedKeys.map((k) => k.key[0]).sort()).toEqual(['2', '9007199254740993']);
        expect(await pgRows(src.url, 'SELECT count(*)::text FROM keep')).toEqual([['1']]);
      } finally {
        await source.close();
      }
    } finally {
      await src.drop();
    }
  });

  it('quotes hostile identifiers for every engine', () => {
    expect(quotePg('a"b')).toBe('"a""b"');
    expect(quoteMysql('a`b')).toBe('`a``b`');
    expect(() => quotePg('a\u0000b')).toThrow(/NUL/);
  });
});

describe('attempts and re-runs', () => {
  it('resumes after the last checkpoint when a table has more than 10 (chunk numbers compare as numbers, not text)', async () => {
    const src = await createScratchDatabase('resume_src');
    const dst = await createScratchDatabase('resume_dst');
    const setup = new PostgresConnector(src.url);
    await setup.query(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 150) g`);
    await setup.close();
    const source = new PostgresConnector(src.url);
    const target = new PgTarget(dst.url);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'resume', targetSchema: 'public' });
      await target.createTables(plan);
      const crash = new Error('simulated crash after chunk 11');
      await expect(
        copyTable(source, target, {
          plan,
          table: 'items',
          attempt: { id: 'a1', seq: 1 },
          chunkRows: 10,
          afterChunkCommit: (cp) => {
            if (cp.chunkNo === 11) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const resumed = await copyTable(source, target, { plan, table: 'items', attempt: { id: 'a2', seq: 2 }, chunkRows: 10 });
      expect(resumed).toMatchObject({ resumedAtChunk: 12, chunksThisAttempt: 3, rowsThisAttempt: 30, rowsLoaded: 150, chunks: 15 });
      expect(await pgRows(dst.url, `SELECT count(*)::text, count(DISTINCT id)::text FROM items`)).toEqual([['150', '150']]);
    } finally {
      await source.close();
      await target.close();
      await src.drop();
      await dst.drop();
    }
  });

  it('a stale attempt cannot commit, an older attempt cannot take a table back, and a finished copy re-runs as a no-op', async () => {
    const src = await createScratchDatabase('attempt_src');
    const dst = await createScratchDatabase('attempt_dst');
    const setup = new PostgresConnector(src.url);
    await setup.query(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT g, md5(g::text) FROM generate_series(1, 1000) g`);
    await setup.close();
    const source = new PostgresConnector(src.url);
    const target = new PgTarget(dst.url);
    try {
      const plan = await buildCopyPlan(source, { jobId: 'attempts', targetSchema: 'public' });
      await target.createTables(plan);
      const t = plan.tables[0]!;
      // Attempt 1 writes 2 chunks, then stalls (as if paused past its heartbeat timeout) while attempt 2 takes over.
      let stalled = false;
      const first = copyTable(source, target, {
        plan,
        table: 'items',
        attempt: { id: 'attempt-1', seq: 1 },
        chunkRows: 100,
        afterChunkCommit: async (cp) => {
          if (cp.chunkNo === 1 && !stalled) {
            stalled = true;
            const second = await copyTable(source, target, { plan, table: 'items', attempt: { id: 'attempt-2', seq: 2 }, chunkRows: 100 });
            expect(second).toMatchObject({ resumedAtChunk: 2, rowsLoaded: 1000, chunks: 10 });
          }
        },
      });
      await expect(first).rejects.toMatchObject({ type: DeliveryFailureType.StaleAttempt });
      await expect(copyTable(source, target, { plan, table: 'items', attempt: { id: 'attempt-0', seq: 0 }, chunkRows: 100 })).resolves.toMatchObject({
        chunksThisAttempt: 0,
      });
      await expect(
        target.claim('attempts', { ...t }, { id: 'old', seq: 1 }).then(() =>
          target.writeChunk('attempts', t, { id: 'old', seq: 1 }, 10, { after: ['1000'], upTo: null }, async () => ({
            rowsSent: 0,
            rejects: [],
            stats: { zeroDates: 0, coerced: 0, epochDates: 0 },
            checksum: '',
          })),
        ),
      ).rejects.toMatchObject({ type: DeliveryFailureType.StaleAttempt });
      const before = await pgRows(dst.url, `SELECT count(*)::text, sum(hashtext(v))::text FROM items`);
      const again = await copyTable(source, target, { plan, table: 'items', attempt: { id: 'attempt-3', seq: 3 }, chunkRows: 100 });
      expect(again).toMatchObject({ chunksThisAttempt: 0, rowsThisAttempt: 0, rowsLoaded: 1000 });
      expect(await pgRows(dst.url, `SELECT count(*)::text, sum(hashtext(v))::text FROM items`)).toEqual(before);
      expect(before[0]![0]).toBe('1000');
      const ids = await pgRows(dst.url, `SELECT attempt_id, count(*)::text FROM sdo_copy.checkpoint GROUP BY 1 ORDER BY 1`);
      expect(ids).toEqual([
        ['attempt-1', '2'],
        ['attempt-2', '8'],
      ]);
    } finally {
      await source.close();
      await target.close();
      await src.drop();
      await dst.drop();
    }
  });
});
