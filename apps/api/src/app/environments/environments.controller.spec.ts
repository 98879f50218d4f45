import { ApiTestApp, startApiTestApp } from '../../testing/api-test-app';

const PASSWORD = 'S3cret-Env-Password-0042';

describe('environments', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp();
  });
  afterAll(() => api?.close());

  const registration = (overrides: Record<string, unknown> = {}) => ({
    customerId: 'CUST-ENV',
    name: 'ERP production',
    engine: 'postgres',
    host: '10.20.30.40',
    port: 5432,
    database: 'erp',
    username: 'erp_admin',
    password: PASSWORD,
    ssl: true,
    ...overrides,
  });

  it('registers an environment and never returns or logs its password', async () => {
    const created = await api.request('POST', '/v1/environments', { body: registration() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      customerId: 'CUST-ENV',
      name: 'ERP production',
      engine: 'postgres',
      host: '10.20.30.40',
      port: 5432,
      hasPassword: true,
      ssl: true,
    });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.text).not.toContain(PASSWORD);
    expect(created.body).not.toHaveProperty('password');
    expect(created.body).not.toHaveProperty('secretCiphertext');

    const read = await api.request('GET', `/v1/environments/${created.body.id}`, { as: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const listed = await api.request('GET', '/v1/environments?customerId=CUST-ENV', { as: 'viewer' });
    expect(listed.text).not.toContain(PASSWORD);

    // Nor in the logs, even when registration fails.
    await api.request('POST', '/v1/environments', { body: registration() }); // 409
    await api.request('POST', '/v1/environments', { body: registration({ port: 'x' }) }); // 400
    expect(api.logs.join('')).not.toContain(PASSWORD);
  });

  it('answers 409 for a duplicate name of the same customer, and allows the name for another customer', async () => {
    await api.request('POST', '/v1/environments', { body: registration({ name: 'ERP test' }) });
    const duplicate = await api.request('POST', '/v1/environments', { body: registration({ name: 'ERP test' }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'This customer already has an environment with that name.' });
    const other = await api.request('POST', '/v1/environments', { body: registration({ name: 'ERP test', customerId: 'CUST-OTHER' }) });
    expect(other.status).toBe(201);
  });

  it('answers 400 naming each field and its reason', async () => {
    const bad = await api.request('POST', '/v1/environments', { body: registration({ engine: 'oracle', port: 70000, customerId: 'bad id!', extra: true }) });
    expect(bad.status).toBe(400);
    const fields = (bad.body.details as { field: string; reason: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['customerId', 'engine', 'extra', 'port']);
    expect(bad.body.details).toEqual(
      expect.arrayContaining([
        { field: 'extra', reason: 'is not a known field' },
        { field: 'port', reason: 'must not be greater than 65535' },
      ]),
    );
    expect(bad.body.message).toContain('engine must be one of the following values');
    const noHost = await api.request('POST', '/v1/environments', { body: registration({ host: undefined, name: 'no host' }) });
    expect(noHost.status).toBe(400);
    expect(noHost.body.details[0].field).toBe('host');
  });

  it("refuses hosts that would reach cloud metadata or SDO's own servers", async () => {
    const metadata = await api.request('POST', '/v1/environments', { body: registration({ name: 'meta', host: '169.254.169.254' }) });
    expect(metadata.status).toBe(400);
    expect(metadata.body.details).toEqual([{ field: 'host', reason: expect.stringMatching(/link-local/) }]);
    const [host, port] = api.config.temporal.address.split(':');
    const temporal = await api.request('POST', '/v1/environments', { body: registration({ name: 'temporal', host, port: Number(port) }) });
    expect(temporal.status).toBe(400);
    expect(temporal.body.message).toMatch(/Temporal frontend/);
    const appDb = new URL(api.database.url);
    const own = await api.request('POST', '/v1/environments', {
      body: registration({ name: 'own', host: appDb.hostname, port: Number(appDb.port), database: api.database.name }),
    });
    expect(own.status).toBe(400);
    expect(own.body.message).toMatch(/app database/);
  });

  it('pages lists with a capped limit and filters by customer', async () => {
    for (let i = 0; i < 3; i++) await api.request('POST', '/v1/environments', { body: registration({ customerId: 'CUST-PAGE', name: `env ${i}` }) });
    const page = await api.request('GET', '/v1/environments?customerId=CUST-PAGE&limit=2&offset=1', { as: 'viewer' });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items.map((e: { name: string }) => e.name)).toEqual(['env 1', 'env 0']);
    const tooMany = await api.request('GET', '/v1/environments?limit=101', { as: 'viewer' });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details).toEqual([{ field: 'limit', reason: 'must not be greater than 100' }]);
  });

  it('answers 404 for an unknown environment and 400 for an ID that is not a UUID', async () => {
    expect((await api.request('GET', '/v1/environments/6f1c1c52-0d4f-4b3c-9a55-5d4b7c1e2f10')).status).toBe(404);
    const bad = await api.request('GET', '/v1/environments/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
  });

  it('writes registrations to the audit trail without the password', async () => {
    const { DataSource } = await import('typeorm');
    const rows = await api.app.get(DataSource).query(`SELECT actor, action, detail FROM audit_entries WHERE action = 'environment.registered'`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ actor: 'ada', detail: { customerId: 'CUST-ENV', name: 'ERP production', host: '10.20.30.40' } });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });
});
