import { join } from 'node:path';
import { checksum, loadPackage } from '@sdo/upgrade-kit';
import { ApiTestApp, startApiTestApp } from '../../testing/api-test-app';

const FIXTURE = join(__dirname, '../../../../../test/fixtures/upgrade/packages/erp-2.1');

describe('upgrade packages', () => {
  let api: ApiTestApp;
  const erp21 = loadPackage(FIXTURE);
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api?.close());

  it('registers a valid package with checksums computed by the server', async () => {
    const created = await api.request('POST', '/v1/upgrade-packages', { body: erp21 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: erp21.name, product: erp21.product, targetVersion: erp21.scripts.at(-1)!.version });
    expect(created.body.scripts).toEqual(erp21.scripts.map((s) => ({ ...s, checksum: checksum(s.sql) })));
    expect(created.body.verifications).toEqual(erp21.verifications);

    const one = await api.request('GET', `/v1/upgrade-packages/${created.body.id}`, { as: 'viewer' });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);
    const list = await api.request('GET', '/v1/upgrade-packages', { as: 'viewer' });
    expect(list.body).toMatchObject({ total: 1, limit: 20, offset: 0 });
    expect(list.body.items[0].scripts[0]).toEqual({
      version: erp21.scripts[0]!.version,
      description: erp21.scripts[0]!.description,
      checksum: checksum(erp21.scripts[0]!.sql),
    });
  });

  it('refuses checksums sent by the client: the server computes them', async () => {
    const withChecksum = { ...erp21, name: 'erp-2.1-with-checksums', scripts: erp21.scripts.map((s) => ({ ...s, checksum: 'forged' })) };
    const refused = await api.request('POST', '/v1/upgrade-packages', { body: withChecksum });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0]).toEqual({ field: 'scripts.0.checksum', reason: 'is not a known field' });
  });

  it('answers 409 for a second package with the same name', async () => {
    const again = await api.request('POST', '/v1/upgrade-packages', { body: erp21 });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already registered/);
  });

  it('answers 400 naming the script and the reason for an invalid package (validated by upgrade-kit)', async () => {
    const broken = {
      name: 'erp-broken',
      product: 'ERP',
      scripts: [
        { version: '2.1.0', description: 'later first', sql: 'CREATE TABLE a (id int);' },
        { version: '2.0.0', description: 'earlier second', sql: 'BEGIN; CREATE TABLE b (id int); COMMIT;' },
      ],
      verifications: [],
    };
    const refused = await api.request('POST', '/v1/upgrade-packages', { body: broken });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('script 2.0.0 comes after 2.1.0');
    expect(refused.body.message).toMatch(/script 2\.0\.0 contains "BEGIN"/i);
    expect(refused.body.details).toEqual([
      { field: 'scripts.1.sql', reason: expect.stringMatching(/script 2\.0\.0 contains "BEGIN"/i) },
      { field: 'scripts.1.version', reason: 'script 2.0.0 comes after 2.1.0: versions must be strictly increasing' },
    ]);
  });

  it('answers 400 for malformed verifications, naming the field', async () => {
    const bad = { ...erp21, name: 'erp-bad-verification', verifications: [{ name: 'v', sql: 'SELECT 1', expect: 'some' }] };
    const refused = await api.request('POST', '/v1/upgrade-packages', { body: bad });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'verifications.0.expect', reason: `must be 'rows', 'no-rows' or { "equals": "<text>" }` }]);
  });

  it('lets only admins register packages', async () => {
    expect((await api.request('POST', '/v1/upgrade-packages', { as: 'manager', body: erp21 })).status).toBe(403);
  });
});
