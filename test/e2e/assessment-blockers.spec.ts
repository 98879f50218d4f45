import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ScratchDatabase } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import type { ApiTestApp } from '@sdo/api/testing';
import { freePort } from '@sdo/stack';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES, withPg } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const CUSTOMER = 'CUST-BLOCKED';

/**
 * Issue #9, item 5: a blocker found at assessment (here: the target's account lacks CREATEDB,
 * which the rehearsal clone needs) leaves the delivery waiting for the manager, who amends the
 * request through PUT /v1/deliveries/{id}/parameters; the same delivery (same order number) then
 * goes on to acceptance.
 */
describe('assessment blockers come back to the manager, through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let target: ScratchDatabase;
  let packageId: string;
  /** The ERP target as an account without CREATEDB sees it, and as one with it. */
  let limitedEnv: string;
  let fullEnv: string;
  const limitedRole = `sdo_nocreatedb_${randomUUID().slice(0, 8)}`;
  const limitedPassword = randomUUID();

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker());
    target = await createErpV1Database();
    // Reads everything, owns nothing, cannot create databases.
    await withPg(target.url, async (c) => {
      await c.query(`CREATE ROLE ${limitedRole} LOGIN NOCREATEDB PASSWORD '${limitedPassword}'`);
      await c.query(`GRANT pg_read_all_data TO ${limitedRole}`);
    });
    const limitedUrl = new URL(target.url);
    limitedUrl.username = limitedRole;
    limitedUrl.password = limitedPassword;
    limitedEnv = (await registerEnvironmentViaApi(api, CUSTOMER, 'erp-readonly-account', { postgres: limitedUrl.toString() })).id;
    fullEnv = (await registerEnvironmentViaApi(api, CUSTOMER, 'erp-owner-account', { postgres: target.url })).id;
    const registered = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    expect(registered.status).toBe(201);
    packageId = registered.body.id;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (target) await withPg(target.url, (c) => c.query(`DROP OWNED BY ${limitedRole}; DROP ROLE IF EXISTS ${limitedRole}`)).catch(() => undefined);
    await target?.drop();
  });

  it('a missing CREATEDB waits at assessment with its report; amended, the same delivery is accepted', async () => {
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const id = await startDeliveryViaApi(api, {
      serviceType: 'upgrade',
      customerId: CUSTOMER,
      orderNo,
      environments: { target: limitedEnv },
      parameters: { packageId },
      contractRef: 'CT-2026-9',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    });

    // Waiting, not failed: the gate, the reason and the assessment report, in the live status and the app database.
    const blocked = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'assessmentBlocked' && d.awaiting === 'assessmentBlocked');
    expect(blocked.phase).toBe('assessment');
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', type: 'InsufficientPrivileges' });
    expect(blocked.lastFailure.message).toMatch(/CREATEDB/);
    expect(blocked.live.lastFailure).toEqual(blocked.lastFailure);
    expect(blocked.live.reports.map((r: any) => r.kind)).toEqual(['assessment']);
    expect(blocked.live.reports[0].summary).toMatch(/CREATEDB/);
    const listed = await api.request('GET', '/v1/deliveries?awaiting=assessmentBlocked', { as: 'viewer' });
    expect(listed.body.items.map((d: any) => d.id)).toContain(id);

    // Refused amendments change nothing: an unknown environment, a malformed package ID, a viewer.
    const unknownEnv = await api.request('PUT', `/v1/deliveries/${id}/parameters`, {
      as: 'manager',
      body: { parameters: { packageId }, environments: { target: randomUUID() } },
    });
    expect(unknownEnv.status).toBe(400);
    expect(unknownEnv.body.details).toEqual([{ field: 'environments.target', reason: expect.stringMatching(/not registered for customer/) }]);
    const badPackage = await api.request('PUT', `/v1/deliveries/${id}/parameters`, { as: 'manager', body: { parameters: { packageId: 'latest' } } });
    expect(badPackage.status).toBe(400);
    expect(badPackage.body.details).toEqual([{ field: 'parameters.packageId', reason: expect.stringMatching(/UUID/) }]);
    const unknownField = await api.request('PUT', `/v1/deliveries/${id}/parameters`, {
      as: 'manager',
      body: { parameters: { packageId }, serviceType: 'org-split' },
    });
    expect(unknownField.status).toBe(400);
    expect((await api.request('PUT', `/v1/deliveries/${id}/parameters`, { as: 'viewer', body: { parameters: { packageId } } })).status).toBe(403);
    const unchanged = await waitForDelivery(api, id, () => true);
    expect(unchanged.live.awaiting).toBe('assessmentBlocked');
    expect(unchanged.environments).toEqual({ target: limitedEnv });
    expect((await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body.map((e: any) => e.action)).not.toContain('parameters.amended');

    // The manager points the delivery at an account with the privilege: it is assessed again and planned.
    const amended = await api.request('PUT', `/v1/deliveries/${id}/parameters`, {
      as: 'manager',
      body: { parameters: { packageId }, environments: { target: fullEnv }, comment: 'use the owner account' },
    });
    expect(amended.status).toBe(200);
    const planned = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval' && d.awaiting === 'planApproval');
    expect(planned.environments).toEqual({ target: fullEnv });
    expect(planned.live.reports.map((r: any) => r.kind)).toEqual(['assessment', 'assessment', 'plan']);

    // Amending while the plan awaits approval re-assesses and drafts a new revision; the old one is superseded.
    const again = await api.request('PUT', `/v1/deliveries/${id}/parameters`, {
      as: 'manager',
      body: { parameters: { packageId }, comment: 're-check after the weekend' },
    });
    expect(again.status).toBe(200);
    const replanned = await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval' && d.live.plans.length === 2);
    expect(replanned.live.plans.map((p: any) => p.status)).toEqual(['superseded', 'proposed']);
    expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 2 } })).status).toBe(200);

    // Past the plan, parameters are fixed.
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow', 60_000);
    const late = await api.request('PUT', `/v1/deliveries/${id}/parameters`, { as: 'manager', body: { parameters: { packageId } } });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/only during assessment or planning|only while the delivery waits/);

    expect((await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance', 60_000);
    expect((await api.request('POST', `/v1/deliveries/${id}/acceptance-confirmation`, { as: 'manager', body: {} })).status).toBe(200);
    const done = await waitForDelivery(api, id, (d) => d.phase === 'completed');
    expect(done.orderNo).toBe(orderNo);

    const audit = (await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body;
    const amendments = audit.filter((e: any) => e.action === 'parameters.amended');
    expect(amendments).toHaveLength(2);
    expect(amendments[0]).toMatchObject({
      actor: expect.any(String),
      detail: { parameters: { packageId }, environments: { target: fullEnv }, comment: 'use the owner account' },
    });
    await recordHistory(worker.client.workflow.getHandle(done.workflowId), 'upgradeDelivery-blocked-amended-accepted');
  });

  /** Issue #9: a manager learns before any delivery whether an environment will do. */
  describe('POST /v1/environments/{id}/check', () => {
    it('an account with every right: reachable, engine, version, nothing missing', async () => {
      const checked = await api.request('POST', `/v1/environments/${fullEnv}/check`, { as: 'manager' });
      expect(checked.status).toBe(200);
      expect(checked.body).toMatchObject({ reachable: true, engine: 'postgres', version: expect.stringMatching(/^PostgreSQL \d+/), missing: [] });
      expect(checked.body.rights).toMatchObject({ createdb: true, ownsDatabase: true, selectAllTables: true });
      expect(checked.body.rights.tables).toBeGreaterThan(0);
    });

    it('an account without CREATEDB shows it missing', async () => {
      const checked = await api.request('POST', `/v1/environments/${limitedEnv}/check`, { as: 'manager' });
      expect(checked.status).toBe(200);
      expect(checked.body).toMatchObject({ reachable: true, rights: { createdb: false, ownsDatabase: false, superuser: false, selectAllTables: true } });
      expect(checked.body.missing).toEqual(['CREATEDB', 'ownership of the database']);
      expect(JSON.stringify(checked.body)).not.toContain(limitedPassword);
    });

    it('a port nobody listens on is a 200 with reachable: false and the reason; viewers and other customers cannot check', async () => {
      const closed = await api.request('POST', '/v1/environments', {
        body: {
          customerId: CUSTOMER,
          name: `erp-closed-${randomUUID().slice(0, 8)}`,
          engine: 'postgres',
          ...connectionFields(target.url),
          host: '127.0.0.1',
          port: await freePort(),
        },
      });
      expect(closed.status).toBe(201);
      const started = Date.now();
      const checked = await api.request('POST', `/v1/environments/${closed.body.id}/check`, { as: 'manager' });
      expect(checked.status).toBe(200);
      expect(checked.body).toMatchObject({
        reachable: false,
        engine: 'postgres',
        missing: [],
        problem: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)/),
      });
      expect(Date.now() - started).toBeLessThan(7_000);
      expect(JSON.stringify(checked.body)).not.toContain(connectionFields(target.url).password);
      expect((await api.request('POST', `/v1/environments/${fullEnv}/check`, { as: 'viewer' })).status).toBe(403);
      expect((await api.request('POST', `/v1/environments/${fullEnv}/check`, { as: 'confined' })).status).toBe(404);
    });
  });
});
