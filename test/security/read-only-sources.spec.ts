import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { UpgradePackageStore } from '@sdo/persistence';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import type { ApiTestApp } from '@sdo/api/testing';
import { startDelivery } from '../support/deliveries';
import { createErpV1Database, UPGRADE_FIXTURES, upgradePackageRecord, withPg } from '../support/fixtures';
import { registerEnvironmentViaApi, startApiAndWorker } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

/** Issue #8 items 3 and 7 (and the query-source part of 12): SQL a person supplies can only read. */
describe('query sources and verifications cannot write (issue #8 items 3, 7, 12)', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let source: ScratchDatabase;
  let target: ScratchDatabase;
  let erp: ScratchDatabase;
  const customer = 'ACME';
  const envs = { source: '', target: '' };

  // The two queries of the report: the first switches the session's read-only default off, the second writes a large object.
  const FLIP = "SELECT id, set_config('default_transaction_read_only','off',false) AS x FROM customers";
  const WRITE = "SELECT lo_from_bytea(0, convert_to('x','UTF8'))::bigint AS id";
  const mapping = (name: string, query: string) => ({
    name,
    target: 'customer_account',
    source: { query, key: ['id'] },
    columns: [{ target: 'name', expr: 'id' }],
  });
  const largeObjects = async () => (await withPg(source.url, (c) => c.query('SELECT count(*)::int AS n FROM pg_largeobject_metadata'))).rows[0].n as number;
  const startBody = (mappings: unknown[]) => ({
    serviceType: 'data-migration',
    customerId: customer,
    orderNo: `SO-${randomUUID().slice(0, 8)}`,
    environments: envs,
    parameters: { mappings },
    cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
  });

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    [source, target, erp] = await Promise.all([createScratchDatabase('ro_source'), createScratchDatabase('ro_target'), createErpV1Database()]);
    await withPg(source.url, (c) =>
      c.query("CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 5) g"),
    );
    await withPg(target.url, (c) => c.query('CREATE TABLE customer_account (id serial PRIMARY KEY, name text)'));
    envs.source = (await registerEnvironmentViaApi(api, customer, 'old-product', { postgres: source.url })).id;
    envs.target = (await registerEnvironmentViaApi(api, customer, 'new-product', { postgres: target.url })).id;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await Promise.all([source?.drop(), target?.drop(), erp?.drop()]);
  });

  it('item 3: a migration whose query sources call set_config and lo_from_bytea is a 400 naming each query; nothing is stored or written', async () => {
    const before = await largeObjects();
    const refused = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: startBody([mapping('flip', FLIP), mapping('write', WRITE)]),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      {
        field: 'parameters.mappings.0.source.query',
        reason: 'calls set_config(), which is not on the list of side-effect-free functions a query source may use',
      },
      {
        field: 'parameters.mappings.1.source.query',
        reason: 'calls lo_from_bytea(), which is not on the list of side-effect-free functions a query source may use',
      },
    ]);
    // Other spellings and shapes of a write, one mapping each.
    const spellings = [
      `SELECT id, "set_config"('default_transaction_read_only', 'off', false) AS x FROM customers`,
      `SELECT id, pg_catalog.set_config('default_transaction_read_only', 'off', false) AS x FROM customers`,
      `SELECT id FROM customers WHERE id IN (SELECT lo_from_bytea(0, 'x')::int)`,
      'WITH gone AS (DELETE FROM customers RETURNING id) SELECT id FROM gone',
      'SELECT id FROM customers FOR UPDATE',
      'SELECT id FROM customers /* ) AS t; */ -- ; DELETE FROM customers',
      'SELECT id INTO stolen FROM customers',
    ];
    const more = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: startBody(spellings.map((q, i) => mapping(`m${i}`, q))),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(more.status).toBe(400);
    expect(more.body.details.map((d: { field: string }) => d.field)).toEqual([
      'parameters.mappings.0.source.query',
      'parameters.mappings.1.source.query',
      'parameters.mappings.2.source.query',
      'parameters.mappings.3.source.query',
      'parameters.mappings.4.source.query',
      'parameters.mappings.6.source.query',
    ]);
    expect((await api.request('GET', `/v1/deliveries?customerId=${customer}`, { as: 'viewer' })).body.total).toBe(0);
    expect(await largeObjects()).toBe(before);
  });

  it('item 3 / 12: the same queries reaching the worker (a delivery started before the API vetted them) block assessment at once, non-retryable; the source is untouched', async () => {
    const before = await largeObjects();
    const { deliveryId } = await startDelivery(worker, {
      serviceType: 'data-migration',
      customerId: customer,
      environments: envs,
      parameters: { mappings: [mapping('flip', FLIP), mapping('write', WRITE)] },
    });
    const failed = await waitForDelivery(api, deliveryId, (d) => d.phase !== 'assessment' || d.awaiting === 'assessmentBlocked', 30_000);
    expect(failed).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked' });
    expect(failed.lastFailure).toMatchObject({
      phase: 'assessment',
      type: 'InvalidParameters',
      message: 'Mapping "flip", source query: calls set_config(), which is not on the list of side-effect-free functions a query source may use.',
    });
    expect(await largeObjects()).toBe(before);
    expect(await withPg(source.url, (c) => c.query("SELECT current_setting('default_transaction_read_only') AS ro"))).toMatchObject({ rows: [{ ro: 'off' }] }); // the server default, never changed
  });

  it('item 7: a package whose verification ends its transaction and writes is a 400 naming the verification, and is not stored', async () => {
    const pkg = loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1'));
    const writes = {
      name: 'looks harmless',
      sql: 'COMMIT; CREATE TABLE sdo_was_here (a int); UPDATE customers SET payment_terms = 0; SELECT 1',
      expect: 'rows',
    };
    const flips = { name: 'flips the mode', sql: "SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false)", expect: 'rows' };
    const refused = await api.request('POST', '/v1/upgrade-packages', {
      body: { ...pkg, name: 'erp-2.1-writes', verifications: [...pkg.verifications, writes, flips] },
    });
    expect(refused.status).toBe(400);
    const n = pkg.verifications.length;
    expect(refused.body.details).toEqual([
      { field: `verifications.${n}.sql`, reason: 'verification "looks harmless" must be a single statement, not 4' },
      {
        field: `verifications.${n + 1}.sql`,
        reason: 'verification "flips the mode" calls pg_catalog.set_config(), which is not on the list of side-effect-free functions a verification may use',
      },
    ]);
    const listed = await api.request('GET', '/v1/upgrade-packages', { as: 'viewer' });
    expect(listed.body.items.map((p: { name: string }) => p.name)).not.toContain('erp-2.1-writes');
    // The fixture's own verifications (one calls the product's order_total function) are accepted.
    expect((await api.request('POST', '/v1/upgrade-packages', { body: { ...pkg, name: 'erp-2.1-reads' } })).status).toBe(201);
  });

  it('item 7: a package stored before verifications were vetted blocks its upgrade at assessment (InvalidPackage); the target is untouched', async () => {
    const record = upgradePackageRecord('erp-2.1', `erp-2.1-legacy-${randomUUID().slice(0, 8)}`);
    record.verifications = [...record.verifications, { name: 'looks harmless', sql: 'COMMIT; CREATE TABLE sdo_was_here (a int); SELECT 1', expect: 'rows' }];
    const stored = await new UpgradePackageStore(worker.dataSource).register(record);
    const env = await registerEnvironmentViaApi(api, 'CUST-7', 'erp', { postgres: erp.url });
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-7',
        orderNo: `SO-${randomUUID().slice(0, 8)}`,
        environments: { target: env.id },
        parameters: { packageId: stored.id },
        cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
      },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(started.status).toBe(202);
    const failed = await waitForDelivery(api, started.body.id, (d) => d.phase !== 'assessment' || d.awaiting === 'assessmentBlocked', 30_000);
    expect(failed).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked' });
    expect(failed.lastFailure).toMatchObject({
      phase: 'assessment',
      type: 'InvalidPackage',
      message: expect.stringContaining('"looks harmless" must be a single statement, not 3'),
    });
    expect(await withPg(erp.url, (c) => c.query("SELECT to_regclass('sdo_was_here') AS t"))).toMatchObject({ rows: [{ t: null }] });
  });
});
