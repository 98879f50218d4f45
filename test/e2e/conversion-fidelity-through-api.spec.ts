import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { createMysqlDatabase, mysqlExec } from '@sdo/data-engine/testing';
import { withPg } from '../support/fixtures';
import { confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(150_000);

const FIXTURE = join(__dirname, '..', 'fixtures', 'conversion', 'fidelity-mariadb.sql');

/** Issue #9: a MariaDB schema with views, triggers, routines, spatial and zero-date columns converts completely, or says what it did not. */
describe('a MariaDB schema with every construct, converted through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let source: { name: string; url: string; drop(): Promise<void> };
  let target: ScratchDatabase;

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    source = await createMysqlDatabase('e2e_fidelity_src');
    await mysqlExec(source.url, readFileSync(FIXTURE, 'utf8'));
    target = await createScratchDatabase('e2e_fidelity_tgt');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await source?.drop();
    await target?.drop();
  });

  const mysqlRows = async (sql: string) => {
    const c = await createConnection({ uri: source.url, dateStrings: true });
    try {
      const [rows] = await c.query({ sql, rowsAsArray: true });
      return (rows as unknown[][]).map((r) => r.map((v) => (v === null ? null : String(v))));
    } finally {
      await c.end();
    }
  };
  const pgRows = (sql: string) =>
    withPg(target.url, async (c) => (await c.query({ text: sql, rowMode: 'array' })).rows.map((r: unknown[]) => r.map((v) => (v === null ? null : String(v)))));
  const report = async (id: string, kind: string) => {
    const d = await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' });
    const ref = d.body.live.reports.find((r: any) => r.kind === kind);
    return (await api.request('GET', `/v1/deliveries/${id}/reports/${ref.reportId}`, { as: 'viewer' })).body;
  };
  const actionItems = (r: any) => (r.body.actionItems as { kind: string; object: string; sourceText?: string }[]).map((a) => `${a.kind} ${a.object}`).sort();

  it('goes from start to accepted: views, ON UPDATE, NOT NULL, FULLTEXT and POINT work in PostgreSQL; routines and the trigger are action items', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-F', 'shop-mariadb', { mysql: source.url });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-F', 'shop-postgres', { postgres: target.url });
    const id = await startDeliveryViaApi(api, {
      serviceType: 'database-conversion',
      customerId: 'CUST-F',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      parameters: { targetSchema: 'shop' },
      contractRef: 'CT-2026-F',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
    });

    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval', 90_000);
    const assessment = await report(id, 'assessment');
    const expected = ['function order_total', 'procedure close_old_orders', 'trigger trg_orders_audit', 'view hashed_emails'];
    expect(actionItems(assessment)).toEqual(expected);
    expect(assessment.body.actionItems.find((a: any) => a.object === 'hashed_emails')).toMatchObject({
      detail: expect.stringMatching(/SHA1? has no translation/),
      sourceText: expect.stringMatching(/sha1?\(/i),
    });
    expect(assessment.body.actionItems.find((a: any) => a.object === 'close_old_orders').sourceText).toMatch(/DELETE FROM Orders/);
    expect(assessment.summary).not.toMatch(/Incompatibilities: none/);
    expect(assessment.body.incompatibilities).toEqual([
      expect.objectContaining({ kind: 'zero-dates', object: 'Orders.shippedAt', detail: expect.stringMatching(/^1 row/) }),
    ]);
    const objects = (assessment.body.objects as { kind: string; object: string; outcome: string }[]).map((o) => `${o.kind} ${o.object}: ${o.outcome}`);
    expect(objects).toEqual(
      expect.arrayContaining([
        'view customer_orders: converted with a warning',
        'view customer_products: converted with a warning',
        'FULLTEXT index Customer.ft_customer_notes: converted with a warning',
        'SPATIAL index Store.sp_store_location: converted',
        'ON UPDATE CURRENT_TIMESTAMP Customer.updatedAt: converted',
        'CHECK constraint Customer.ck_customer_names: converted',
        'CHECK constraint Product.price: converted',
        'CHECK constraint Product.ck_product_name: converted',
        'trigger trg_customer_email: converted with a warning',
      ]),
    );

    expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow', 90_000);
    expect((await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    const acceptance = await report(id, 'acceptance');
    // A view PostgreSQL refused to create is open too, with its text.
    expect(actionItems(acceptance)).toEqual([...expected, 'view loose_math'].sort());
    expect(acceptance.summary).toMatch(/5 open action item\(s\)/);

    // Each translated view exists and returns the MySQL view's rows.
    expect(await pgRows('SELECT customer_id, full_name, contact, ordered_on, store FROM shop.customer_orders ORDER BY 1, 4')).toEqual(
      await mysqlRows('SELECT customerId, fullName, contact, orderedOn, store FROM customer_orders ORDER BY 1, 4'),
    );
    expect(await pgRows('SELECT customer_id, name, products, orders FROM shop.customer_products ORDER BY 1')).toEqual(
      await mysqlRows('SELECT customerId, name, products, orders FROM customer_products ORDER BY 1'),
    );
    // ON UPDATE CURRENT_TIMESTAMP fires; a statement that sets the column itself wins.
    await pgRows(`UPDATE shop.customer SET first_name = 'Augusta Ada' WHERE id = 1`);
    await pgRows(`UPDATE shop.customer SET notes = 'x', updated_at = '2020-01-01' WHERE id = 2`);
    const stamps = await pgRows(
      `SELECT id, updated_at > now() - interval '5 minutes', updated_at::date::text FROM shop.customer WHERE id IN (1, 2, 3) ORDER BY id`,
    );
    expect(stamps.map((r) => [r[0], r[1]])).toEqual([
      ['1', 'true'],
      ['2', 'false'],
      ['3', 'false'],
    ]);
    expect(stamps[1]![2]).toBe('2020-01-01');
    // NOT NULL kept where there were no zero dates; dropped (and said) where there was one.
    await expect(pgRows(`INSERT INTO shop.orders (customer_id, store_id, product_id, shipped_at) VALUES (1, 1, 1, now())`)).rejects.toThrow(
      /ordered_at.*not-null|null value in column "ordered_at"/,
    );
    expect(
      await pgRows(
        `SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'shop' AND table_name = 'orders' AND column_name IN ('ordered_at', 'shipped_at') ORDER BY column_name`,
      ),
    ).toEqual([['NO'], ['YES']]);
    expect(await pgRows(`SELECT shipped_at FROM shop.orders WHERE id = 2`)).toEqual([[null]]);
    // Defaults (CURRENT_TIMESTAMP included), CHECKs of enums and UNIQUE survive.
    await pgRows(`INSERT INTO shop.customer (first_name, last_name, signed_up_at, email) VALUES ('Edsger', 'Dijkstra', now(), 'EWD@Example.COM')`);
    // The trigger that only sets a column of the new row runs as PL/pgSQL.
    expect(await pgRows(`SELECT tier, tags::text, email, updated_at IS NOT NULL FROM shop.customer WHERE last_name = 'Dijkstra'`)).toEqual([
      ['basic', '{}', 'ewd@example.com', 'true'],
    ]);
    await expect(pgRows(`INSERT INTO shop.customer (first_name, last_name, signed_up_at, email) VALUES ('X', 'Y', now(), 'ada@example.com')`)).rejects.toThrow(
      /unique/,
    );
    await expect(pgRows(`INSERT INTO shop.customer (first_name, last_name, signed_up_at) VALUES ('', 'Y', now())`)).rejects.toThrow(/check constraint/);
    // A column-level CHECK and one over a string list (quote and backslash included) hold too.
    await expect(pgRows(`UPDATE shop.product SET price = -1 WHERE id = 1`)).rejects.toThrow(/check constraint/);
    await expect(pgRows(`UPDATE shop.product SET name = E'it''s \\\\none' WHERE id = 1`)).rejects.toThrow(/check constraint/);
    // FULLTEXT → GIN over to_tsvector; POINT → point with a GiST index; GEOMETRY → WKT text.
    const indexes = await pgRows(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'shop' AND indexname LIKE '%ft_customer_notes' OR indexname LIKE '%sp_store_location' ORDER BY 1`,
    );
    expect(indexes.map((r) => r[1])).toEqual([expect.stringMatching(/USING gin \(to_tsvector\('simple'/), expect.stringMatching(/USING gist \(location\)/)]);
    expect(await pgRows(`SELECT id FROM shop.customer WHERE to_tsvector('simple', coalesce(notes, '')) @@ to_tsquery('simple', 'analytical')`)).toEqual([
      ['1'],
    ]);
    expect(
      await pgRows(
        `SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'shop.store'::regclass AND attname IN ('location', 'area') ORDER BY attname`,
      ),
    ).toEqual([['text'], ['point']]);
    expect(await pgRows(`SELECT location::text, area FROM shop.store ORDER BY id`)).toEqual([
      ['(10.5,20.25)', 'POLYGON((0 0,4 0,4 3,0 0))'],
      ['(-3,7)', null],
    ]);

    await confirmAcceptanceViaApi(api, id, 90_000);
  });

  it('validates per-column parameters at start (shape) and against the source at assessment (names)', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-G', 'shop-mariadb', { mysql: source.url });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-G', 'shop-postgres', { postgres: target.url });
    const start = (parameters: Record<string, unknown>) => ({
      serviceType: 'database-conversion',
      customerId: 'CUST-G',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      parameters: { targetSchema: 'shop_g', ...parameters },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
    });
    const bad = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: start({ excludeColumns: ['nodot'], columnTypes: { 'Store.area': 'circle' }, rename: ['x'] }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: any) => d.field).sort()).toEqual(['parameters.columnTypes', 'parameters.excludeColumns', 'parameters.rename']);

    const id = await startDeliveryViaApi(
      api,
      start({ exclude: ['Nope'], excludeColumns: ['Customer.nope'], columnTypes: { 'Store.location': 'polygon' }, rename: { 'Ghost.col': 'x' } }),
    );
    // A blocker waits for the manager (assessmentBlocked) rather than failing the delivery.
    const blocked = await waitForDelivery(api, id, (d) => d.awaiting === 'assessmentBlocked' && d.live?.awaiting === 'assessmentBlocked', 60_000);
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', type: 'InvalidParameters' });
    const listed = (await api.request('GET', `/v1/deliveries/${id}/reports`, { as: 'viewer' })).body;
    const ref = (Array.isArray(listed) ? listed : (listed.items ?? listed.reports)).find((r: any) => r.kind === 'assessment');
    const assessment = (await api.request('GET', `/v1/deliveries/${id}/reports/${ref.reportId ?? ref.id}`, { as: 'viewer' })).body;
    expect(
      (assessment.body.incompatibilities as any[])
        .filter((f) => f.severity === 'blocking')
        .map((f) => `${f.kind} ${f.object}`)
        .sort(),
    ).toEqual(['invalid-type-override Store.location', 'unknown-name Customer.nope', 'unknown-name Ghost.col', 'unknown-name Nope']);
    expect((await api.request('POST', `/v1/deliveries/${id}/cancellation`, { as: 'manager', body: { reason: 'test done' } })).status).toBeLessThan(300);
  });

  it('lists in the plan what exclusions lose and approves it only with confirmDependents; renamed columns follow into views', async () => {
    const src = await registerEnvironmentViaApi(api, 'CUST-H', 'shop-mariadb', { mysql: source.url });
    const tgt = await registerEnvironmentViaApi(api, 'CUST-H', 'shop-postgres', { postgres: target.url });
    const id = await startDeliveryViaApi(api, {
      serviceType: 'database-conversion',
      customerId: 'CUST-H',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      parameters: { targetSchema: 'shop_h', exclude: ['Store'], excludeColumns: ['Customer.notes'], rename: { 'Customer.firstName': 'given_name' } },
      contractRef: 'CT-2026-H',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
    });
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval', 90_000);
    const plan = await report(id, 'plan');
    expect(plan.body.dependents).toEqual([
      'index ft_customer_notes of Customer (notes): not created, notes excluded',
      'foreign key fk_orders_store of Orders (storeId) → Store: not created, Store is not converted',
      'view customer_orders: not created, it reads Store, which is not converted',
    ]);
    expect(plan.summary).toMatch(/3 dependent object\(s\) NOT created because of exclusions/);
    expect(plan.body.castingRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'Orders.shippedAt', rule: expect.stringMatching(/NOT NULL dropped: 1 zero date/) }),
        expect.objectContaining({ source: 'Orders.orderedAt', rule: expect.stringMatching(/NOT NULL kept/) }),
        expect.objectContaining({ source: 'Customer.firstName', column: 'customer.given_name' }),
      ]),
    );
    expect(plan.body.views.find((v: { view: string }) => v.view === 'customer_products').sql).toMatch(/"c"\."given_name"/);

    // The plan version says it needs confirmation; approving without it is refused and changes nothing.
    const proposed = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body.live.plans[0];
    expect(proposed).toMatchObject({
      revision: 1,
      status: 'proposed',
      confirmationRequired: { dependents: 3, summary: expect.stringContaining('fk_orders_store') },
    });
    const unconfirmed = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, confirmDependents: false } });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.message).toMatch(
      /does not create 3 object\(s\).*foreign key fk_orders_store of Orders \(storeId\) → Store.*confirmDependents: true/,
    );
    expect(unconfirmed.body.details).toEqual({ type: 'DependentsNotConfirmed' });
    expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1 } })).status).toBe(409);
    const waiting = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    expect(waiting.live).toMatchObject({ awaiting: 'planApproval', plans: [expect.objectContaining({ status: 'proposed' })] });

    const approved = await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, confirmDependents: true } });
    expect(approved.status).toBe(200);
    expect(approved.body.plans[0]).toMatchObject({ status: 'approved', dependentsConfirmed: true });
    const audit = (await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body as { action: string; detail: Record<string, unknown> }[];
    expect(audit.filter((e) => e.action.startsWith('plan.approved')).map((e) => [e.action, e.detail.confirmDependents])).toEqual([
      ['plan.approved.refused', false],
      ['plan.approved.refused', undefined],
      ['plan.approved', true],
    ]);

    const docs = (await api.request('GET', '/docs-json', { as: null })).body;
    expect(docs.components.schemas.PlanApprovalDto.properties.confirmDependents).toMatchObject({ type: 'boolean', description: expect.stringMatching(/409/) });
    expect(docs.components.schemas.PlanVersionDto.properties.confirmationRequired.description).toMatch(/confirmDependents: true/);

    // The delivery proceeds without Store and says so at acceptance.
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow', 90_000);
    expect((await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    expect((await report(id, 'acceptance')).body.checklist).toContainEqual({
      item: 'Objects not created because of exclusions',
      evidence: expect.stringContaining('foreign key fk_orders_store'),
    });
    // The foreign keys to the converted parents are there; the one to Store is not.
    expect(
      await pgRows(`SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND connamespace = 'shop_h'::regnamespace ORDER BY 1`),
    ).toEqual([['shop_h.customer'], ['shop_h.product']]);
    expect((await api.request('POST', `/v1/deliveries/${id}/cancellation`, { as: 'manager', body: { reason: 'test done' } })).status).toBeLessThan(300);
  });
});
