import { createServer } from 'node:net';
import { Client } from 'pg';
import { testStack } from '@sdo/testing';
import { ApiTestApp, startApiTestApp, testConfig, TestIdentity } from '../testing/api-test-app';
import { createApiApp } from './create-app';

/**
 * Method + path of every route Express serves, in OpenAPI's notation (`/v1/x/{id}`); the docs
 * themselves and Nest's catch-all 404 handlers (`/{*path}`) excluded.
 */
function servedRoutes(api: ApiTestApp): string[] {
  const express = api.app.getHttpAdapter().getInstance();
  const stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> = express.router.stack;
  return stack
    .filter((layer) => layer.route && !layer.route.path.startsWith('/docs') && !layer.route.path.includes('{*'))
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    )
    .sort();
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('createApiApp', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api?.close());

  it('serves an OpenAPI document that lists exactly the routes the app serves', async () => {
    const docs = await api.request('GET', '/docs-json', { as: null });
    expect(docs.status).toBe(200);
    const documented = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const served = servedRoutes(api);
    expect(served.length).toBeGreaterThanOrEqual(20);
    expect(documented).toEqual(served);
    expect(served).toEqual(expect.arrayContaining(['GET /health', 'POST /v1/deliveries', 'PUT /v1/deliveries/{id}/cutover-window']));
    expect(docs.body.components.securitySchemes.bearer).toBeDefined();
    expect((await api.request('GET', '/docs', { as: null })).status).toBe(200);
  });

  it('describes every DTO field', async () => {
    const docs = await api.request('GET', '/docs-json', { as: null });
    const undocumented: string[] = [];
    for (const [name, schema] of Object.entries(docs.body.components.schemas as Record<string, { properties?: Record<string, { description?: string }> }>)) {
      for (const [field, property] of Object.entries(schema.properties ?? {})) if (!property.description) undocumented.push(`${name}.${field}`);
    }
    expect(undocumented).toEqual([]);
  });

  it('documents paging parameters as numbers, so generated clients can send them', async () => {
    const docs = await api.request('GET', '/docs-json', { as: null });
    const parameters = docs.body.paths['/v1/deliveries'].get.parameters as { name: string; schema: { type?: string; $ref?: string } }[];
    for (const name of ['limit', 'offset']) expect(parameters.find((p) => p.name === name)?.schema).toMatchObject({ type: 'number' });
  });

  it('documents every path parameter with the constraint the API checks (UUID, whole number, pattern or catalog code)', async () => {
    const docs = await api.request('GET', '/docs-json', { as: null });
    type Parameter = { name: string; in: string; required?: boolean; schema?: { type?: string; format?: string; pattern?: string; enum?: string[] } };
    const unconstrained: string[] = [];
    let documented = 0;
    for (const [path, operations] of Object.entries(docs.body.paths as Record<string, Record<string, { parameters?: Parameter[] }>>))
      for (const [method, op] of Object.entries(operations)) {
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const params = (op.parameters ?? []).filter((p) => p.in === 'path');
        // Each placeholder documented once, required, with its constraint.
        expect([`${method} ${path}`, params.map((p) => p.name).sort()]).toEqual([`${method} ${path}`, [...inPath].sort()]);
        for (const p of params) {
          documented += 1;
          const s = p.schema ?? {};
          if (!p.required || !(s.format === 'uuid' || s.type === 'integer' || s.pattern || s.enum?.length)) unconstrained.push(`${method} ${path} ${p.name}`);
        }
      }
    expect(unconstrained).toEqual([]);
    expect(documented).toBeGreaterThanOrEqual(45);
    expect(docs.body.paths['/v1/catalog/services/{code}'].get.parameters[0].schema.enum).toEqual(expect.arrayContaining(['database-conversion', 'training']));
    // What the document promises is what the API enforces.
    for (const [path, field] of [
      ['/v1/deliveries/not-a-uuid', 'id'],
      ['/v1/deliveries/00000000-0000-4000-8000-000000000000/cases/1.5', 'caseNo'],
      ['/v1/deliveries/00000000-0000-4000-8000-000000000000/reports/x', 'reportId'],
    ] as const) {
      const r = await api.request('GET', path);
      expect([path, r.status, r.body.details]).toEqual([path, 400, [expect.objectContaining({ field })]]);
    }
  });

  it('migrated the app database before serving (idempotently under the advisory lock)', async () => {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT name FROM sdo_migrations');
      expect(rows.map((r) => r.name)).toContain('InitialSchema1764230400000');
    } finally {
      await client.end();
    }
  });

  it('reports health without authentication', async () => {
    const health = await api.request('GET', '/health', { as: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('lets no cache keep an answer and no browser guess its type: success, refusal and error alike', async () => {
    const answers = [
      await api.request('GET', '/v1/environments'),
      await api.request('GET', '/v1/environments', { as: null }),
      await api.request('GET', '/v1/deliveries/not-a-uuid'),
      await api.request('GET', '/health', { as: null }),
      await api.request('POST', '/codec/decode', { body: { payloads: [] } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 400, 200, 200]);
    for (const answer of answers) {
      // /health's own header (Terminus) says more, with no-store in it.
      expect(answer.headers.get('cache-control')).toMatch(/\bno-store\b/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('etag')).toBeNull();
    }
  });

  describe('authentication and roles', () => {
    const read = ['GET', '/v1/environments'] as const;
    const steer = ['POST', '/v1/deliveries'] as const;
    const administer = ['POST', '/v1/environments'] as const;

    it('answers 401 without a token or with an unknown one, naming the scheme', async () => {
      const missing = await api.request(...read, { as: null });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      const wrong = await api.request(...read, { as: null, headers: { authorization: 'Bearer not-a-real-token-000000000000' } });
      expect(wrong.status).toBe(401);
      const basic = await api.request(...read, { as: null, headers: { authorization: 'Basic YWRhOmFkbWlu' } });
      expect(basic.status).toBe(401);
    });

    it.each<[TestIdentity, number, number, number]>([
      // identity, read, steer (start a delivery: 400 = allowed, the empty body is invalid), administer
      ['viewer', 200, 403, 403],
      ['manager', 200, 400, 403],
      ['admin', 200, 400, 400],
    ])('%s: read %i, steer %i, administer %i', async (as, readStatus, steerStatus, adminStatus) => {
      expect((await api.request(...read, { as })).status).toBe(readStatus);
      const steered = await api.request(...steer, { as, body: {}, headers: { 'idempotency-key': 'k-roles' } });
      expect(steered.status).toBe(steerStatus);
      if (steerStatus === 403) expect(steered.body.message).toMatch(/needs the manager role/);
      expect((await api.request(...administer, { as, body: {} })).status).toBe(adminStatus);
    });
  });

  it('refuses bodies over the size cap with 413 and malformed JSON with 400', async () => {
    const big = await api.request('POST', '/v1/upgrade-packages', { rawBody: JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    const malformed = await api.request('POST', '/v1/environments', { rawBody: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('answers an unexpected failure with a generic 500: no stack, no SQL, and the request body is not logged', async () => {
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    await client.query('ALTER TABLE audit_entries RENAME TO audit_entries_gone');
    try {
      const password = 'pw-in-a-failing-request-4711';
      const failed = await api.request('POST', '/v1/environments', {
        body: { customerId: 'CUST-500', name: 'prod', engine: 'postgres', host: '10.1.2.3', database: 'erp', username: 'erp', password },
      });
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error.' });
      expect(failed.text).not.toMatch(/audit_entries|at .*\.ts|stack/);
      const logged = api.logs.join('');
      expect(logged).toContain('audit_entries'); // the real error is logged server-side …
      expect(logged).not.toContain(password); // … without the request body
    } finally {
      await client.query('ALTER TABLE audit_entries_gone RENAME TO audit_entries');
      await client.end();
    }
  });

  it('never logs tokens', () => {
    const logged = api.logs.join('');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toMatch(/admin-token|manager-token|viewer-token/);
  });
});

describe('createApiApp configuration', () => {
  it('refuses to build an API that nobody could call', async () => {
    const config = { ...testConfig('postgres://unused/db'), apiTokens: [] };
    await expect(createApiApp(config)).rejects.toThrow(/SDO_API_TOKENS is empty/);
  });
});

describe('rate limiting', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp({ rateLimit: { limit: 3, windowMs: 60_000 } });
  });
  afterAll(() => api?.close());

  it('answers 429 past the limit, per identity, and never limits /health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.request('GET', '/v1/environments', { as: 'viewer' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await api.request('GET', '/v1/environments', { as: 'viewer' });
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect((await api.request('GET', '/v1/environments', { as: 'manager' })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await api.request('GET', '/health', { as: null })).status).toBe(200);
  });
});

describe('health when a dependency is down', () => {
  it('answers 503 naming Temporal when it cannot be reached', async () => {
    const api = await startApiTestApp({ env: { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}` } });
    try {
      const health = await api.request('GET', '/health', { as: null });
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({
        statusCode: 503,
        error: 'Service Unavailable',
        details: { status: 'error', error: { temporal: { status: 'down' } }, info: { postgres: { status: 'up' } } },
      });
    } finally {
      await api.close();
    }
  });

  it('answers 503 naming PostgreSQL when the app database is gone', async () => {
    const api = await startApiTestApp();
    const { postgresUrl } = testStack();
    try {
      const admin = new Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE "${api.database.name}" WITH (FORCE)`);
      await admin.end();
      const health = await api.request('GET', '/health', { as: null });
      expect(health.status).toBe(503);
      expect(health.body.details).toMatchObject({ error: { postgres: { status: 'down' } }, info: { temporal: { status: 'up' } } });
      expect(health.text).not.toContain(api.database.name);
    } finally {
      await api.close();
    }
  });
});
