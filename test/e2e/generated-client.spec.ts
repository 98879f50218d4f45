import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import createClient from 'openapi-fetch';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { type ApiTestApp, TOKENS } from '@sdo/api/testing';
import { sqliteFilePath } from '../support/deliveries';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { startApiWithoutWorker } from '../support/through-api';

jest.setTimeout(60_000);

const REPO_ROOT = join(__dirname, '..', '..');

/**
 * What an API user writes against the generated types: register the environments and the upgrade
 * package, then start one delivery of each service. Every request body is a literal, so the
 * compiler checks each service's parameters against the schema /docs-json gives for that service.
 */
const CLIENT = `
import type { Client } from 'openapi-fetch';
import type { components, paths } from './sdo-api';

type Schemas = components['schemas'];

export interface Fixtures {
  customerId: string;
  orderNo: string;
  idempotencyKey: () => string;
  /** ERP v1 on PostgreSQL, an empty PostgreSQL database, the old product on SQLite. */
  erp: Schemas['RegisterEnvironmentDto'];
  archive: Schemas['RegisterEnvironmentDto'];
  legacy: Schemas['RegisterEnvironmentDto'];
  upgradePackage: Schemas['RegisterUpgradePackageDto'];
}

export async function startOneDeliveryOfEachService(admin: Client<paths>, manager: Client<paths>, fx: Fixtures) {
  const register = async (body: Schemas['RegisterEnvironmentDto']): Promise<string> => {
    const { data, error, response } = await admin.POST('/v1/environments', { body });
    if (!data) throw new Error(\`environment \${body.name}: \${response.status} \${JSON.stringify(error)}\`);
    return data.id;
  };
  const [erp, archive, legacy] = [await register(fx.erp), await register(fx.archive), await register(fx.legacy)];
  const upgradePackage = await admin.POST('/v1/upgrade-packages', { body: fx.upgradePackage });
  if (!upgradePackage.data) throw new Error(\`upgrade package: \${upgradePackage.response.status} \${JSON.stringify(upgradePackage.error)}\`);

  const start = async (body: Schemas['StartDeliveryDto']) => {
    const { data, error, response } = await manager.POST('/v1/deliveries', { params: { header: { 'Idempotency-Key': fx.idempotencyKey() } }, body });
    return { status: response.status, id: data?.id, error };
  };
  const request = {
    customerId: fx.customerId,
    orderNo: fx.orderNo,
    contractRef: 'CT-2026-0009',
    cutoverWindow: { startsAt: '2027-01-09T22:00:00+08:00', durationMinutes: 240 },
  };
  // The schemas tell the services apart: an upgrade does not take another service's parameters.
  // @ts-expect-error parameters of a carryover, serviceType of an upgrade
  const mixedUp: Schemas['StartDeliveryDto'] = { ...request, serviceType: 'upgrade', environments: { target: erp }, parameters: { cutoffPeriod: '2024-07', tables: [] } };
  void mixedUp;

  return {
    upgrade: await start({ ...request, serviceType: 'upgrade', environments: { target: erp }, parameters: { packageId: upgradePackage.data.id } }),
    'data-migration': await start({
      ...request,
      serviceType: 'data-migration',
      environments: { source: legacy, target: archive },
      parameters: {
        targetSchema: 'public',
        mappings: [
          {
            name: 'customers',
            target: 'customer_account',
            source: {
              query: 'SELECT CustomerId, FirstName, LastName, Country FROM Customer',
              key: ['CustomerId'],
              filter: [{ column: 'CustomerId', op: 'in', value: [1, 2] }],
            },
            columns: [
              { target: 'legacy_id', expr: 'CustomerId' },
              { target: 'display_name', expr: "concat(FirstName, ' ', LastName)" },
              { target: 'country', expr: 'Country', default: 'unknown' },
              { target: 'country_code', expr: 'Country', valueMap: { map: { Brazil: 'BR', Germany: 'DE' }, otherwise: 'ZZ' } },
            ],
          },
        ],
        maxRejectedRows: 0,
      },
    }),
    'database-conversion': await start({
      ...request,
      serviceType: 'database-conversion',
      environments: { source: legacy, target: archive },
      parameters: { targetSchema: 'legacy', naming: 'snake', excludeColumns: ['Customer.Fax'], rename: { 'Customer.FirstName': 'given_name' } },
    }),
    'org-split': await start({
      ...request,
      serviceType: 'org-split',
      environments: { source: erp, target: archive },
      parameters: { organisations: ['2'], organisationTable: 'organisations', removeFromSource: false },
    }),
    'data-carryover': await start({
      ...request,
      serviceType: 'data-carryover',
      environments: { source: erp, target: archive },
      parameters: { cutoffPeriod: '2024-07', tables: [{ table: 'sales_orders', dateColumn: 'order_date' }] },
    }),
  };
}
`;

