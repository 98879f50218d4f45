import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createScratchDatabase } from '@sdo/testing';
import { chinookDir } from '@sdo/data-engine/testing';
import type { WorkflowHandle } from '@temporalio/client';
import {
  completeTaskUpdate,
  deliveryStatusQuery,
  deliveryWorkflowId,
  OBLIGATION_WORKFLOW_TYPES,
  obligationWorkflowId,
  RecurringServiceInput,
  RecurringServiceStatus,
  recurringServiceStatusQuery,
  securityPlan,
  SupportSubscriptionInput,
  TaskPlanInput,
  type ServiceType,
} from '@sdo/contracts';
import { DeliveryStore } from '@sdo/persistence';
import type { ApiTestApp } from '@sdo/api/testing';
import { recordHistory } from '../support/histories';
import { sqliteFilePath } from '../support/deliveries';
import { approveFirstPlanViaApi, confirmAcceptanceViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const CUSTOMER = 'CUST-OBLIGATIONS';

/**
 * Issue #11: what the ongoing products promise, through the control API where a manager acts.
 * Periods are fixed short durations ("a month" of a fraction of a second) on the real dev server.
 */
describe('obligations of long-running products, through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;

  beforeAll(async () => {
    // A "month" of a catalog-started resident service lasts half a second.
    ({ api, worker } = await startApiAndWorker({}, { env: { SDO_OBLIGATION_MONTH: '500 ms' } }));
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  /** A delivery of the product, claimed as the API claims one, whose obligation workflow runs `workflowType` with `input`. */
  async function deliveryWithObligation<I extends { deliveryId: string }>(
    serviceType: string,
    workflowType: string,
    input: Omit<I, 'deliveryId' | 'deliveryWorkflowId'>,
  ): Promise<{ id: string; handle: WorkflowHandle }> {
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const workflowId = deliveryWorkflowId(serviceType as ServiceType, CUSTOMER, orderNo);
    const store = new DeliveryStore(worker.dataSource);
    const claim = await store.claim({
      workflowId,
      idempotencyKey: randomUUID(),
      requestFingerprint: 'test',
      serviceType: serviceType as ServiceType,
      customerId: CUSTOMER,
      orderNo,
      environments: {},
      parameters: {},
      cutoverWindow: { startsAt: new Date(0).toISOString(), durationMinutes: 60 },
      contractRef: 'CT-OBLIGATIONS',
      createdBy: 'max',
    });
    await store.markStarted(claim.delivery.id);
    const handle = await worker.client.workflow.start(workflowType, {
      workflowId: obligationWorkflowId(workflowId),
      taskQueue: worker.taskQueue,
      args: [{ ...input, deliveryId: claim.delivery.id, deliveryWorkflowId: workflowId }],
    });
    return { id: claim.delivery.id, handle };
  }

  async function until<T>(read: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await read();
      if (holds(last)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`condition not reached; last: ${JSON.stringify(last, null, 2)}`);
  }

  const auditActions = async (id: string): Promise<string[]> =>
    (await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body.map((e: { action: string }) => e.action);

  it('an overdue support case is escalated; its steps go in order (409 otherwise) until the customer confirms', async () => {
    const now = Date.now();
    const { id, handle } = await deliveryWithObligation<SupportSubscriptionInput>('custom-dev-maintenance', OBLIGATION_WORKFLOW_TYPES.supportSubscription, {
      serviceType: 'custom-dev-maintenance',
      customerId: CUSTOMER,
      period: { startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() },
      sla: { respondWithin: '1 second', resolveWithin: '1 hour' },
      gatePolicy: { reminderEvery: '1 hour', escalateAfter: '1 day' },
    });
    expect((await api.request('POST', `/v1/deliveries/${id}/cases`, { as: 'viewer', body: { title: 'x' } })).status).toBe(403);
    expect((await api.request('POST', `/v1/deliveries/${id}/cases`, { as: 'manager', body: { title: ' ' } })).status).toBe(400);
    const opened = await api.request('POST', `/v1/deliveries/${id}/cases`, {
      as: 'manager',
      body: { title: 'Voucher import fails after the custom approval step' },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ caseNo: 1, state: 'opened' });

    // Nobody responds within the response SLA: the case is escalated, once, and the trail says so.
    const overdue = await until(
      async () => (await api.request('GET', `/v1/deliveries/${id}/cases/1`, { as: 'viewer' })).body,
      (c) => c.escalated?.includes('response'),
    );
    expect(overdue).toMatchObject({ state: 'opened', escalated: ['response'] });
    expect(
      await until(
        () => auditActions(id),
        (a) => a.includes('case.escalation'),
      ),
    ).toEqual(expect.arrayContaining(['case.opened', 'case.escalation']));

    const step = (name: string) => api.request('POST', `/v1/deliveries/${id}/cases/1/${name}`, { as: 'manager', body: { note: `${name} noted` } });
    const early = await step('resolution');
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/The case is opened/);
    expect((await step('response')).body).toMatchObject({ state: 'responded' });
    expect((await step('confirmation')).status).toBe(409);
    expect((await step('resolution')).body).toMatchObject({ state: 'resolved' });
    expect((await step('confirmation')).body).toMatchObject({ state: 'confirmed', escalated: ['response'] });
    expect((await step('confirmation')).status).toBe(409);
    expect((await api.request('GET', `/v1/deliveries/${id}/cases/2`, { as: 'viewer' })).status).toBe(404);

    // The subscription hears of each change from its case.
    const subscription = await until(
      async () => (await api.request('GET', `/v1/deliveries/${id}/cases`, { as: 'viewer' })).body,
      (s) => s.cases?.[0]?.state === 'confirmed',
    );
    expect(subscription).toMatchObject({ state: 'active', cases: [{ caseNo: 1, state: 'confirmed', escalated: ['response'] }] });
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['case.response', 'case.resolution', 'case.confirmation']));
    await recordHistory(worker.client.workflow.getHandle(opened.body.workflowId), 'supportCaseWorkflow-escalated-confirmed');
    await handle.terminate('test over');
    await recordHistory(handle, 'supportSubscriptionWorkflow-one-case-terminated');
  });

  it('a resident service opens one SLA assessment per month for 24 months, continuing as new with its ledger and open tasks', async () => {
    const { id, handle } = await deliveryWithObligation<RecurringServiceInput>('resident-service', OBLIGATION_WORKFLOW_TYPES.recurringService, {
      kind: 'resident-service',
      startsAt: new Date().toISOString(),
      periods: 24,
      periodLength: '150 ms',
      periodsPerRun: 6,
    });
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    await until(tasks, (t) => Array.isArray(t) && t.length >= 1);
    const complete = (taskId: string, body: Record<string, unknown>) =>
      api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${taskId}/completion`, { as: 'manager', body });
    expect((await complete('sla-assessment-1', { score: 101, remarks: 'x' })).status).toBe(400);
    const missingRemarks = await complete('sla-assessment-1', { score: 90 });
    expect(missingRemarks.status).toBe(409);
    expect((await complete('sla-assessment-1', { score: 90, remarks: 'on site every day, month-end close on time' })).body).toMatchObject({
      state: 'done',
      score: 90,
      completedBy: 'max',
    });

    // 24 "months" later: one assessment per month, over four runs of six months each.
    const all = await until(tasks, (t) => t.length === 24, 60_000);
    expect(all.map((t: { taskId: string; period: number }) => [t.taskId, t.period])).toEqual(
      Array.from({ length: 24 }, (_, i) => [`sla-assessment-${i + 1}`, i + 1]),
    );
    const status: RecurringServiceStatus = await until(
      () => handle.query(recurringServiceStatusQuery),
      (s) => s.periodsStarted === 24,
    );
    expect(status.run).toBe(4);
    // The ledger kept the first month's assessment; the months left open are still open, and can be completed now.
    expect(status.tasks[0]).toMatchObject({ taskId: 'sla-assessment-1', state: 'done', score: 90 });
    expect(status.tasks.slice(1).every((t) => t.state === 'open')).toBe(true);
    expect((await complete('sla-assessment-1', { score: 80, remarks: 'again' })).status).toBe(409);
    for (let month = 2; month <= 24; month++) expect((await complete(`sla-assessment-${month}`, { score: 85, remarks: `month ${month}` })).status).toBe(200);
    const result = await handle.result();
    expect(result).toMatchObject({ state: 'ended', run: 4, periodsStarted: 24 });
    expect(result.tasks.filter((t: { state: string }) => t.state === 'done')).toHaveLength(24);

    const runs = await runsOf(worker, handle.workflowId);
    expect(runs).toHaveLength(4);
    for (const [i, runId] of runs.entries()) {
      await recordHistory(worker.client.workflow.getHandle(handle.workflowId, runId), `recurringServiceWorkflow-resident-run-${i + 1}-of-4`);
    }
  });

  it('the anti-ransomware check is closed by its time box; the penetration test is followed by its retest', async () => {
    const { id, handle } = await deliveryWithObligation<TaskPlanInput>('security-protection', OBLIGATION_WORKFLOW_TYPES.taskPlan, {
      plan: securityPlan(['penetration-test', 'anti-ransomware-check'], '2 seconds'),
    });
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    const opened = await until(tasks, (t) => Array.isArray(t) && t.length === 2);
    expect(opened.map((t: { taskId: string; state: string }) => [t.taskId, t.state])).toEqual([
      ['penetration-test', 'open'],
      ['anti-ransomware-check', 'open'],
    ]);
    const expired = await until(tasks, (t) => t.find((x: { taskId: string }) => x.taskId === 'anti-ransomware-check')?.state === 'expired');
    expect(expired.find((x: { taskId: string }) => x.taskId === 'anti-ransomware-check').remarks).toMatch(/closed by its time box/);
    const complete = (taskId: string) =>
      api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${taskId}/completion`, { as: 'manager', body: { remarks: 'done' } });
    const late = await complete('anti-ransomware-check');
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/expired, not open/);
    await until(
      () => auditActions(id),
      (a) => a.includes('obligation.task-expired'),
    );

    expect((await complete('penetration-test')).status).toBe(200);
    await until(tasks, (t) => t.some((x: { taskId: string }) => x.taskId === 'penetration-retest'));
    expect((await complete('penetration-retest')).status).toBe(200);
    expect(await handle.result()).toMatchObject({ state: 'completed' });
    await recordHistory(handle, 'taskPlanWorkflow-security-time-box-and-retest');
  });

  it('a resident service started through the API runs its residence step as the assessment child, which completes the step', async () => {
    const id = await startDeliveryViaApi(api, {
      serviceType: 'resident-service',
      customerId: CUSTOMER,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      parameters: { months: 2, startsOn: new Date().toISOString().slice(0, 10), level: 'senior-and-above' },
      contractRef: 'CT-RESIDENT',
    });
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    const parent = worker.client.workflow.getHandle(delivery.workflowId);
    // Kick-off is a person's task (the tasks API completes it; here its Update directly).
    const kickoff = await until(
      () => parent.query(deliveryStatusQuery),
      (s) =>
        (s as unknown as { flow: { tasks: { stepCode: string; status: string }[] } }).flow.tasks.some((t) => t.stepCode === 'kickoff' && t.status === 'open'),
    );
    const kickoffTask = (kickoff as unknown as { flow: { tasks: { taskId: string; stepCode: string; checklist: { item: string }[] }[] } }).flow.tasks.find(
      (t) => t.stepCode === 'kickoff',
    )!;
    await parent.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: kickoffTask.taskId, completedBy: 'max', checked: kickoffTask.checklist.map((c) => c.item) }],
    });

    // The residence step runs the monthly assessments as a child: one task per "month", completed through the API.
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    const both = await until(tasks, (t) => Array.isArray(t) && t.length === 2);
    expect(both.map((t: { taskId: string }) => t.taskId)).toEqual(['sla-assessment-1', 'sla-assessment-2']);
    for (const t of both) {
      const done = await api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${t.taskId}/completion`, {
        as: 'manager',
        body: { score: 92, remarks: 'SLA met' },
      });
      expect(done.status).toBe(200);
    }
    const after = await until(
      () => parent.query(deliveryStatusQuery),
      (s) =>
        (s as unknown as { flow: { tasks: { stepCode: string; status: string }[] } }).flow.tasks.some(
          (t) => t.stepCode === 'acceptance' && t.status === 'open',
        ),
    );
    const flow = (
      after as unknown as { flow: { tasks: { stepCode: string; status: string; completedBy?: string }[]; obligations: { kind: string; status: string }[] } }
    ).flow;
    expect(flow.tasks.find((t) => t.stepCode === 'residence')).toMatchObject({ status: 'done', completedBy: 'sdo' });
    expect(flow.obligations).toEqual([expect.objectContaining({ kind: 'monthly-sla-assessment', status: 'fulfilled' })]);
    await parent.terminate('test over');
  });

  it('a 信创 delivery converts the database as a child delivery, and its delivery step completes when the child is accepted', async () => {
    const sqlitePath = sqliteFilePath(`chinook-xinchuang-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), sqlitePath);
    const target = await createScratchDatabase('e2e_xc_tgt');
    try {
      const src = await registerEnvironmentViaApi(api, CUSTOMER, `chinook-${randomUUID().slice(0, 6)}`, { sqlite: sqlitePath });
      const tgt = await registerEnvironmentViaApi(api, CUSTOMER, `domestic-pg-${randomUUID().slice(0, 6)}`, { postgres: target.url });
      const start = (conversion: Record<string, unknown>) => ({
        serviceType: 'xinchuang',
        customerId: CUSTOMER,
        orderNo: `SO-${randomUUID().slice(0, 8)}`,
        parameters: { conversion },
        contractRef: 'CT-XC',
      });
      // The child's request is checked as its own start would be, named under parameters.conversion.
      const bad = await api.request('POST', '/v1/deliveries', {
        as: 'manager',
        body: start({ environments: { source: tgt.id, target: src.id }, parameters: { targetSchema: 'chinook' } }),
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'parameters.conversion.environments.source',
        'parameters.conversion.environments.target',
      ]);

      const id = await startDeliveryViaApi(api, start({ environments: { source: src.id, target: tgt.id }, parameters: { targetSchema: 'chinook' } }));
      const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
      const parent = worker.client.workflow.getHandle(delivery.workflowId);
      type Flow = { flow: { tasks: { taskId: string; stepCode: string; status: string; completedBy?: string; checklist: { item: string }[] }[] } };
      // Pre-sales, survey and design are people's tasks (the tasks API completes them; here their Update directly).
      for (const stepCode of ['pre-sales', 'survey', 'design']) {
        const s = (await until(
          () => parent.query(deliveryStatusQuery),
          (st) => (st as unknown as Flow).flow.tasks.some((t) => t.stepCode === stepCode && t.status === 'open'),
        )) as unknown as Flow;
        const task = s.flow.tasks.find((t) => t.stepCode === stepCode)!;
        await parent.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, completedBy: 'max', checked: task.checklist.map((c) => c.item) }] });
      }

      // The delivery step runs the conversion as a child delivery the manager steers by its own ID.
      const [child] = (await until(
        async () => (await api.request('GET', `/v1/deliveries/${id}/child-services`, { as: 'viewer' })).body,
        (c) => Array.isArray(c) && c.length === 1,
      )) as { deliveryId: string; serviceType: string; step: string }[];
      expect(child).toMatchObject({ step: 'delivery', serviceType: 'database-conversion' });
      await approveFirstPlanViaApi(api, child!.deliveryId, 90_000);
      const shown = await until(
        async () => (await api.request('GET', `/v1/deliveries/${id}/child-services`, { as: 'viewer' })).body,
        (c) => c[0]?.awaiting === 'acceptance',
        90_000,
      );
      expect(shown[0]).toMatchObject({ phase: 'acceptance', status: 'active' });
      expect(shown[0].progress).toBeGreaterThan(50);
      await confirmAcceptanceViaApi(api, child!.deliveryId, 60_000);

      const after = (await until(
        () => parent.query(deliveryStatusQuery),
        (st) => (st as unknown as Flow).flow.tasks.some((t) => t.stepCode === 'acceptance' && t.status === 'open'),
      )) as unknown as Flow;
      expect(after.flow.tasks.find((t) => t.stepCode === 'delivery')).toMatchObject({ status: 'done', completedBy: 'sdo' });
      expect((await api.request('GET', `/v1/deliveries/${id}/child-services`, { as: 'viewer' })).body[0]).toMatchObject({
        status: 'fulfilled',
        phase: 'completed',
      });
      await parent.terminate('test over');
    } finally {
      rmSync(sqlitePath, { force: true });
      await target.drop();
    }
  });
});

/** Every run of a workflow ID, first to last (continue-as-new chains them). */
async function runsOf(worker: WorkerHarness, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await worker.client.workflow.getHandle(workflowId).describe()).runId;
  // Walk back from the last run through each run's first event (it names the run it continued).
  while (runId) {
    runs.unshift(runId);
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await worker.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    runId = started?.continuedExecutionRunId || undefined;
  }
  return runs;
}
