import { randomUUID } from 'node:crypto';
import { DeliveryFailureType } from '@sdo/contracts';
import { createScratchDatabase as createTestDatabase, ScratchDatabase, testStack } from '@sdo/testing';
import { connect, pgConnection, TargetConnection, withClient } from './connection';
import {
  backupDatabase,
  cloneToScratch,
  createScratchDatabase,
  databaseExists,
  discardBackup,
  dropDatabase,
  dropScratchDatabase,
  restoreFromBackup,
} from './databases';
import { ScratchPrefix, scratchName } from './scratch-names';
import { expectDeliveryError, targetConnectionOf } from './test-support/connections';

/** Against the real PostgreSQL of the test stack. */

const ledger = (conn: TargetConnection) =>
  withClient(conn, async (c) => (await c.query<{ v: string }>("SELECT string_agg(v, ',' ORDER BY v) AS v FROM ledger")).rows[0]!.v);

let target: ScratchDatabase;
let other: ScratchDatabase;
let conn: TargetConnection;
const made: string[] = [];
const named = (prefix: string, key: string) => {
  const name = scratchName(prefix, randomUUID(), key);
  made.push(name);
  return name;
};

beforeAll(async () => {
  target = await createTestDatabase('pgk_target');
  other = await createTestDatabase('pgk_other');
  conn = targetConnectionOf(target.url);
  await withClient(conn, (c) => c.query(`CREATE TABLE ledger (v text); INSERT INTO ledger VALUES ('a'), ('b')`));
});

afterAll(async () => {
  const server = targetConnectionOf(testStack().postgresUrl);
  for (const name of made) await dropDatabase(server, name);
  await target?.drop();
  await other?.drop();
});

describe('backup, restore and discard of a database', () => {
  it('backs up, restores over a changed database with a session still open, keeps the backup, then discards it', async () => {
    const backup = named(ScratchPrefix.backup, 'cutover');
    await backupDatabase(conn, backup);
    await withClient(conn, (c) => c.query(`DELETE FROM ledger WHERE v = 'a'; INSERT INTO ledger VALUES ('z')`));
    expect(await ledger(conn)).toBe('b,z');

    const lingering = await connect(conn);
    lingering.on('error', () => undefined);
    await restoreFromBackup(conn, backup);
    await lingering.end().catch(() => undefined);
    expect(await ledger(conn)).toBe('a,b');
    expect(await databaseExists(conn, backup)).toBe(true);

    await discardBackup(conn, backup);
    expect(await databaseExists(conn, backup)).toBe(false);
  });

  it('refuses to restore from, back up to or discard a database that is not a cutover backup, and leaves both alone', async () => {
    const rehearsal = named(ScratchPrefix.rehearsal, 'r1');
    await cloneToScratch(conn, rehearsal);
    for (const notBackup of [other.name, rehearsal, 'postgres']) {
      expect((await expectDeliveryError(restoreFromBackup(conn, notBackup), DeliveryFailureType.InvalidParameters)).message).toContain('not a cutover backup');
      await expectDeliveryError(discardBackup(conn, notBackup), DeliveryFailureType.InvalidParameters);
      await expectDeliveryError(backupDatabase(conn, notBackup), DeliveryFailureType.InvalidParameters);
    }
    expect(await databaseExists(conn, other.name)).toBe(true);
    expect(await databaseExists(conn, rehearsal)).toBe(true);
    expect(await ledger(conn)).toBe('a,b');
  });

  it('refuses a backup that was never taken and leaves the database alone', async () => {
    await expectDeliveryError(restoreFromBackup(conn, scratchName(ScratchPrefix.backup, randomUUID(), 'never')), DeliveryFailureType.MissingObject);
    expect(await ledger(conn)).toBe('a,b');
  });
});

describe('scratch databases', () => {
  it("creates them empty or as a copy, replacing an earlier attempt's, and drops them", async () => {
    const empty = named(ScratchPrefix.rehearsalArchive, 'r1');
    await createScratchDatabase(conn, empty);
    await withClient({ ...conn, database: empty }, (c) => c.query('CREATE TABLE leftover (x int)'));
    await createScratchDatabase(conn, empty);
    expect(await withClient({ ...conn, database: empty }, async (c) => (await c.query(`SELECT to_regclass('leftover') AS t`)).rows[0].t)).toBeNull();

    const copy = named(ScratchPrefix.scratch, 'm1');
    await cloneToScratch(conn, copy);
    expect(await ledger({ ...conn, database: copy })).toBe('a,b');

    for (const name of [empty, copy]) {
      await dropScratchDatabase(conn, name);
      expect(await databaseExists(conn, name)).toBe(false);
    }
  });

  it('refuses to drop or create anything that is not a scratch database: a customer database or a backup survives', async () => {
    const backup = named(ScratchPrefix.backup, 'kept');
    await backupDatabase(conn, backup);
    for (const name of [other.name, target.name, backup]) {
      expect((await expectDeliveryError(dropScratchDatabase(conn, name), DeliveryFailureType.InvalidParameters)).message).toContain('not a rehearsal database');
      await expectDeliveryError(createScratchDatabase(conn, name), DeliveryFailureType.InvalidParameters);
      await expectDeliveryError(cloneToScratch(conn, name), DeliveryFailureType.InvalidParameters);
      expect(await databaseExists(conn, name)).toBe(true);
    }
    expect(await ledger(conn)).toBe('a,b');
  });
});

describe('connections', () => {
  it('takes a PostgreSQL environment and refuses any other engine, naming its role', () => {
    const settings = { engine: 'postgres', host: 'db', port: 5432, database: 'erp', user: 'u', password: 'p', ssl: false };
    expect(pgConnection(settings)).toEqual({ host: 'db', port: 5432, database: 'erp', user: 'u', password: 'p', ssl: false, tlsServerName: undefined });
    expect(() => pgConnection({ ...settings, engine: 'mysql' }, 'source', 'env-7')).toThrow('The source environment env-7 must be PostgreSQL (it is mysql).');
  });
});
