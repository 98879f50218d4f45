import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { systemResolve, type ResolveHost } from '@sdo/persistence';
import { loadPackage } from '@sdo/upgrade-kit';
import type { ApiTestApp } from '@sdo/api/testing';
import { connectionFields, UPGRADE_FIXTURES } from '../support/fixtures';
import { startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(60_000);

/** A customer host name that DNS answers differently for the API (at registration) and for the worker (at connect). */
const FICKLE_NAME = 'erp-db.fickle.test';
const answering =
  (address: string): ResolveHost =>
  async (name) =>
    name === FICKLE_NAME ? [address] : systemResolve(name);

/**
 * Issue #8, item 1: other spellings of SDO's own servers and of metadata addresses are refused by
 * address, at registration through HTTP and again by the worker when it connects.
 */
describe('host policy through the API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let appDb: { host: string; port: number; database: string; username: string; password: string };
  let temporalPort: number;

  beforeAll(async () => {
    // The worker's DNS says 127.0.0.1 for FICKLE_NAME, the API's 192.0.2.10 (a customer address).
    ({ api, worker } = await startApiAndWorker({ resolveHost: answering('127.0.0.1') }, { resolveHost: answering('192.0.2.10') }));
    appDb = connectionFields(api.database.url);
    temporalPort = Number(api.config.temporal.address.split(':').pop());
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const total = async () => (await api.request('GET', '/v1/environments', { as: 'viewer' })).body.total as number;
  const register = (name: string, fields: Record<string, unknown>) =>
    api.request('POST', '/v1/environments', {
      body: { customerId: 'CUST-SEC', name, engine: 'postgres', username: 'u', password: 'p', database: 'erp', port: 5432, ...fields },
    });

  const loopbackSpellings = [
    '0x7f000001',
    '2130706433',
    '0177.0.0.1',
    '127.1',
    '::ffff:7f00:1',
    '::ffff:127.0.0.1',
    '[::ffff:7f00:1]',
    'localhost.',
    'LOCALHOST',
    '::1',
  ];

  it.each(loopbackSpellings)("refuses %s on the app database's port and name", async (host) => {
    const before = await total();
    const r = await register(`app-db ${host}`, { host, port: appDb.port, database: appDb.database });
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([{ field: 'host', reason: expect.stringContaining("SDO's own app database") }]);
    expect(await total()).toBe(before);
  });

  it.each(['localhost.', '::ffff:7f00:1', '0x7f000001', '[::1]'])("refuses %s on the Temporal frontend's port", async (host) => {
    const before = await total();
    const r = await register(`temporal ${host}`, { host, port: temporalPort });
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([{ field: 'host', reason: expect.stringContaining("SDO's Temporal frontend") }]);
    expect(await total()).toBe(before);
  });

  it.each(['169.254.169.254.', '::ffff:a9fe:a9fe', '::ffff:169.254.169.254', '0xa9fea9fe', 'metadata.google.internal.', '0.0.0.0', '[::]'])(
    'refuses the metadata / unspecified spelling %s',
    async (host) => {
      const before = await total();
      const r = await register(`metadata ${host}`, { host });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ field: 'host', reason: expect.stringMatching(/metadata|link-local|unspecified/) }]);
      expect(await total()).toBe(before);
    },
  );

  it("still accepts other databases on the app database's server, and names that resolve to customer addresses", async () => {
    const before = await total();
    expect((await register('erp on the same server', { host: '0x7f000001', port: appDb.port, database: 'erp' })).status).toBe(201);
    expect((await register('erp by name', { host: FICKLE_NAME, port: appDb.port, database: appDb.database })).status).toBe(201);
    expect(await total()).toBe(before + 2);
  });

  it('is applied again by the worker at connect: a name that now resolves to the app database is refused, and the delivery waits for a corrected environment', async () => {
    // At registration the name resolves to 192.0.2.10 (allowed); the worker's DNS now answers 127.0.0.1.
    const env = await register('fickle', { host: FICKLE_NAME, port: appDb.port, database: appDb.database, username: appDb.username, password: appDb.password });
    expect(env.status).toBe(201);
    const pkg = await api.request('POST', '/v1/upgrade-packages', {
      body: { ...loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')), name: `erp-2.1-${randomUUID()}` },
    });
    expect(pkg.status).toBe(201);
    const id = await startDeliveryViaApi(api, {
      serviceType: 'upgrade',
      customerId: 'CUST-SEC',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { target: env.body.id },
      parameters: { packageId: pkg.body.id },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    });
    const failed = await waitForDelivery(api, id, (d) => d.phase !== 'assessment' || d.awaiting === 'assessmentBlocked', 30_000);
    expect(failed).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked' });
    expect(failed.lastFailure).toMatchObject({
      phase: 'assessment',
      type: 'EnvironmentNotAllowed',
      message: expect.stringContaining("SDO's own app database"),
    });
  });
});