type Started = { status: number; id?: string; error?: unknown };

/** Issue #9: an API user generates a typed client from /docs-json and starts a delivery of every service with it. */
describe('a client generated from /docs-json', () => {
  let api: ApiTestApp;
  let erp: ScratchDatabase;
  let archive: ScratchDatabase;
  let legacyFile: string;
  let dir: string;

  beforeAll(async () => {
    [api, erp, archive] = await Promise.all([startApiWithoutWorker(), createErpV1Database(), createScratchDatabase('archive')]);
    legacyFile = sqliteFilePath(`old-product-${randomUUID()}.sqlite`);
    const legacy = new Sqlite(legacyFile);
    legacy.exec('CREATE TABLE Customer (CustomerId INTEGER PRIMARY KEY, FirstName TEXT NOT NULL, LastName TEXT NOT NULL, Country TEXT, Fax TEXT)');
    legacy.exec("INSERT INTO Customer VALUES (1, 'Luís', 'Gonçalves', 'Brazil', NULL), (2, 'Leonie', 'Köhler', NULL, '+49 0711 2842222')");
    legacy.close();
    dir = mkdtempSync(join(tmpdir(), 'sdo-generated-client-'));
    // The client resolves openapi-fetch's types as a project of the user's would: from its node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  });

  afterAll(async () => {
    await api?.close();
    await erp?.drop();
    await archive?.drop();
    if (legacyFile) rmSync(legacyFile, { force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('typechecks a start of each service against the generated types, and starts each (202)', async () => {
    const served = await api.request('GET', '/docs-json', { as: null });
    expect(served.status).toBe(200);
    writeFileSync(join(dir, 'docs.json'), served.text);
    writeFileSync(join(dir, 'client.ts'), CLIENT);
    const generated = await promisify(execFile)(process.execPath, [join(__dirname, '..', 'support', 'generate-client.mjs'), dir]);
    expect(JSON.parse(generated.stdout)).toEqual([]);

    // The same client, run.
    const { startOneDeliveryOfEachService } = await import(join(dir, 'client.js'));
    const clientAs = (token: string) => createClient({ baseUrl: api.baseUrl, headers: { authorization: `Bearer ${token}` } });
    const customerId = 'CUST-CLIENT';
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const started: Record<string, Started> = await startOneDeliveryOfEachService(clientAs(TOKENS.admin), clientAs(TOKENS.manager), {
      customerId,
      orderNo,
      idempotencyKey: () => randomUUID(),
      erp: { customerId, name: 'erp-prod', engine: 'postgres', ...connectionFields(erp.url) },
      archive: { customerId, name: 'erp-archive', engine: 'postgres', ...connectionFields(archive.url) },
      legacy: { customerId, name: 'old-product', engine: 'sqlite', database: legacyFile },
      upgradePackage: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')),
    });

    expect(Object.fromEntries(Object.entries(started).map(([service, s]) => [service, s.error ?? s.status]))).toEqual({
      upgrade: 202,
      'data-migration': 202,
      'database-conversion': 202,
      'org-split': 202,
      'data-carryover': 202,
    });
    for (const [serviceType, { id }] of Object.entries(started)) {
      const delivery = await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
      expect(delivery.body).toMatchObject({ serviceType, customerId, orderNo, phase: 'assessment' });
    }
  });
});
