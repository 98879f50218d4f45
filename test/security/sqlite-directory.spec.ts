import Sqlite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiTestApp, startApiTestApp } from '@sdo/api/testing';

/**
 * Issue #8, item 2: a SQLite environment names a file inside SDO_SQLITE_DIR (symlinks followed),
 * and anything else gets one and the same 400, so the API cannot be used to learn which files exist.
 */
describe('SQLite files only from the SQLite directory', () => {
  let api: ApiTestApp;
  let folder: string;
  let outside: string;

  beforeAll(async () => {
    api = await startApiTestApp();
    folder = join(api.config.sqliteDir, `security-${randomUUID()}`);
    mkdirSync(folder);
    const db = new Sqlite(join(folder, 'erp.sqlite'));
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    db.close();
    outside = mkdtempSync(join(tmpdir(), 'sdo-outside-'));
    const secret = new Sqlite(join(outside, 'secret.db'));
    secret.exec('CREATE TABLE secrets (x TEXT)');
    secret.close();
    writeFileSync(join(outside, 'not-a-database.txt'), 'hello');
    symlinkSync(join(outside, 'secret.db'), join(folder, 'points-out.sqlite'));
    symlinkSync(outside, join(folder, 'folder-out'));
  });
  afterAll(async () => {
    await api?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  const total = async () => (await api.request('GET', '/v1/environments', { as: 'viewer' })).body.total as number;
  const register = (database: string) =>
    api.request('POST', '/v1/environments', { body: { customerId: 'CUST-SQLITE', name: `sqlite ${randomUUID()}`, engine: 'sqlite', database } });

  it('refuses every file outside it with the same answer, whether the file exists or not', async () => {
    const before = await total();
    const stackState = process.env['SDO_TEST_WORK_DIR'];
    const outsidePaths = [
      '../../../../etc/passwd',
      '/etc/passwd',
      '/etc/no-such-file',
      join(outside, 'secret.db'),
      join(outside, 'no-such.db'),
      join(outside, 'not-a-database.txt'),
      `${folder}${'/..'.repeat(20)}${outside}/secret.db`,
      'security-x/../../outside.db',
      ...(stackState && existsSync(join(stackState, 'temporal.db')) ? [join(stackState, 'temporal.db'), '../temporal.db'] : []),
      join(folder, 'points-out.sqlite'),
      join(folder, 'folder-out', 'secret.db'),
      join(folder, 'folder-out', 'no-such.db'),
      join(dirname(folder), '..'),
    ];
    const answers = await Promise.all(outsidePaths.map(async (path) => ({ path, answer: await register(path) })));
    for (const { path, answer } of answers) {
      expect({ path, status: answer.status, body: answer.body }).toEqual({ path, status: 400, body: answers[0]!.answer.body });
    }
    expect(answers[0]!.answer.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining('SDO_SQLITE_DIR'),
      details: [{ field: 'database', reason: expect.stringContaining('inside') }],
    });
    expect(await total()).toBe(before);
  });

  it('says when a file inside it is missing, and registers one that is there, by relative or absolute path', async () => {
    const before = await total();
    const missing = await register(join(folder, 'no-such.sqlite').slice(api.config.sqliteDir.length + 1));
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual([{ field: 'database', reason: expect.stringMatching(/no such file in the SQLite directory/) }]);
    expect(await total()).toBe(before);

    const relative = await register(join(folder, 'erp.sqlite').slice(api.config.sqliteDir.length + 1));
    expect(relative.status).toBe(201);
    expect((await register(join(folder, 'erp.sqlite'))).status).toBe(201);
    expect(await total()).toBe(before + 2);
  });
});
