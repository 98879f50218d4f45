import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { moveCutoverWindowUpdate, OBLIGATION_WORKFLOW_TYPES, obligationWorkflowId, supportCaseWorkflowId } from '@sdo/contracts';
import { DecisionLedger } from '@sdo/persistence';
import { loadPackage } from '@sdo/upgrade-kit';
import { ApiTestApp, startApiTestApp, TEST_SECRETS_KEY, testTemporalClient } from '@sdo/api/testing';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

/**
 * Issue #8, item 4 and "gate decisions sent while no worker runs": a decision and its audit entry
 * are one fact. Sent while no worker runs, a decision answers 202 and is shown as pending; once a
 * worker takes (or refuses) it, the next read resolves it and writes its audit entry, once.
 */
const PACKAGE = join(__dirname, '../fixtures/upgrade/packages/erp-2.1');

describe('security: gate decisions and their audit entries (issue #8)', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness | undefined;
  let temporal: Client;
  let connection: Connection;
  let delivery: { id: string; workflowId: string };
  const taskQueue = `decisions-${randomUUID()}`;

  type AuditEntry = { action: string; actor: string; detail: Record<string, unknown> };
  const auditOf = async (id: string): Promise<AuditEntry[]> => (await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body;
  const actions = (entries: AuditEntry[]) => entries.map((e) => e.action);

  beforeAll(async () => {
    api = await startApiTestApp({ temporalTimeoutMs: 1_500, env: { SDO_TASK_QUEUE: taskQueue } });
    connection = await Connection.connect({ address: api.config.temporal.address });
    temporal = testTemporalClient(connection, api.config.temporal.namespace);
    const env = await api.request('POST', '/v1/environments', {
      body: { customerId: 'CUST-DEC', name: 'ERP', engine: 'postgres', host: '10.9.8.7', database: 'erp' },
    });
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(PACKAGE) });
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-DEC',
        orderNo: `SO-${randomBytes(4).toString('hex')}`,
        environments: { target: env.body.id },
        parameters: { packageId: pkg.body.id },
        cutoverWindow: { startsAt: '2026-12-05T22:00:00+08:00', durationMinutes: 240 },
      },
    });
    expect(started.status).toBe(202);
    delivery = started.body;
  });
  afterAll(async () => {
    for (const workflowId of [
      delivery.workflowId,
      obligationWorkflowId(delivery.workflowId),
      supportCaseWorkflowId(obligationWorkflowId(delivery.workflowId), 1),
    ]) {
      await temporal?.workflow
        .getHandle(workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
    await worker?.close();
    await connection?.close();
    await api?.close();
  });

  it('answers 202 with the pending decision while no worker runs, shows it on the delivery, and audits it exactly once after a worker takes or refuses it', async () => {
    // The delivery ran on a worker that has since stopped.
    const first = await startWorkerHarness({ appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue });
    await waitForStatus(temporal.workflow.getHandle(delivery.workflowId), (s) => s.phase === 'assessment');
    await first.close();

    const moved = await api.request('PUT', `/v1/deliveries/${delivery.id}/cutover-window`, { as: 'manager', body: { startsAt: '2026-12-12T22:00:00+08:00' } });
    expect(moved.status).toBe(202);
    expect(moved.body.decision).toMatchObject({
      gate: 'cutoverWindow',
      action: 'cutover-window.moved',
      arg: { startsAt: '2026-12-12T14:00:00.000Z', movedBy: 'max' },
      requestedBy: 'max',
    });
    // Not the plan gate's turn: the workflow will refuse this one once it runs.
    const approved = await api.request('POST', `/v1/deliveries/${delivery.id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'ok' } });
    expect(approved.status).toBe(202);

    const read = await api.request('GET', `/v1/deliveries/${delivery.id}`, { as: 'viewer' });
    expect(read.body.pendingDecisions.map((d: { updateId: string }) => d.updateId)).toEqual([moved.body.decision.updateId, approved.body.decision.updateId]);
    const isDecision = (e: AuditEntry) => e.action.startsWith('cutover-window') || e.action.startsWith('plan.');
    expect((await auditOf(delivery.id)).filter(isDecision)).toEqual([]);

    // Issue #11: an obligation's action (here opening a support case) goes through the same ledger: 202 and pending while no worker runs.
    const now = Date.now();
    await temporal.workflow.start(OBLIGATION_WORKFLOW_TYPES.supportSubscription, {
      workflowId: obligationWorkflowId(delivery.workflowId),
      taskQueue,
      args: [
        {
          deliveryId: delivery.id,
          deliveryWorkflowId: delivery.workflowId,
          serviceType: 'custom-dev-maintenance',
          customerId: 'CUST-DEC',
          period: { startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() },
          sla: { respondWithin: '1 hour', resolveWithin: '1 day' },
          gatePolicy: { reminderEvery: '1 hour', escalateAfter: '1 day' },
        },
      ],
    });
    const opened = await api.request('POST', `/v1/deliveries/${delivery.id}/cases`, { as: 'manager', body: { title: 'Report export hangs' } });
    expect(opened.status).toBe(202);
    expect(opened.body.decision).toMatchObject({ action: 'case.opened', arg: { title: 'Report export hangs', openedBy: 'max' }, requestedBy: 'max' });
    const withCase = await api.request('GET', `/v1/deliveries/${delivery.id}`, { as: 'viewer' });
    expect(withCase.body.pendingDecisions.map((d: { updateId: string }) => d.updateId)).toContain(opened.body.decision.updateId);
    expect(actions(await auditOf(delivery.id))).not.toContain('case.opened');

    worker = await startWorkerHarness({ appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue });
    const deadline = Date.now() + 45_000;
    let audit = await auditOf(delivery.id);
    while (Date.now() < deadline && !actions(audit).includes('plan.approved.refused')) {
      await new Promise((r) => setTimeout(r, 250));
      audit = await auditOf(delivery.id);
    }
    // Reads after the resolution (and concurrent ones) add nothing.
    await Promise.all([auditOf(delivery.id), auditOf(delivery.id), api.request('GET', `/v1/deliveries/${delivery.id}`)]);
    audit = await auditOf(delivery.id);
    const decisions = audit.filter(isDecision);
    expect(decisions).toHaveLength(2); // resolved in parallel: in either order
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'cutover-window.moved',
          actor: 'max',
          detail: expect.objectContaining({ updateId: moved.body.decision.updateId, startsAt: '2026-12-12T14:00:00.000Z', phase: 'assessment' }),
        }),
        expect.objectContaining({
          action: 'plan.approved.refused',
          actor: 'max',
          detail: expect.objectContaining({ updateId: approved.body.decision.updateId, reason: expect.stringMatching(/not for planApproval/) }),
        }),
      ]),
    );
    // The case was opened once the worker ran, and audited once, under its decision.
    while (Date.now() < deadline && !actions(audit).includes('case.opened')) {
      await new Promise((r) => setTimeout(r, 250));
      audit = await auditOf(delivery.id);
    }
    expect(audit.filter((e) => e.action.startsWith('case.'))).toEqual([
      expect.objectContaining({
        action: 'case.opened',
        actor: 'max',
        detail: expect.objectContaining({ updateId: opened.body.decision.updateId, title: 'Report export hangs' }),
      }),
    ]);
    expect((await api.request('GET', `/v1/deliveries/${delivery.id}/cases/1`, { as: 'viewer' })).body).toMatchObject({ caseNo: 1, state: 'opened' });
    const after = await api.request('GET', `/v1/deliveries/${delivery.id}`, { as: 'viewer' });
    expect(after.body.pendingDecisions).toEqual([]);
    expect(after.body.live.cutoverWindow.startsAt).toBe('2026-12-12T14:00:00.000Z');
  });

  it('with a worker running, answers 200 and writes the audit entry keyed by the Update ID', async () => {
    const moved = await api.request('PUT', `/v1/deliveries/${delivery.id}/cutover-window`, {
      as: 'manager',
      body: { startsAt: '2026-12-19T22:00:00+08:00', durationMinutes: 120 },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.cutoverWindow).toEqual({ startsAt: '2026-12-19T14:00:00.000Z', durationMinutes: 120 });
    const entry = (await auditOf(delivery.id)).at(-1)!;
    expect(entry).toMatchObject({ action: 'cutover-window.moved', detail: { updateId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    const [row] = await api.app.get(DataSource).query('SELECT status FROM delivery_decisions WHERE id = $1', [entry.detail['updateId']]);
    expect(row.status).toBe('accepted');
  });

  it('writes the audit entry of an Update that took effect after the API lost track of it (died before auditing), on the next read, once', async () => {
    // What the API records before it sends the Update …
    const ledger = new DecisionLedger(api.app.get(DataSource));
    const updateId = randomUUID();
    const arg = { startsAt: '2026-12-26T14:00:00.000Z', movedBy: 'max' };
    await ledger.open({ id: updateId, deliveryId: delivery.id, action: 'cutover-window.moved', actor: 'max', arg });
    // … the Update taking effect, and then the API dying before it audits.
    await temporal.workflow.getHandle(delivery.workflowId).executeUpdate(moveCutoverWindowUpdate, { args: [arg], updateId });
    const audit = await auditOf(delivery.id);
    expect(audit.filter((e) => e.detail['updateId'] === updateId)).toEqual([expect.objectContaining({ action: 'cutover-window.moved', actor: 'max' })]);
    // A late second resolver (the request that sent it, had it lived) changes nothing.
    expect(await ledger.resolve(updateId, { status: 'accepted', detail: { phase: 'assessment' } })).toBe(false);
    expect((await auditOf(delivery.id)).filter((e) => e.detail['updateId'] === updateId)).toHaveLength(1);
  });
});
