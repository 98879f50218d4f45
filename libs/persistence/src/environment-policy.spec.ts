import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentPolicy, forbiddenAddress, protectedEndpointsOf, ResolveHost, SQLITE_OUTSIDE_REASON, systemResolve } from './environment-policy';

const protectedEndpoints = protectedEndpointsOf({ databaseUrl: 'postgres://sdo:pw@127.0.0.1:5432/sdo', temporal: { address: '127.0.0.1:7233' } });
/** The OS resolver, except for names a test answers itself. */
const resolver =
  (answers: Record<string, string[]>): ResolveHost =>
  async (name) =>
    answers[name] ?? systemResolve(name);

describe('environment policy: hosts', () => {
  const policy = new EnvironmentPolicy({
    protectedEndpoints,
    sqliteDir: tmpdir(),
    resolve: resolver({ 'erp-db.acme.test': ['10.1.2.3'], 'sneaky.acme.test': ['10.1.2.4', '169.254.169.254'] }),
  });
  const check = (host: string, port = 5432, database = 'erp') => policy.checkHost({ host, port, database });

  it('refuses metadata, link-local, unspecified, multicast and reserved addresses in every IP form', () => {
    for (const ip of [
      '169.254.169.254',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '100.100.100.200',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:169.254.169.254',
      '::ffff:a9fe:a9fe',
      '::ffff:0.0.0.0',
      '64:ff9b::a9fe:a9fe',
      '0:0:0:0:0:0:0:0',
    ]) {
      expect([ip, forbiddenAddress(ip)]).toEqual([ip, expect.any(String)]);
    }
    for (const ip of ['10.0.0.5', '192.168.1.10', '127.0.0.1', '::1', '2001:db8::1', '::ffff:10.0.0.5'])
      expect([ip, forbiddenAddress(ip)]).toEqual([ip, undefined]);
  });

  it.each([
    ['169.254.169.254.', /link-local/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['[::ffff:169.254.169.254]', /link-local/],
    ['0xa9fea9fe', /link-local/],
    ['2852039166', /link-local/],
    ['metadata.google.internal.', /metadata service/],
    ['METADATA.google.internal', /metadata service/],
    [' 0.0.0.0 ', /unspecified/],
    ['0', /unspecified/],
    ['sneaky.acme.test', /169\.254\.169\.254\) is a link-local/],
  ])('refuses %s', async (host, reason) => {
    expect(await check(host)).toEqual({ kind: 'refused', reason: expect.stringMatching(reason) });
  });

  it.each([
    '127.0.0.1',
    'localhost',
    'localhost.',
    'LOCALHOST',
    '0x7f000001',
    '2130706433',
    '0177.0.0.1',
    '127.1',
    '127.0.0.2',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '[::ffff:7f00:1]',
    '::1',
    '[::1]',
  ])("refuses %s as SDO's own app database and Temporal frontend", async (host) => {
    expect(await check(host, 5432, 'sdo')).toEqual({ kind: 'refused', reason: expect.stringMatching(/SDO's own app database/) });
    expect(await check(host, 7233, 'anything')).toEqual({ kind: 'refused', reason: expect.stringMatching(/SDO's Temporal frontend/) });
  });

  it('allows other databases of the app database server, other ports and customer hosts, and says where to connect', async () => {
    expect(await check('127.0.0.1', 5432, 'erp')).toEqual({ kind: 'allowed', name: '127.0.0.1', addresses: ['127.0.0.1'] });
    expect(await check('0x7f000001', 5433, 'sdo')).toEqual({ kind: 'allowed', name: '0x7f000001', addresses: ['127.0.0.1'] });
    expect(await check('[::1]', 5432, 'erp')).toEqual({ kind: 'allowed', name: '::1', addresses: ['::1'] });
    expect(await check('ERP-DB.acme.test.', 5432, 'sdo')).toEqual({ kind: 'allowed', name: 'erp-db.acme.test', addresses: ['10.1.2.3'] });
  });

  it('protects an endpoint given by name by its addresses, and every local address of a local endpoint', async () => {
    const byName = new EnvironmentPolicy({
      protectedEndpoints: protectedEndpointsOf({ databaseUrl: 'postgres://u@app-db.internal/sdo', temporal: { address: 'localhost:7233' } }),
      sqliteDir: tmpdir(),
      resolve: resolver({ 'app-db.internal': ['10.9.9.9'], 'alias.acme.test': ['10.9.9.9'] }),
    });
    expect(await byName.checkHost({ host: 'alias.acme.test', port: 5432, database: 'sdo' })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/app database/),
    });
    expect(await byName.checkHost({ host: '::ffff:10.9.9.9', port: 5432, database: 'sdo' })).toMatchObject({ kind: 'refused' });
    expect(await byName.checkHost({ host: '10.9.9.9', port: 5432, database: 'erp' })).toMatchObject({ kind: 'allowed' });
    expect(await byName.checkHost({ host: '127.0.0.9', port: 7233, database: 'x' })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/Temporal/),
    });
  });

  it('answers with the DNS of the moment: a name can change between two checks', async () => {
    let answer = ['10.1.2.3'];
    const changing = new EnvironmentPolicy({ protectedEndpoints, sqliteDir: tmpdir(), resolve: async () => answer });
    expect(await changing.checkHost({ host: 'erp.acme.test', port: 5432, database: 'sdo' })).toMatchObject({ kind: 'allowed', addresses: ['10.1.2.3'] });
    answer = ['::ffff:127.0.0.1'];
    expect(await changing.checkHost({ host: 'erp.acme.test', port: 5432, database: 'sdo' })).toEqual({
      kind: 'refused',
      reason: "host erp.acme.test ([::ffff:127.0.0.1]:5432) database sdo is SDO's own app database",
    });
  });

  it('reports a name that does not resolve (or not in time) as unresolved, not as allowed', async () => {
    expect(await check('erp-db.customer.invalid')).toMatchObject({ kind: 'unresolved', code: 'ENOTFOUND' });
    const slow = new EnvironmentPolicy({ protectedEndpoints, sqliteDir: tmpdir(), resolveTimeoutMs: 50, resolve: () => new Promise(() => undefined) });
    expect(await slow.checkHost({ host: 'slow.acme.test', port: 5432, database: 'x' })).toMatchObject({ kind: 'unresolved', code: 'ETIMEOUT' });
  });
});

describe('environment policy: SQLite files', () => {
  let base: string;
  let dir: string;
  let policy: EnvironmentPolicy;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'sdo-policy-'));
    dir = join(base, 'sqlite');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'erp.sqlite'), 'x');
    writeFileSync(join(dir, 'sub', 'old.sqlite'), 'x');
    writeFileSync(join(base, 'temporal.db'), 'x');
    symlinkSync(join(base, 'temporal.db'), join(dir, 'link-out.sqlite'));
    symlinkSync(base, join(dir, 'dir-out'));
    symlinkSync(join(dir, 'erp.sqlite'), join(dir, 'link-in.sqlite'));
    policy = new EnvironmentPolicy({ protectedEndpoints: [], sqliteDir: dir });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('allows files inside the directory, relative or absolute, by their real path', async () => {
    expect(await policy.checkSqliteFile('erp.sqlite')).toEqual({ kind: 'allowed', path: join(dir, 'erp.sqlite') });
    expect(await policy.checkSqliteFile(join(dir, 'sub', 'old.sqlite'))).toEqual({ kind: 'allowed', path: join(dir, 'sub', 'old.sqlite') });
    expect(await policy.checkSqliteFile('sub/../link-in.sqlite')).toEqual({ kind: 'allowed', path: join(dir, 'erp.sqlite') });
  });

  it('gives everything outside the same answer, whether it exists or not', async () => {
    for (const path of [
      '../temporal.db',
      '../no-such.db',
      join(base, 'temporal.db'),
      '/etc/passwd',
      '../../../../etc/passwd',
      '/etc/no-such-file',
      'link-out.sqlite',
      'dir-out/temporal.db',
      'dir-out/no-such.db',
      'dir-out/nowhere/no-such.db',
      '.',
      '',
      dir,
    ]) {
      expect([path, await policy.checkSqliteFile(path)]).toEqual([path, { kind: 'refused', reason: SQLITE_OUTSIDE_REASON }]);
    }
  });

  it('says when a file inside the directory is missing', async () => {
    expect(await policy.checkSqliteFile('gone.sqlite')).toMatchObject({ kind: 'missing' });
    expect(await policy.checkSqliteFile('sub/nowhere/gone.sqlite')).toMatchObject({ kind: 'missing' });
    expect(await policy.checkSqliteFile('sub')).toMatchObject({ kind: 'missing' });
  });
});
