import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { DELIVERY_TASK_QUEUE, DeliverySearchAttributes } from '@sdo/contracts';
import { ReportStore } from '@sdo/persistence';
import { loadPackage } from '@sdo/upgrade-kit';
import { ApiTestApp, openTestPayload, startApiTestApp, testTemporalClient } from '../../testing/api-test-app';

const PASSWORD = 'Target-Password-9931';
const PACKAGE = join(__dirname, '../../../../../test/fixtures/upgrade/packages/erp-2.1');

describe('deliveries (no worker: the HTTP → Temporal contract and its error mapping)', () => {
  let api: ApiTestApp;
  let temporal: Client;
  let connection: Connection;
  let target: string;
  let mysqlTarget: string;
  let foreignTarget: string;
  let packageId: string;

  const orderNo = () => `SO-${randomBytes(4).toString('hex')}`;
  const key = () => `key-${randomBytes(6).toString('hex')}`;
  const startBody = (overrides: Record<string, unknown> = {}) => ({
    serviceType: 'upgrade',
    customerId: 'CUST-D',
    orderNo: orderNo(),
    environments: { target },
    parameters: { packageId },
    cutoverWindow: { startsAt: '2026-12-05T22:00:00+08:00', durationMinutes: 240 },
    ...overrides,
  });
  const start = (body: unknown, idempotencyKey: string | null = key(), as: 'manager' | 'viewer' | 'confined' | 'admin' = 'manager') =>
    api.request('POST', '/v1/deliveries', { as, body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
  const handleOf = (workflowId: string): WorkflowHandle => temporal.workflow.getHandle(workflowId);

  beforeAll(async () => {
    api = await startApiTestApp({ temporalTimeoutMs: 2_000 });
    connection = await Connection.connect({ address: api.config.temporal.address });
    temporal = testTemporalClient(connection, api.config.temporal.namespace);
    const env = async (customerId: string, name: string, engine = 'postgres') => {
      const r = await api.request('POST', '/v1/environments', {
        body: { customerId, name, engine, host: '10.9.8.7', database: 'erp', username: 'erp', password: PASSWORD },
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    target = await env('CUST-D', 'ERP production');
    mysqlTarget = await env('CUST-D', 'ERP on MySQL', 'mysql');
    foreignTarget = await env('CUST-OTHER', 'ERP production');
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(PACKAGE) });
    expect(pkg.status).toBe(201);
    packageId = pkg.body.id;
  });
  afterAll(async () => {
    await connection?.close();
    await api?.close();
  });

  describe('validation', () => {
    const fieldsOf = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field).sort();

    it('requires the Idempotency-Key header', async () => {
      const r = await start(startBody(), null);
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ field: 'Idempotency-Key', reason: 'header is required' }]);
    });

    it('refuses unknown fields, also inside parameters', async () => {
      const r = await start({ ...startBody(), priority: 'high' });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ field: 'priority', reason: 'is not a known field' }]);
      const p = await start(startBody({ parameters: { packageId, dryRun: true } }));
      expect(p.status).toBe(400);
      expect(p.body.details).toEqual([{ field: 'parameters.dryRun', reason: 'is not a known field' }]);
    });

    it('refuses an unknown service type, and names nested parameter problems by path', async () => {
      const unknown = await start(startBody({ serviceType: 'teleportation' }));
      expect(unknown.status).toBe(400);
      expect(fieldsOf(unknown.body)).toEqual(['serviceType']);
      const mapping = {
        name: 'customers',
        target: 'customer_account',
        source: { table: 'Customer', filter: [{ column: 'Country', op: 'like', value: 'A%' }] },
        columns: [],
      };
      const badMapping = await start(
        startBody({ serviceType: 'data-migration', environments: { source: mysqlTarget, target }, parameters: { mappings: [mapping] } }),
      );
      expect(badMapping.status).toBe(400);
      expect(fieldsOf(badMapping.body)).toEqual(['parameters.mappings.0.columns', 'parameters.mappings.0.source.filter.0.op']);
    });

    it('checks a migration query source at the door: one read-only SELECT, with a key, not next to a table', async () => {
      const withSource = (source: Record<string, unknown>) =>
        start(
          startBody({
            serviceType: 'data-migration',
            environments: { source: mysqlTarget, target },
            parameters: { mappings: [{ name: 'tracks', target: 'catalog_track', source, columns: [{ target: 'title', expr: 'Name' }] }] },
          }),
        );
      const injected = await withSource({ query: 'SELECT TrackId FROM Track) AS q; DELETE FROM Track; SELECT * FROM (SELECT 1', key: ['TrackId'] });
      expect(injected.status).toBe(400);
      expect(injected.body.details).toEqual([{ field: 'parameters.mappings.0.source.query', reason: 'closes a parenthesis it did not open' }]);
      const write = await withSource({ query: 'DELETE FROM Track', key: ['TrackId'] });
      expect(write.body.details).toEqual([{ field: 'parameters.mappings.0.source.query', reason: 'must start with SELECT or WITH' }]);
      const keyless = await withSource({ query: 'SELECT TrackId, Name FROM Track' });
      expect(fieldsOf(keyless.body)).toEqual(['parameters.mappings.0.source.key']);
      const both = await withSource({ table: 'Track', query: 'SELECT TrackId FROM Track', key: ['TrackId'] });
      expect(both.body.details).toEqual([{ field: 'parameters.mappings.0.source.query', reason: 'give either table or query, not both' }]);
      const keyOnTable = await withSource({ table: 'Track', key: ['TrackId'] });
      expect(keyOnTable.body.details).toEqual([{ field: 'parameters.mappings.0.source.key', reason: 'is only used with a query source' }]);
      const neither = await withSource({});
      expect(fieldsOf(neither.body)).toEqual(['parameters.mappings.0.source.table']);
    });

    it('refuses bad environment references: unknown, of another customer, wrong role, wrong engine, not a UUID', async () => {
      const unknown = await start(startBody({ environments: { target: '6f1c1c52-0d4f-4b3c-9a55-5d4b7c1e2f10' } }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.details).toEqual([
        { field: 'environments.target', reason: 'environment 6f1c1c52-0d4f-4b3c-9a55-5d4b7c1e2f10 is not registered for customer CUST-D' },
      ]);
      const foreign = await start(startBody({ environments: { target: foreignTarget } }));
      expect(foreign.status).toBe(400);
      expect(fieldsOf(foreign.body)).toEqual(['environments.target']);
      const wrongRole = await start(startBody({ environments: { source: target } }));
      expect(wrongRole.status).toBe(400);
      expect(fieldsOf(wrongRole.body)).toEqual(['environments.source', 'environments.target']);
      const wrongEngine = await start(startBody({ environments: { target: mysqlTarget } }));
      expect(wrongEngine.body.details).toEqual([{ field: 'environments.target', reason: 'is a mysql database; upgrade needs postgres as target' }]);
      const notUuid = await start(startBody({ environments: { target: 'prod' } }));
      expect(notUuid.status).toBe(400);
      expect(fieldsOf(notUuid.body)).toEqual(['environments']);
    });

    it('validates parameters per service type, including that the package exists', async () => {
      const malformed = await start(startBody({ parameters: { packageId: 'erp-2.1' } }));
      expect(malformed.body.details).toEqual([{ field: 'parameters.packageId', reason: 'must be a UUID' }]);
      const missing = await start(startBody({ parameters: {} }));
      expect(fieldsOf(missing.body)).toEqual(['parameters.packageId']);
      const unknown = await start(startBody({ parameters: { packageId: '6f1c1c52-0d4f-4b3c-9a55-5d4b7c1e2f10' } }));
      expect(unknown.body.details[0].reason).toMatch(/is not registered/);
    });

    it('validates the cutover window, gate policy and order number', async () => {
      const r = await start(
        startBody({
          orderNo: 'SO 1/2',
          cutoverWindow: { startsAt: '2026-12-05 22:00', durationMinutes: 0 },
          gatePolicy: { reminderEvery: 'often', escalateAfter: '3 days' },
        }),
      );
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['cutoverWindow.durationMinutes', 'cutoverWindow.startsAt', 'gatePolicy.reminderEvery', 'orderNo']);
    });

    it('refuses a customer time zone that is not an IANA zone, naming the field and storing nothing', async () => {
      const customerTimeZones = ['Mars/Base', '', 'Europe/Berlin\u0000', 'A'.repeat(300), '+08:00', 8];
      const answers = await Promise.all(customerTimeZones.map((customerTimeZone) => start(startBody({ orderNo: 'SO-TZ-REFUSED', customerTimeZone }))));
      for (const [i, r] of answers.entries()) {
        expect([customerTimeZones[i], r.status, r.body.details]).toEqual([
          customerTimeZones[i],
          400,
          [{ field: 'customerTimeZone', reason: expect.any(String) }],
        ]);
      }
      expect(answers[0]!.body.details[0].reason).toMatch(/not a time zone known to the IANA database/);
      expect(await api.app.get(DataSource).query(`SELECT id FROM deliveries WHERE order_no = 'SO-TZ-REFUSED'`)).toEqual([]);
    });
  });

  describe('idempotent start', () => {
    it('starts one delivery and one workflow for the same key and request, with search attributes and a memo', async () => {
      const body = startBody({
        contractRef: 'CT-2026-118',
        gatePolicy: { reminderEvery: '4 hours', escalateAfter: '2 days' },
        customerTimeZone: 'Europe/Berlin',
      });
      const idempotencyKey = key();
      const first = await start(body, idempotencyKey);
      expect(first.status).toBe(202);
      expect(first.headers.get('location')).toBe(`/v1/deliveries/${first.body.id}`);
      expect(first.body).toMatchObject({
        workflowId: `upgrade:CUST-D:${body.orderNo}`,
        serviceType: 'upgrade',
        serviceName: '升级服务 (Upgrade)',
        customerId: 'CUST-D',
        phase: 'assessment',
        createdBy: 'max',
        contractRef: 'CT-2026-118',
        customerTimeZone: 'Europe/Berlin',
        cutoverWindow: { startsAt: '2026-12-05T14:00:00.000Z', durationMinutes: 240 },
      });
      const second = await start(body, idempotencyKey);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers.get('location')).toBe(first.headers.get('location'));

      const rows = await api.app.get(DataSource).query('SELECT id FROM deliveries WHERE order_no = $1', [body.orderNo]);
      expect(rows).toHaveLength(1);
      const runs: string[] = [];
      for await (const run of temporal.workflow.list({ query: `WorkflowId = 'upgrade:CUST-D:${body.orderNo}'` })) runs.push(run.runId);
      expect(runs).toHaveLength(1);

      const description = await handleOf(first.body.workflowId).describe();
      expect(description.type).toBe('upgradeDelivery');
      expect(description.taskQueue).toBe(DELIVERY_TASK_QUEUE);
      expect(description.typedSearchAttributes.get(DeliverySearchAttributes.serviceType)).toBe('upgrade');
      expect(description.typedSearchAttributes.get(DeliverySearchAttributes.customerId)).toBe('CUST-D');
      expect(description.typedSearchAttributes.get(DeliverySearchAttributes.phase)).toBe('assessment');
      expect(await description.memo).toEqual({
        deliveryId: first.body.id,
        customerId: 'CUST-D',
        orderNo: body.orderNo,
        service: '升级服务 (Upgrade)',
        environments: { target: 'ERP production (postgres)' },
        requestedBy: 'max',
      });

      // The start input carries IDs only: no host, no password.
      const history = await handleOf(first.body.workflowId).fetchHistory();
      const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
      const input = await openTestPayload(started.input!.payloads![0]!);
      expect(input).toEqual({
        deliveryId: first.body.id,
        serviceType: 'upgrade',
        customerId: 'CUST-D',
        orderNo: body.orderNo,
        environments: { target },
        parameters: { packageId },
        contractRef: 'CT-2026-118',
        cutoverWindow: { startsAt: '2026-12-05T14:00:00.000Z', durationMinutes: 240 },
        gatePolicy: { reminderEvery: '4 hours', escalateAfter: '2 days' },
      });
      expect(JSON.stringify(history)).not.toMatch(new RegExp(`${PASSWORD}|10\\.9\\.8\\.7`));

      const audit = await api.request('GET', `/v1/deliveries/${first.body.id}/audit`, { as: 'viewer' });
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['delivery.requested', 'delivery.started']);
    });

    it('uses the configured gate defaults when the request names none', async () => {
      const first = await start(startBody());
      const history = await handleOf(first.body.workflowId).fetchHistory();
      const input = await openTestPayload<{ gatePolicy: unknown }>(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
      expect(input.gatePolicy).toEqual(api.config.gates);
    });

    it('answers 409 for the same key with a different request, and for an order that already has a delivery', async () => {
      const body = startBody();
      const idempotencyKey = key();
      const first = await start(body, idempotencyKey);
      expect(first.status).toBe(202);
      const changed = await start({ ...body, cutoverWindow: { startsAt: '2026-12-06T22:00:00+08:00', durationMinutes: 240 } }, idempotencyKey);
      expect(changed.status).toBe(409);
      expect(changed.body.message).toMatch(/already used for a different request/);
      const otherKey = await start(body, key());
      expect(otherKey.status).toBe(409);
      expect(otherKey.body.message).toMatch(new RegExp(`Order ${body.orderNo} already has a upgrade delivery`));
    });

    it('heals a crash between claim and start: the same request starts the missing workflow', async () => {
      const body = startBody();
      const idempotencyKey = key();
      const first = await start(body, idempotencyKey);
      await handleOf(first.body.workflowId).terminate('simulate: the workflow never started');
      // A terminated run is closed: USE_EXISTING does not apply and REJECT_DUPLICATE keeps it from rerunning.
      const retried = await start(body, idempotencyKey);
      expect(retried.status).toBe(200);
      const runs: string[] = [];
      for await (const run of temporal.workflow.list({ query: `WorkflowId = '${first.body.workflowId}'` })) runs.push(run.runId);
      expect(runs).toHaveLength(1);
    });
  });

  describe('reading', () => {
    it('lists from the app database with filters and paging', async () => {
      const created = await start(startBody({ customerId: 'CUST-LIST', environments: { target: await envFor('CUST-LIST') } }));
      expect(created.status).toBe(202);
      const list = await api.request('GET', '/v1/deliveries?customerId=CUST-LIST&serviceType=upgrade&phase=assessment', { as: 'viewer' });
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 1, limit: 20, offset: 0 });
      expect(list.body.items[0].id).toBe(created.body.id);
      expect((await api.request('GET', '/v1/deliveries?customerId=CUST-LIST&phase=cutover', { as: 'viewer' })).body.total).toBe(0);
      expect((await api.request('GET', '/v1/deliveries?awaiting=planApproval&customerId=CUST-LIST', { as: 'viewer' })).body.total).toBe(0);
      const bad = await api.request('GET', '/v1/deliveries?phase=done&limit=500', { as: 'viewer' });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'phase']);
    });

    it('reads one delivery with its live status, or says why the workflow cannot answer', async () => {
      const created = await start(startBody());
      const read = await api.request('GET', `/v1/deliveries/${created.body.id}`, { as: 'viewer' });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: created.body.id, live: null, liveUnavailable: expect.stringMatching(/did not answer in time|worker/) });
      expect((await api.request('GET', '/v1/deliveries/6f1c1c52-0d4f-4b3c-9a55-5d4b7c1e2f10')).status).toBe(404);
    });

    it('serves reports as JSON and as customer-readable Markdown', async () => {
      const created = await start(startBody());
      const reports = new ReportStore(api.app.get(DataSource));
      const ref = await reports.save({
        deliveryId: created.body.id,
        kind: 'assessment',
        summary: 'Target at 1.0.0; 4 scripts to apply; no collisions',
        body: { currentVersion: '1.0.0', targetVersion: '2.1.1', pendingScripts: [{ version: '2.0.0', description: 'price lists' }] },
      });
      const list = await api.request('GET', `/v1/deliveries/${created.body.id}/reports`, { as: 'viewer' });
      expect(list.body).toEqual([expect.objectContaining({ id: ref.reportId, kind: 'assessment', summary: ref.summary })]);
      expect(list.body[0]).not.toHaveProperty('body');
      const json = await api.request('GET', `/v1/deliveries/${created.body.id}/reports/${ref.reportId}`, { as: 'viewer' });
      expect(json.body).toMatchObject({ id: ref.reportId, body: { currentVersion: '1.0.0' } });
      const md = await api.request('GET', `/v1/deliveries/${created.body.id}/reports/${ref.reportId}?format=markdown`, { as: 'viewer' });
      expect(md.status).toBe(200);
      expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
      expect(md.text).toContain('# 评估报告 Assessment report');
      expect(md.text).toContain(`order ${created.body.orderNo}`);
      expect(md.text).toContain('| 2.0.0 | price lists |');
      const other = await start(startBody());
      expect((await api.request('GET', `/v1/deliveries/${other.body.id}/reports/${ref.reportId}`, { as: 'viewer' })).status).toBe(404);
      expect((await api.request('GET', `/v1/deliveries/${created.body.id}/reports/${ref.reportId}?format=pdf`, { as: 'viewer' })).status).toBe(400);
    });
  });

  describe('gates', () => {
    it('answers 409 when the workflow is no longer running, and audits nothing as decided', async () => {
      const created = await start(startBody());
      await handleOf(created.body.workflowId).terminate('test: closed delivery');
      const approval = await api.request('POST', `/v1/deliveries/${created.body.id}/plan-approval`, { body: { revision: 1 } });
      expect(approval.status).toBe(409);
      expect(approval.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/no longer running/) });
      const moved = await api.request('PUT', `/v1/deliveries/${created.body.id}/cutover-window`, { body: { startsAt: '2026-12-12T22:00:00+08:00' } });
      expect(moved.status).toBe(409);
      const cancelled = await api.request('POST', `/v1/deliveries/${created.body.id}/cancellation`, { body: { reason: 'customer postponed' } });
      expect(cancelled.status).toBe(409);
      const audit = await api.request('GET', `/v1/deliveries/${created.body.id}/audit`);
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['delivery.requested', 'delivery.started']);
    });

    it('answers 202 with the pending decision when the workflow does not take the update in time (no worker), and shows it on the delivery', async () => {
      const created = await start(startBody());
      const signed = await api.request('POST', `/v1/deliveries/${created.body.id}/contract-signature`, { body: { contractRef: 'CT-1' } });
      expect(signed.status).toBe(202);
      expect(signed.body).toMatchObject({
        message: expect.stringMatching(/pending/),
        decision: {
          updateId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          gate: 'contractSignature',
          action: 'contract.signed',
          arg: { contractRef: 'CT-1', signedBy: 'ada' },
          requestedBy: 'ada',
        },
      });
      const read = await api.request('GET', `/v1/deliveries/${created.body.id}`, { as: 'viewer' });
      expect(read.body.pendingDecisions).toEqual([expect.objectContaining({ updateId: signed.body.decision.updateId, gate: 'contractSignature' })]);
      // Not decided yet, so not audited yet.
      const audit = await api.request('GET', `/v1/deliveries/${created.body.id}/audit`);
      expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['delivery.requested', 'delivery.started']);
    });

    it('validates gate bodies and roles', async () => {
      const created = await start(startBody());
      const noComment = await api.request('POST', `/v1/deliveries/${created.body.id}/plan-rejection`, { body: { revision: 1 } });
      expect(noComment.status).toBe(400);
      expect(noComment.body.details).toEqual([
        { field: 'comment', reason: 'must be shorter than or equal to 2000 characters; must not be empty or only spaces; must be a string' },
      ]);
      const badReopen = await api.request('POST', `/v1/deliveries/${created.body.id}/acceptance-rejection`, { body: { reason: 'x', reopen: 'assessment' } });
      expect(badReopen.body.details.map((d: { field: string }) => d.field)).toEqual(['reopen']);
      const decidedBy = await api.request('POST', `/v1/deliveries/${created.body.id}/plan-approval`, { body: { revision: 1, decidedBy: 'someone else' } });
      expect(decidedBy.body.details).toEqual([{ field: 'decidedBy', reason: 'is not a known field' }]);
      const confirm = await api.request('POST', `/v1/deliveries/${created.body.id}/plan-approval`, { body: { revision: 1, confirmDependents: 'yes' } });
      expect(confirm.status).toBe(400);
      expect(confirm.body.details).toEqual([{ field: 'confirmDependents', reason: 'must be a boolean value' }]);
      expect((await api.request('POST', `/v1/deliveries/${created.body.id}/plan-approval`, { as: 'viewer', body: { revision: 1 } })).status).toBe(403);
      expect((await api.request('POST', `/v1/deliveries/${created.body.id}/cancellation`, { as: 'viewer', body: { reason: 'x' } })).status).toBe(403);
    });

    it('cancels a running delivery: records the reason, audits it, and requests cancellation of the workflow', async () => {
      const created = await start(startBody());
      const cancelled = await api.request('POST', `/v1/deliveries/${created.body.id}/cancellation`, {
        as: 'manager',
        body: { reason: 'customer postponed the upgrade' },
      });
      expect(cancelled.status).toBe(202);
      expect(cancelled.body).toMatchObject({ deliveryId: created.body.id, reason: 'customer postponed the upgrade' });
      const read = await api.request('GET', `/v1/deliveries/${created.body.id}`);
      expect(read.body.cancelReason).toBe('customer postponed the upgrade');
      const audit = await api.request('GET', `/v1/deliveries/${created.body.id}/audit`);
      expect(audit.body.at(-1)).toMatchObject({
        actor: 'max',
        action: 'delivery.cancellation-requested',
        detail: { reason: 'customer postponed the upgrade' },
      });
      const history = await handleOf(created.body.workflowId).fetchHistory();
      expect(history.events!.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    });
  });

  describe('customer confinement', () => {
    it("keeps a confined identity to its own customer's deliveries", async () => {
      const mine = await start(startBody({ customerId: 'CUST-CONFINED', environments: { target: await envFor('CUST-CONFINED') } }), key(), 'confined');
      expect(mine.status).toBe(202);
      const theirs = await start(startBody());
      expect((await start(startBody(), key(), 'confined')).status).toBe(403);
      expect((await api.request('GET', `/v1/deliveries/${theirs.body.id}`, { as: 'confined' })).status).toBe(404);
      expect((await api.request('POST', `/v1/deliveries/${theirs.body.id}/cancellation`, { as: 'confined', body: { reason: 'x' } })).status).toBe(404);
      const list = await api.request('GET', '/v1/deliveries', { as: 'confined' });
      expect(list.body.items.map((d: { customerId: string }) => d.customerId)).toEqual(['CUST-CONFINED']);
      expect((await api.request('GET', '/v1/deliveries?customerId=CUST-D', { as: 'confined' })).body.total).toBe(0);
    });
  });

  async function envFor(customerId: string): Promise<string> {
    const r = await api.request('POST', '/v1/environments', {
      body: { customerId, name: `ERP ${randomBytes(3).toString('hex')}`, engine: 'postgres', host: '10.9.8.7', database: 'erp' },
    });
    expect(r.status).toBe(201);
    return r.body.id;
  }
});
