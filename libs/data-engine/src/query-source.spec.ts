import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DeliveryFailureType } from '@sdo/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { MysqlConnector, openSource, type SourceConnector, type TableRef } from './index';
import { createMysqlDatabase, mysqlExec, pgRows } from './test-support/fixtures';

/** Reads every row of a query source through the keyset chunking a migration load uses. */
async function readAll(s: SourceConnector, ref: TableRef, keyName: string, chunkRows: number): Promise<string[]> {
  const { columns } = await s.describeQuery(ref, [keyName], false);
  const key = columns.filter((c) => c.name === keyName);
  const out: string[] = [];
  let after: string[] | null = null;
  for (;;) {
    const upTo = await s.nextChunkBound(ref, key, after, chunkRows);
    if (!upTo) return out;
    for await (const row of s.readRows(
      ref,
      columns.map((c) => ({ source: c, kind: 'text' as const })),
      key,
      { after, upTo },
    ))
      out.push(row.map((v) => String(v)).join('|'));
    after = upTo;
  }
}

describe('query sources (a SELECT read in place of a table) on real PostgreSQL, MariaDB and SQLite', () => {
  let pg: ScratchDatabase;
  beforeAll(async () => {
    pg = await createScratchDatabase('querysrc');
    await pgRows(
      pg.url,
      `CREATE TABLE item (id int PRIMARY KEY, grp int, name text);
      INSERT INTO item SELECT g, g % 3, 'item ' || g FROM generate_series(1, 25) g;
      CREATE TABLE written (n int);
      CREATE FUNCTION leave_a_trace() RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO written VALUES (1) RETURNING n'`,
    );
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('PostgreSQL: describes the columns and key health, and reads a join/aggregate in keyset chunks', async () => {
    const s = openSource({ engine: 'postgres', url: pg.url }, { readOnly: true, statementTimeoutMs: 10_000 });
    try {
      const byGroup: TableRef = { name: 'groups', query: 'SELECT grp, count(*) AS items, max(name) AS last_name FROM item GROUP BY grp' };
      const info = await s.describeQuery(byGroup, ['grp'], true);
      expect(info.columns.map((c) => [c.name, c.nativeType, c.baseType])).toEqual([
        ['grp', 'integer', 'int4'],
        ['items', 'bigint', 'int8'],
        ['last_name', 'text', 'text'],
      ]);
      expect(info).toMatchObject({ rowCount: 3, keyHealth: { nullKeys: 0, duplicateKeys: 0 } });
      expect(await readAll(s, byGroup, 'grp', 2)).toEqual(['0|8|item 9', '1|9|item 7', '2|8|item 8']);
      const items: TableRef = { name: 'items', query: "SELECT id, upper(name) AS label FROM item WHERE name <> ''" };
      expect(await readAll(s, items, 'id', 7)).toHaveLength(25);

      const loose = await s.describeQuery({ name: 'loose', query: 'SELECT grp, nullif(id % 5, 0) AS part FROM item' }, ['part'], true);
      expect(loose.keyHealth).toEqual({ nullKeys: 5, duplicateKeys: 4 });
      const keyMissing = await s.describeQuery({ name: 'no key', query: 'SELECT grp FROM item' }, ['id'], true);
      expect(keyMissing.rowCount).toBe(25);
      expect(keyMissing.keyHealth).toBeUndefined();
      // Without a scan only the columns: what each load needs.
      expect(await s.describeQuery({ name: 'loose', query: 'SELECT grp, nullif(id % 5, 0) AS part FROM item' }, ['part'], false)).toEqual({
        columns: loose.columns,
      });
    } finally {
      await s.close();
    }
  });

  it('PostgreSQL: the read-only session refuses a query that writes, and the statement timeout stops a slow one; neither is retried', async () => {
    const s = openSource({ engine: 'postgres', url: pg.url }, { readOnly: true, statementTimeoutMs: 300 });
    try {
      await expect(s.countRows({ name: 'writes', query: 'SELECT id, leave_a_trace() AS t FROM item' })).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
        message: expect.stringMatching(/read-only transaction/),
      });
      await expect(s.countRows({ name: 'slow', query: 'SELECT id, pg_sleep(2) AS z FROM item' })).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
        message: expect.stringMatching(/statement timeout/),
      });
      await expect(s.describeQuery({ name: 'typo', query: 'SELEC id FROM item' }, ['id'], false)).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
      });
    } finally {
      await s.close();
    }
    expect(await pgRows(pg.url, 'SELECT count(*)::text FROM written')).toEqual([['0']]);
    // The same query on a session without the guard does write: the refusal above came from the guard.
    const unguarded = openSource({ engine: 'postgres', url: pg.url });
    try {
      await unguarded.countRows({ name: 'writes', query: 'SELECT id, leave_a_trace() AS t FROM item' });
    } finally {
      await unguarded.close();
    }
    expect(await pgRows(pg.url, 'SELECT count(*)::text FROM written')).toEqual([['25']]);
  });

  it('PostgreSQL: a query that switches the read-only default off still cannot write — each read is its own BEGIN READ ONLY transaction', async () => {
    const largeObjects = async () => (await pgRows(pg.url, 'SELECT count(*)::text FROM pg_largeobject_metadata'))[0]![0];
    const before = await largeObjects();
    // The parser layer would refuse both queries; here they go straight to the connector, as if it had been fooled.
    const s = openSource({ engine: 'postgres', url: pg.url }, { readOnly: true, statementTimeoutMs: 10_000 });
    try {
      await s.countRows({ name: 'flip', query: "SELECT id, set_config('default_transaction_read_only', 'off', false) AS x FROM item" });
      await expect(s.countRows({ name: 'write', query: "SELECT lo_from_bytea(0, convert_to('x', 'UTF8'))::bigint AS id" })).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
        message: expect.stringMatching(/read-only transaction/),
      });
      await expect(
        s.countRows({ name: 'both', query: "SELECT set_config('transaction_read_only', 'off', false), lo_from_bytea(0, convert_to('x', 'UTF8'))" }),
      ).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
      });
      const writes = { name: 'writes', query: "SELECT id, lo_from_bytea(0, convert_to('x', 'UTF8')) AS o FROM item" };
      await expect(s.describeQuery(writes, ['id'], true)).rejects.toMatchObject({ type: DeliveryFailureType.InvalidParameters });
      const [id] = (await s.describeQuery({ name: 'ids', query: 'SELECT id FROM item' }, ['id'], false)).columns;
      await expect(s.nextChunkBound(writes, [id!], null, 5)).rejects.toMatchObject({ type: DeliveryFailureType.InvalidParameters });
    } finally {
      await s.close();
    }
    expect(await largeObjects()).toBe(before);
  });

  it('MariaDB: integer, decimal and text result columns typed for keyset reads; the read-only session refuses writes', async () => {
    const my = await createMysqlDatabase('querysrc');
    try {
      await mysqlExec(
        my.url,
        `CREATE TABLE orders (id INT UNSIGNED PRIMARY KEY, customer VARCHAR(20), amount DECIMAL(10,2));
        INSERT INTO orders VALUES (1, 'ann', 10.50), (2, 'bob', 3.25), (3, 'ann', 7.00), (4, 'cy', 1.00), (10, 'bob', 2.00);
        CREATE TABLE written (n INT)`,
      );
      const s = openSource({ engine: 'mysql', url: my.url }, { readOnly: true, statementTimeoutMs: 10_000 });
      try {
        const perCustomer: TableRef = {
          name: 'per customer',
          query: 'SELECT customer, SUM(amount) AS total, COUNT(*) AS orders FROM orders GROUP BY customer',
        };
        const info = await s.describeQuery(perCustomer, ['customer'], true);
        expect(info.columns.map((c) => c.baseType)).toEqual(['varchar', 'decimal', 'bigint']);
        expect(info).toMatchObject({ rowCount: 3, keyHealth: { nullKeys: 0, duplicateKeys: 0 } });
        expect(await readAll(s, perCustomer, 'customer', 1)).toEqual(['ann|17.50|2', 'bob|5.25|2', 'cy|1.00|1']);
        // Integer keys compare as integers (10 after 4), not as text.
        const ids: TableRef = { name: 'ids', query: 'SELECT id, customer FROM orders' };
        expect((await s.describeQuery(ids, ['id'], false)).columns[0]).toMatchObject({ baseType: 'int', unsigned: true });
        expect(await readAll(s, ids, 'id', 2)).toEqual(['1|ann', '2|bob', '3|ann', '4|cy', '10|bob']);
      } finally {
        await s.close();
      }
      const guarded = new MysqlConnector(my.url, 1, { readOnly: true });
      try {
        await expect(guarded.query('INSERT INTO written VALUES (1)')).rejects.toMatchObject({
          type: DeliveryFailureType.InvalidParameters,
          message: expect.stringMatching(/READ ONLY/i),
        });
      } finally {
        await guarded.close();
      }
    } finally {
      await my.drop();
    }
  });

  it('SQLite: a computed key takes the type of its values, so chunks past 9 stay in integer order', async () => {
    const file = join(tmpdir(), `querysrc-${randomUUID()}.sqlite`);
    const db = new Database(file);
    db.exec(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30) INSERT INTO t SELECT i, 'n' || i FROM n",
    );
    db.close();
    const s = openSource({ engine: 'sqlite', path: file });
    try {
      const doubled: TableRef = { name: 'doubled', query: 'SELECT id * 2 AS k, name FROM t' };
      const info = await s.describeQuery(doubled, ['k'], true);
      expect(info.columns.map((c) => [c.name, c.baseType])).toEqual([
        ['k', 'integer'],
        ['name', 'text'],
      ]);
      const rows = await readAll(s, doubled, 'k', 4);
      expect(rows).toHaveLength(30);
      expect(rows.slice(3, 6)).toEqual(['8|n4', '10|n5', '12|n6']);
      await expect(s.describeQuery({ name: 'missing', query: 'SELECT * FROM nope' }, ['k'], false)).rejects.toMatchObject({
        type: DeliveryFailureType.InvalidParameters,
        message: expect.stringMatching(/no such table: nope/),
      });
    } finally {
      await s.close();
      rmSync(file, { force: true });
    }
  });
});
