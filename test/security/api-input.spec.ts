import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { loadPackage } from '@sdo/upgrade-kit';
import { ApiTestApp, startApiTestApp, testConfig, TOKENS } from '@sdo/api/testing';
import { createApiApp } from '@sdo/api/testing';
import { DeliveriesService } from '@sdo/api/testing';

/**
 * Issue #8, items 4, 5, 6, 8, 10, 11 and the low list, through HTTP against the real API (real
 * PostgreSQL and Temporal, no worker): every bad input is a 400 naming the field, refused before
 * anything is stored or sent to a workflow.
 */
const PACKAGE = join(__dirname, '../fixtures/upgrade/packages/erp-2.1');
const REPAIR_AFTER_MS = 2_000;

describe('security: API input (issue #8)', () => {
  let api: ApiTestApp;
  let db: DataSource;
  let temporal: Client;
  let connection: Connection;
  let target: string;
  let mysqlEnv: string;
  let packageId: string;
  let delivery: { id: string; workflowId: string };
  let foreignDelivery: { id: string };

  const orderNo = () => `SO-${randomBytes(4).toString('hex')}`;
  const key = () => randomUUID();
  const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field).sort();
  const startBody = (overrides: Record<string, unknown> = {}) => ({
    serviceType: 'upgrade',
    customerId: 'CUST-SEC',
    orderNo: orderNo(),
    environments: { target },
    parameters: { packageId },
    cutoverWindow: { startsAt: '2026-12-05T22:00:00+08:00', durationMinutes: 240 },
    ...overrides,
  });
  const start = (body: unknown, idempotencyKey = key(), as: 'manager' | 'confined' = 'manager') =>
    api.request('POST', '/v1/deliveries', { as, body, headers: { 'idempotency-key': idempotencyKey } });
  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    environments: await count('environments'),
    upgrade_packages: await count('upgrade_packages'),
    deliveries: await count('deliveries'),
    audit_entries: await count('audit_entries'),
    delivery_decisions: await count('delivery_decisions'),
  });

  beforeAll(async () => {
    api = await startApiTestApp({
      temporalTimeoutMs: 2_000,
      startRepairAfterMs: REPAIR_AFTER_MS,
      startRepairEveryMs: 0,
      env: { SDO_TASK_QUEUE: `sec-${randomUUID()}` },
    });
    db = api.app.get(DataSource);
    connection = await Connection.connect({ address: api.config.temporal.address });
    temporal = new Client({ connection, namespace: api.config.temporal.namespace });
    const env = async (customerId: string, engine = 'postgres') => {
      const r = await api.request('POST', '/v1/environments', {
        body: { customerId, name: `ERP ${randomBytes(3).toString('hex')}`, engine, host: '10.9.8.7', database: 'erp' },
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    target = await env('CUST-SEC');
    mysqlEnv = await env('CUST-SEC', 'mysql');
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(PACKAGE) });
    expect(pkg.status).toBe(201);
    packageId = pkg.body.id;
    const started = await start(startBody());
    expect(started.status).toBe(202);
    delivery = started.body;
    const foreign = await start(startBody({ customerId: 'CUST-CONFINED', environments: { target: await env('CUST-CONFINED') } }), key(), 'confined');
    expect(foreign.status).toBe(202);
    foreignDelivery = foreign.body;
  });
  afterAll(async () => {
    for await (const run of temporal?.workflow.list({ query: `ExecutionStatus = 'Running' AND TaskQueue = '${api.config.temporal.taskQueue}'` }) ?? []) {
      await temporal.workflow
        .getHandle(run.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
    await connection?.close();
    await api?.close();
  });

  /** Every route that takes a JSON body, as the OpenAPI document lists them. */
  async function bodyRoutes(): Promise<[string, string][]> {
    const docs = await api.request('GET', '/docs-json', { as: null });
    const routes: [string, string][] = [];
    for (const [path, operations] of Object.entries(
      docs.body.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>,
    )) {
      for (const [method, op] of Object.entries(operations)) {
        // File uploads (task evidence) take the file itself as body, never JSON.
        if (op.requestBody?.content?.['application/json']) routes.push([method.toUpperCase(), path.replace('{id}', delivery.id)]);
      }
    }
    return routes;
  }

  describe('item 8 / low: prototype keys, NUL bytes and lone surrogates are a 400 naming the field, on every body route', () => {
    it('refuses nested constructor / __proto__ / prototype keys', async () => {
      const routes = await bodyRoutes();
      expect(routes.length).toBeGreaterThanOrEqual(10);
      for (const [method, path] of routes) {
        for (const [raw, field] of [
          ['{"reason":{"constructor":1}}', 'reason.constructor'],
          ['{"comment":"x","__proto__":{"isAdmin":true}}', '__proto__'],
          ['{"a":[{"b":{"prototype":{}}}]}', 'a.0.b.prototype'],
        ] as const) {
          const r = await api.request(method, path, { as: 'admin', rawBody: raw, headers: { 'idempotency-key': key() } });
          expect([method, path, r.status]).toEqual([method, path, 400]);
          expect(r.body.details).toEqual(expect.arrayContaining([{ field, reason: expect.stringMatching(/reserved/) }]));
        }
      }
    });

    it('refuses NUL bytes and lone surrogates in any string of a body, at any depth, and in keys', async () => {
      for (const [method, path] of await bodyRoutes()) {
        for (const text of ['ok\\u0000', '\\ud800', 'a\\udc00b']) {
          const r = await api.request(method, path, { as: 'admin', rawBody: `{"x":{"y":["fine","${text}"]}}`, headers: { 'idempotency-key': key() } });
          expect([method, path, r.status]).toEqual([method, path, 400]);
          expect(r.body.details).toEqual([{ field: 'x.y.1', reason: expect.stringMatching(/NUL|surrogate/) }]);
        }
      }
      const inKey = await api.request('POST', '/v1/environments', { rawBody: '{"na\\u0000me":"x"}' });
      expect(inKey.status).toBe(400);
      // A surrogate pair (an emoji) is text like any other.
      const emoji = await api.request('POST', '/v1/environments', {
        body: { customerId: 'CUST-SEC', name: `ERP 😀 ${randomBytes(2).toString('hex')}`, engine: 'postgres', host: '10.9.8.7', database: 'erp' },
      });
      expect(emoji.status).toBe(201);
    });

    it('refuses them in query strings and path parameters too', async () => {
      const query = await api.request('GET', '/v1/deliveries?customerId=%00abc', { as: 'viewer' });
      expect(query.status).toBe(400);
      expect(fieldsOf(query.body)).toContain('customerId');
      const path = await api.request('GET', '/v1/deliveries/%00', { as: 'viewer' });
      expect(path.status).toBe(400);
      const surrogate = await api.request('GET', '/v1/environments/%ED%A0%80', { as: 'viewer' });
      expect(surrogate.status).toBe(400);
    });

    it('answers JSON nested 100,000 deep with a 400, not a 500', async () => {
      for (const raw of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
        const r = await api.request('POST', '/v1/environments', { rawBody: raw });
        expect(r.status).toBe(400);
        expect(r.body.details).toEqual([{ field: 'body', reason: expect.stringMatching(/nests deeper than/) }]);
      }
      // Brackets inside strings do not count.
      const inString = await api.request('POST', '/v1/environments', {
        body: { customerId: 'CUST-SEC', name: '['.repeat(90), engine: 'postgres', host: '10.9.8.7', database: 'erp' },
      });
      expect(inString.status).toBe(201);
    });

    it('refuses "password": null and other nulls where a value or its absence is expected', async () => {
      const r = await api.request('POST', '/v1/environments', {
        body: { customerId: 'CUST-SEC', name: 'nulls', engine: 'postgres', host: '10.9.8.7', database: 'erp', password: null, port: null, ssl: null },
      });
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['password', 'port', 'ssl']);
      const contract = await start(startBody({ contractRef: null }));
      expect(contract.status).toBe(400);
      expect(fieldsOf(contract.body)).toEqual(['contractRef']);
    });

    it('refuses impossible instants that match the pattern, at start and when the window moves', async () => {
      for (const startsAt of [
        '2027-13-01T22:00:00Z',
        '2026-02-30T22:00:00Z',
        '2026-12-05T24:00:00Z',
        '2026-12-05T22:60:00+08:00',
        '2026-12-05T22:00:00+25:00',
      ]) {
        const r = await start(startBody({ cutoverWindow: { startsAt, durationMinutes: 60 } }));
        expect([startsAt, r.status]).toEqual([startsAt, 400]);
        expect(fieldsOf(r.body)).toEqual(['cutoverWindow.startsAt']);
        const moved = await api.request('PUT', `/v1/deliveries/${delivery.id}/cutover-window`, { as: 'manager', body: { startsAt } });
        expect([startsAt, moved.status]).toEqual([startsAt, 400]);
        expect(fieldsOf(moved.body)).toEqual(['startsAt']);
      }
      expect((await start(startBody({ cutoverWindow: { startsAt: '2028-02-29T22:00:00Z', durationMinutes: 60 } }))).status).toBe(202);
    });

    it('refuses a missing, array or text cutoverWindow naming it', async () => {
      for (const cutoverWindow of [undefined, [], 'tomorrow', 42, null]) {
        const r = await start(startBody({ cutoverWindow }));
        expect([cutoverWindow, r.status]).toEqual([cutoverWindow, 400]);
        expect(fieldsOf(r.body)).toEqual(['cutoverWindow']);
      }
    });

    it('caps offset instead of handing PostgreSQL an out-of-range number', async () => {
      for (const path of ['/v1/deliveries', '/v1/environments', '/v1/upgrade-packages']) {
        const r = await api.request('GET', `${path}?offset=99999999999999999999`, { as: 'viewer' });
        expect([path, r.status]).toEqual([path, 400]);
        expect(fieldsOf(r.body)).toEqual(['offset']);
      }
      expect((await api.request('GET', '/v1/deliveries?offset=1000000', { as: 'viewer' })).status).toBe(200);
    });

    it("answers 404 for PUT cutover-window on an unknown or another customer's delivery", async () => {
      const body = { startsAt: '2026-12-12T22:00:00+08:00' };
      expect((await api.request('PUT', `/v1/deliveries/${randomUUID()}/cutover-window`, { as: 'manager', body })).status).toBe(404);
      expect((await api.request('PUT', `/v1/deliveries/${delivery.id}/cutover-window`, { as: 'confined', body })).status).toBe(404);
      expect(
        (await api.request('PUT', `/v1/deliveries/${delivery.id}/cutover-window`, { as: 'confined', body: { startsAt: '2026-02-30T22:00:00Z' } })).status,
      ).toBe(400);
      expect((await api.request('GET', `/v1/deliveries/${foreignDelivery.id}/audit`, { as: 'confined' })).status).toBe(200);
    });

    it('accepts only scalars for filter.value and default in migration mappings', async () => {
      const withMapping = (filter: Record<string, unknown>, column: Record<string, unknown>) =>
        start(
          startBody({
            serviceType: 'data-migration',
            environments: { source: mysqlEnv, target },
            parameters: {
              mappings: [
                {
                  name: 'customers',
                  target: 'customer',
                  source: { table: 'Customer', filter: [filter] },
                  columns: [{ target: 'name', expr: 'Name', ...column }],
                },
              ],
            },
          }),
        );
      const r = await withMapping({ column: 'Country', op: '=', value: { $gt: '' } }, { default: { nested: true } });
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['parameters.mappings.0.columns.0.default', 'parameters.mappings.0.source.filter.0.value']);
      const list = await withMapping({ column: 'Country', op: 'in', value: ['DE', { x: 1 }] }, { default: ['a'] });
      expect(fieldsOf(list.body)).toEqual(['parameters.mappings.0.columns.0.default', 'parameters.mappings.0.source.filter.0.value']);
      const valueMap = await withMapping({ column: 'Country', op: '=', value: 'DE' }, { valueMap: { map: { a: { b: 1 } } } });
      expect(fieldsOf(valueMap.body)).toEqual(['parameters.mappings.0.columns.0.valueMap.map']);
    });

    it('refuses blank names everywhere a name is required', async () => {
      const env = await api.request('POST', '/v1/environments', {
        body: { customerId: 'CUST-SEC', name: '   ', engine: 'postgres', host: '10.9.8.7', database: ' ' },
      });
      expect(env.status).toBe(400);
      expect(fieldsOf(env.body)).toEqual(['database', 'name']);
      const pkg = await api.request('POST', '/v1/upgrade-packages', { body: { ...loadPackage(PACKAGE), name: ' ', product: '\t' } });
      expect(fieldsOf(pkg.body)).toEqual(['name', 'product']);
      const mapping = await start(
        startBody({
          serviceType: 'data-migration',
          environments: { source: mysqlEnv, target },
          parameters: { mappings: [{ name: '  ', target: 'customer', source: { table: 'Customer' }, columns: [{ target: 'name', expr: 'Name' }] }] },
        }),
      );
      expect(fieldsOf(mapping.body)).toEqual(['parameters.mappings.0.name']);
      const contract = await api.request('POST', `/v1/deliveries/${delivery.id}/contract-signature`, { as: 'manager', body: { contractRef: ' ' } });
      expect(fieldsOf(contract.body)).toEqual(['contractRef']);
    });

    it('answers package validation problems with the same details list as every other 400', async () => {
      const pkg = loadPackage(PACKAGE);
      const r = await api.request('POST', '/v1/upgrade-packages', {
        body: { ...pkg, name: `broken-${randomUUID()}`, scripts: [pkg.scripts[0], { ...pkg.scripts[0], description: 'again' }] },
      });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ field: 'scripts.1.version', reason: expect.stringMatching(/used twice/) }]);
    });

    it('documents upgrade packages as global, and lets a confined identity read them', async () => {
      const docs = await api.request('GET', '/docs-json', { as: null });
      expect(docs.body.paths['/v1/upgrade-packages'].get.description).toMatch(/global/);
      expect((await api.request('GET', `/v1/upgrade-packages/${packageId}`, { as: 'confined' })).status).toBe(200);
    });
  });

  describe('item 6: every nested object is validated as the object it must be', () => {
    it('refuses gatePolicy as [], a text, a number, null, or with wrong types', async () => {
      for (const gatePolicy of [[], 'daily', 7, null, [{ reminderEvery: '1 day', escalateAfter: '2 days' }]]) {
        const r = await start(startBody({ gatePolicy }));
        expect([gatePolicy, r.status]).toEqual([gatePolicy, 400]);
        expect(fieldsOf(r.body)).toEqual(['gatePolicy']);
      }
      const wrongTypes = await start(startBody({ gatePolicy: { reminderEvery: 5, escalateAfter: ['1 day'] } }));
      expect(fieldsOf(wrongTypes.body)).toEqual(['gatePolicy.escalateAfter', 'gatePolicy.reminderEvery']);
      const empty = await start(startBody({ gatePolicy: {} }));
      expect(fieldsOf(empty.body)).toEqual(['gatePolicy.escalateAfter', 'gatePolicy.reminderEvery']);
    });

    it('refuses nested objects given as arrays, texts or numbers inside parameters and packages', async () => {
      const migration = (mapping: Record<string, unknown>) =>
        start(
          startBody({
            serviceType: 'data-migration',
            environments: { source: mysqlEnv, target },
            parameters: { mappings: [{ name: 'm', target: 't', source: { table: 'T' }, columns: [{ target: 'c', expr: 'C' }], ...mapping }] },
          }),
        );
      expect(fieldsOf((await migration({ source: [] })).body)).toEqual(['parameters.mappings.0.source']);
      expect(fieldsOf((await migration({ columns: ['c'] })).body)).toEqual(['parameters.mappings.0.columns', 'parameters.mappings.0.columns.0']);
      expect(fieldsOf((await migration({ columns: [{ target: 'c', lookup: 'x' }] })).body)).toEqual(['parameters.mappings.0.columns.0.lookup']);
      const pkg = await api.request('POST', '/v1/upgrade-packages', {
        body: { ...loadPackage(PACKAGE), name: `p-${randomUUID()}`, scripts: [[1]], verifications: ['v'] },
      });
      expect(pkg.status).toBe(400);
      expect(fieldsOf(pkg.body)).toEqual(['scripts', 'scripts.0.0', 'verifications', 'verifications.0']);
    });
  });

  describe('item 5 / item 4: nothing is stored or decided from a refused request', () => {
    it('stores nothing for a lone surrogate in environments.database, upgrade-packages.product or deliveries.contractRef', async () => {
      const before = await counts();
      const env = await api.request('POST', '/v1/environments', {
        rawBody: '{"customerId":"CUST-SEC","name":"s","engine":"postgres","host":"10.9.8.7","database":"erp\\ud800"}',
      });
      expect(env.status).toBe(400);
      expect(fieldsOf(env.body)).toEqual(['database']);
      const pkg = loadPackage(PACKAGE);
      const upgrade = await api.request('POST', '/v1/upgrade-packages', {
        rawBody: JSON.stringify({ ...pkg, name: 'surrogate', product: 'P' }).replace('"product":"P"', '"product":"P\\ud800"'),
      });
      expect(upgrade.status).toBe(400);
      expect(fieldsOf(upgrade.body)).toEqual(['product']);
      const started = await api.request('POST', '/v1/deliveries', {
        as: 'manager',
        headers: { 'idempotency-key': key() },
        rawBody: JSON.stringify(startBody({ contractRef: 'CT' })).replace('"contractRef":"CT"', '"contractRef":"CT\\ud800"'),
      });
      expect(started.status).toBe(400);
      expect(fieldsOf(started.body)).toEqual(['contractRef']);
      expect(await counts()).toEqual(before);
    });

    it('refuses plan-approval with a NUL comment and plan-rejection with a lone surrogate before any Update is sent', async () => {
      const before = await counts();
      const approval = await api.request('POST', `/v1/deliveries/${delivery.id}/plan-approval`, {
        as: 'manager',
        rawBody: '{"revision":1,"comment":"ok\\u0000"}',
      });
      expect(approval.status).toBe(400);
      expect(approval.body.details).toEqual([{ field: 'comment', reason: expect.stringMatching(/NUL/) }]);
      const rejection = await api.request('POST', `/v1/deliveries/${delivery.id}/plan-rejection`, {
        as: 'manager',
        rawBody: '{"revision":1,"comment":"\\ud800"}',
      });
      expect(rejection.status).toBe(400);
      expect(fieldsOf(rejection.body)).toEqual(['comment']);
      expect(await counts()).toEqual(before);
      const history = await temporal.workflow.getHandle(delivery.workflowId).fetchHistory();
      expect(history.events!.filter((e) => e.workflowExecutionUpdateAdmittedEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    });
  });

  describe('item 11: order numbers and idempotency keys are scoped by customer', () => {
    it('lets two customers use the same order number and the same Idempotency-Key without learning of each other', async () => {
      const shared = { orderNo: orderNo(), key: key() };
      const mine = await start(startBody({ orderNo: shared.orderNo }), shared.key);
      expect(mine.status).toBe(202);
      const confinedTarget = (
        await api.request('POST', '/v1/environments', {
          body: { customerId: 'CUST-CONFINED', name: `ERP ${randomBytes(3).toString('hex')}`, engine: 'postgres', host: '10.9.8.7', database: 'erp' },
        })
      ).body.id;
      const theirs = await start(
        startBody({ customerId: 'CUST-CONFINED', orderNo: shared.orderNo, environments: { target: confinedTarget } }),
        shared.key,
        'confined',
      );
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(mine.body.workflowId).toBe(`upgrade:CUST-SEC:${shared.orderNo}`);
      expect(theirs.body.workflowId).toBe(`upgrade:CUST-CONFINED:${shared.orderNo}`);
      // Within one customer the order number and the key still hold.
      const again = await start(startBody({ orderNo: shared.orderNo }), key());
      expect(again.status).toBe(409);
      expect(again.body.message).toContain(mine.body.id);
      const reused = await start(startBody(), shared.key);
      expect(reused.status).toBe(409);
    });
  });

  describe('item 5: a delivery claimed without a workflow is repaired or released', () => {
    let broken: NestExpressApplication;
    let brokenUrl: string;

    async function closedPort(): Promise<number> {
      return new Promise((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => resolve(port));
        });
      });
    }
    const startOn = async (baseUrl: string, body: unknown, idempotencyKey: string) => {
      const r = await fetch(`${baseUrl}/v1/deliveries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.manager}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    };
    const startedAt = async (id: string) => (await db.query('SELECT started_at FROM deliveries WHERE id = $1', [id]))[0];

    afterAll(() => broken?.close());

    it('keeps the claim when Temporal is down (503), and the same request completes the start later', async () => {
      const config = testConfig(api.database.url, { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, SDO_TASK_QUEUE: api.config.temporal.taskQueue });
      broken = await createApiApp(config, { temporalTimeoutMs: 300, startRepairEveryMs: 0, logDestination: { write: () => undefined } });
      await broken.listen(0, '127.0.0.1');
      brokenUrl = (await broken.getUrl()).replace('[::1]', '127.0.0.1');

      const body = startBody();
      const idempotencyKey = key();
      const down = await startOn(brokenUrl, body, idempotencyKey);
      expect([503, 504]).toContain(down.status);
      const [row] = await db.query('SELECT id, started_at FROM deliveries WHERE order_no = $1', [body.orderNo]);
      expect(row.started_at).toBeNull();
      const retried = await start(body, idempotencyKey);
      expect(retried.status).toBe(200);
      expect(retried.body.id).toBe(row.id);
      expect((await startedAt(row.id)).started_at).not.toBeNull();
      const audit = await api.request('GET', `/v1/deliveries/${row.id}/audit`);
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['delivery.requested', 'delivery.started']);
    });

    it('releases a claim whose workflow never started once it is old enough, on read and by the sweeper; the order number is free again', async () => {
      const stuck: { id: string; body: Record<string, unknown> }[] = [];
      for (let i = 0; i < 2; i++) {
        const body = startBody();
        expect([503, 504]).toContain((await startOn(brokenUrl, body, key())).status);
        stuck.push({ id: (await db.query('SELECT id FROM deliveries WHERE order_no = $1', [body.orderNo]))[0].id, body });
      }
      // Young claims are left alone: a start may still be under way.
      expect(await api.app.get(DeliveriesService).repairStuckStarts()).toEqual([]);
      await new Promise((r) => setTimeout(r, REPAIR_AFTER_MS + 200));
      expect((await api.request('GET', `/v1/deliveries/${stuck[0]!.id}`, { as: 'viewer' })).status).toBe(404);
      expect(await api.app.get(DeliveriesService).repairStuckStarts()).toEqual([stuck[1]!.id]);
      const released = await db.query(`SELECT detail FROM audit_entries WHERE action = 'delivery.released' AND detail->>'deliveryId' = ANY($1)`, [
        stuck.map((s) => s.id),
      ]);
      expect(released).toHaveLength(2);
      expect((await start(stuck[0]!.body)).status).toBe(202);
    });

    it('releases the claim at once when the start fails for good (unknown namespace)', async () => {
      const config = testConfig(api.database.url, { TEMPORAL_NAMESPACE: `no-such-namespace-${randomBytes(3).toString('hex')}` });
      const app = await createApiApp(config, { temporalTimeoutMs: 2_000, startRepairEveryMs: 0, logDestination: { write: () => undefined } });
      try {
        await app.listen(0, '127.0.0.1');
        const body = startBody();
        const r = await startOn((await app.getUrl()).replace('[::1]', '127.0.0.1'), body, key());
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(await db.query('SELECT id FROM deliveries WHERE order_no = $1', [body.orderNo])).toEqual([]);
        expect((await start(body)).status).toBe(202);
      } finally {
        await app.close();
      }
    });
  });

  describe('item 10: credentials in the query string never reach the log', () => {
    it('redacts token, access_token, api_key and password in any case from every logged URL', async () => {
      const secrets = ['tok-1f2e3d4c5b6a', 'acc-9a8b7c6d5e4f', 'key-0a1b2c3d4e5f', 'pw-77a6b5c4d3e2'];
      const from = api.logs.length;
      await api.request('GET', `/v1/deliveries?token=${secrets[0]}&Access_Token=${secrets[1]}&API_KEY=${secrets[2]}&PassWord=${secrets[3]}`, { as: 'viewer' });
      await api.request('GET', `/v1/environments?token=${secrets[0]}`, { as: null });
      await api.request('GET', `/v1/deliveries/${delivery.id}/reports?access_token=${secrets[1]}&x=1`, { as: 'viewer' });
      const logged = api.logs.slice(from).join('');
      expect(logged).toContain('[redacted]');
      expect(logged).toContain('x=1');
      for (const secret of secrets) expect(logged).not.toContain(secret);
    });
  });
});
