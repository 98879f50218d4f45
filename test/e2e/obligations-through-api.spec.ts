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
  SupportSubscriptionInput,
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

/** A catalog task as GET /v1/tasks shows it. */
interface TaskView {
  id: string;
  stepCode: string;
  status: string;
  completedBy?: string;
  checklist: { item: string }[];
}

/**
 * Issue #11: what the ongoing products promise, through the control API where a manager acts.
 * Periods are fixed short durations ("a month" of a fraction of a second) on the real dev server.
 */
describe('obligations of long-running products, through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;

  beforeAll(async () => {
    // A "month" of a catalog-started resident service lasts half a second; an on-site package is valid for 4 seconds of visits.
    ({ api, worker } = await startApiAndWorker({}, { env: { SDO_OBLIGATION_MONTH: '500 ms', SDO_PACKAGE_VALIDITY: '4 seconds' } }));
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

  /** Completes the open catalog tasks of step `stepCode` through the tasks API, once they are open. */
  async function completeStepViaApi(id: string, stepCode: string): Promise<void> {
    const open = await until(
      async () => (await api.request('GET', `/v1/tasks?deliveryId=${id}&source=flow&status=open&limit=100`, { as: 'viewer' })).body.items,
      (items: TaskView[]) => items.some((t) => t.stepCode === stepCode),
    );
    for (const task of open.filter((t) => t.stepCode === stepCode)) {
      const r = await api.request('POST', `/v1/tasks/${task.id}/complete`, {
        as: 'manager',
        body: { checked: task.checklist.map((c: { item: string }) => c.item) },
      });
      expect([200, 202]).toContain(r.status);
    }
  }

  /** The catalog task of `stepCode` once it is in `status` (the app database's mirror of the flow). */
  const stepTask = (id: string, stepCode: string, status: string) =>
    until(
      async () => (await api.request('GET', `/v1/tasks?deliveryId=${id}&source=flow&limit=100`, { as: 'viewer' })).body.items,
      (items: TaskView[]) => items.some((t) => t.stepCode === stepCode && t.status === status),
    ).then((items) => items.find((t) => t.stepCode === stepCode)!);

  it('a security delivery runs the contracted items as its task plan: the anti-ransomware check is closed by its time box, the penetration test retested', async () => {
    // The time box is a month at most: here a "month" lasts half a second (SDO_OBLIGATION_MONTH).
    const id = await startDeliveryViaApi(api, {
      serviceType: 'security-protection',
      customerId: CUSTOMER,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      parameters: { items: ['penetration-test', 'anti-ransomware-check'] },
      contractRef: 'CT-SECURITY',
    });
    await completeStepViaApi(id, 'requirements');
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    const expired = await until(tasks, (t) => Array.isArray(t) && t.find((x: { taskId: string }) => x.taskId === 'anti-ransomware-check')?.state === 'expired');
    expect(expired.map((t: { taskId: string }) => t.taskId)).toEqual(['penetration-test', 'anti-ransomware-check']);
    const box = expired.find((x: { taskId: string }) => x.taskId === 'anti-ransomware-check');
    expect(Date.parse(box.closesAt) - Date.parse(box.createdAt)).toBe(500);
    expect(box.remarks).toMatch(/closed by its time box/);
    const complete = (taskId: string) =>
      api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${taskId}/completion`, { as: 'manager', body: { remarks: 'done' } });
    const late = await complete('anti-ransomware-check');
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/expired, not open/);
    await until(
      () => auditActions(id),
      (a) => a.includes('obligation.task-expired'),
    );
    // The step stays open while its plan runs; the plan's completion completes it.
    expect((await stepTask(id, 'delivery', 'open')).status).toBe('open');

    // One inbox: the plan's tasks are listed with the flow's, under their step, with the same filters, and completed through the same route.
    const inbox = async (query: string, as: 'viewer' | 'manager' = 'viewer') => {
      const r = await api.request('GET', `/v1/tasks?${query}&limit=100`, { as });
      expect(r.status).toBe(200);
      return r.body.items.filter((t: { deliveryId: string }) => t.deliveryId === id);
    };
    const items = await until(
      () => inbox(`deliveryId=${id}&source=obligation`),
      (t) => t.length === 2 && t.every((x: { status: string; obligationTaskId: string }) => x.status !== 'open' || x.obligationTaskId === 'penetration-test'),
    );
    expect(items.map((t: TaskView & Record<string, unknown>) => [t.obligationTaskId, t.obligationKind, t.stepCode, t.status, t.completedBy])).toEqual([
      ['penetration-test', 'security-item', 'delivery', 'open', null],
      ['anti-ransomware-check', 'security-item', 'delivery', 'done', 'sdo'],
    ]);
    const pen = items[0];
    expect(pen).toMatchObject({ role: 'security-engineer', assignee: 'max', customerId: CUSTOMER, serviceType: 'security-protection', source: 'obligation' });
    for (const query of [
      'role=security-engineer&status=open',
      'assignee=max&status=open',
      `customerId=${CUSTOMER}&serviceType=security-protection&status=open`,
      'overdue=false&status=open&source=obligation',
    ])
      expect((await inbox(query)).map((t: { id: string }) => t.id)).toContain(pen.id);
    expect(await inbox('role=trainer')).toEqual([]);
    expect(await inbox('serviceType=training')).toEqual([]);
    // Another customer's people do not see it (404 on the task itself), and may not complete it.
    expect((await api.request('GET', `/v1/tasks/${pen.id}`, { as: 'confined' })).status).toBe(404);
    expect((await api.request('POST', `/v1/tasks/${pen.id}/complete`, { as: 'confined', body: {} })).status).toBe(404);
    expect((await api.request('POST', `/v1/tasks/${pen.id}/complete`, { as: 'viewer', body: {} })).status).toBe(403);
    expect((await api.request('POST', `/v1/tasks/${pen.id}/complete`, { as: 'manager', body: { score: 1e308 } })).status).toBe(400);
    expect((await api.request('POST', `/v1/tasks/${items[1].id}/complete`, { as: 'manager', body: {} })).status).toBe(409);
    expect((await api.request('POST', `/v1/tasks/${pen.id}/reopen`, { as: 'manager', body: { reason: 'again' } })).status).toBe(409);
    const done = await api.request('POST', `/v1/tasks/${pen.id}/complete`, { as: 'manager', body: { comment: 'report handed over' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ taskId: 'penetration-test', state: 'done', remarks: 'report handed over', completedBy: 'max' });
    expect((await api.request('GET', `/v1/tasks/${pen.id}`, { as: 'viewer' })).body).toMatchObject({ status: 'done', completedBy: 'max' });
    await until(tasks, (t) => t.some((x: { taskId: string }) => x.taskId === 'penetration-retest'));
    expect((await complete('penetration-retest')).status).toBe(200);

    expect(await stepTask(id, 'delivery', 'done')).toMatchObject({ completedBy: 'sdo' });
    await stepTask(id, 'acceptance', 'open');
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    const plan = worker.client.workflow.getHandle(obligationWorkflowId(delivery.workflowId));
    expect(await plan.result()).toMatchObject({ state: 'completed' });
    await recordHistory(plan, 'taskPlanWorkflow-security-from-catalog');
    const parent = worker.client.workflow.getHandle(delivery.workflowId);
    await parent.terminate('test over');
    await recordHistory(parent, 'catalogFlowDelivery-security-protection-plan-child');
  });

  it('a training delivery runs its course plan and sessions as a task plan; attendance is recorded per session through the API', async () => {
    const id = await startDeliveryViaApi(api, {
      serviceType: 'training',
      customerId: CUSTOMER,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      parameters: { courses: ['General ledger', 'Reporting'], sessions: 2 },
      contractRef: 'CT-TRAINING',
    });
    await completeStepViaApi(id, 'requirements');
    await completeStepViaApi(id, 'design');
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    await until(tasks, (t) => Array.isArray(t) && t.some((x: { taskId: string }) => x.taskId === 'course-plan'));
    const complete = (taskId: string, body: Record<string, unknown>) =>
      api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${taskId}/completion`, { as: 'manager', body });
    expect((await complete('course-plan', { remarks: 'two sessions agreed' })).status).toBe(200);
    const sessions = await until(tasks, (t) => t.filter((x: { kind: string }) => x.kind === 'training-session').length === 2);
    expect(sessions.slice(1).map((t: { taskId: string; title: string }) => [t.taskId, t.title])).toEqual([
      ['session-1', 'Session 1: General ledger'],
      ['session-2', 'Session 2: Reporting'],
    ]);

    // Attendance: each field checked (400), an unknown session or a session without attendance refused (4xx), nothing recorded.
    const bad = await complete('session-1', {
      attendance: [
        { attendee: 'Li Wei', present: 'yes' },
        { attendee: ' ', present: true },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['attendance.0.present', 'attendance.1.attendee']);
    expect((await complete('session-1', { attendance: { attendee: 'Li Wei', present: true } })).status).toBe(400);
    expect((await complete('session-1', { attendance: [{ attendee: 'Li Wei', present: true, constructor: { prototype: {} } }] })).status).toBe(400);
    expect((await complete('session-1', { attendance: [{ attendee: 'Li\u0000Wei', present: true }] })).status).toBe(400);
    const unknown = await complete('session-9', { attendance: [{ attendee: 'Li Wei', present: true }] });
    expect(unknown.status).toBe(409);
    expect(unknown.body.message).toMatch(/no task session-9/);
    expect((await complete('session-1', {})).status).toBe(409);
    expect((await tasks()).find((t: { taskId: string }) => t.taskId === 'session-1')).toMatchObject({ state: 'open' });

    const attendance = [
      { attendee: 'Li Wei', present: true },
      { attendee: 'Zhang Min', present: false },
    ];
    expect((await complete('session-1', { attendance })).body).toMatchObject({ state: 'done', attendance });
    expect((await complete('session-1', { attendance })).status).toBe(409);
    expect((await complete('session-2', { attendance: [{ attendee: 'Li Wei', present: true }] })).status).toBe(200);
    expect(await stepTask(id, 'delivery', 'done')).toMatchObject({ completedBy: 'sdo' });
    await stepTask(id, 'acceptance', 'open');
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    await worker.client.workflow.getHandle(delivery.workflowId).terminate('test over');
  });

  it('a PaaS lab runs its milestones, each with its technical-assurance review, then certification, as the task plan of its lab step', async () => {
    const id = await startDeliveryViaApi(api, { serviceType: 'paas-lab', customerId: CUSTOMER, orderNo: `SO-${randomUUID().slice(0, 8)}`, parameters: {} });
    await completeStepViaApi(id, 'kickoff');
    const tasks = async () => (await api.request('GET', `/v1/deliveries/${id}/obligation-tasks`, { as: 'viewer' })).body;
    const order: string[] = [];
    for (;;) {
      const open = (await until(tasks, (t) => Array.isArray(t) && t.some((x: { state: string }) => x.state === 'open'))).filter(
        (t: { state: string }) => t.state === 'open',
      );
      // One at a time, in order: a review waits for its milestone, the next milestone for the review.
      expect(open).toHaveLength(1);
      order.push(open[0].taskId);
      expect((await api.request('POST', `/v1/deliveries/${id}/obligation-tasks/${open[0].taskId}/completion`, { as: 'manager', body: {} })).status).toBe(200);
      if (open[0].taskId === 'certification') break;
      await until(tasks, (t) => t.some((x: { taskId: string; state: string }) => x.state === 'open' && !order.includes(x.taskId)));
    }
    expect(order).toEqual([
      'requirements',
      'requirements-review',
      'architecture',
      'architecture-review',
      'development-test',
      'development-test-review',
      'deployment',
      'deployment-review',
      'certification',
    ]);
    expect(await stepTask(id, 'lab', 'done')).toMatchObject({ completedBy: 'sdo' });
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    await worker.client.workflow.getHandle(delivery.workflowId).terminate('test over');
  });

  it("takes a support subscription's case SLAs from the order (validated), and holds its cases to them", async () => {
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const start = (caseSla: unknown) =>
      api.request('POST', '/v1/deliveries', {
        as: 'manager',
        headers: { 'idempotency-key': randomUUID() },
        body: {
          serviceType: 'custom-dev-maintenance',
          customerId: CUSTOMER,
          orderNo,
          contractRef: 'CT-SLA',
          parameters: { startsOn: new Date().toISOString().slice(0, 10), endsOn: `${new Date().getUTCFullYear() + 1}-12-31`, caseSla },
        },
      });
    const refused: [unknown, string[]][] = [
      [{ respondWithinHours: 8, resolveWithinHours: 4 }, ['parameters.caseSla.resolveWithinHours']],
      [{ respondWithinHours: 0, resolveWithinHours: -1 }, ['parameters.caseSla.resolveWithinHours', 'parameters.caseSla.respondWithinHours']],
      [{ respondWithinHours: 1e308, resolveWithinHours: 1e308 }, ['parameters.caseSla.resolveWithinHours', 'parameters.caseSla.respondWithinHours']],
      [{ respondWithinHours: '4', resolveWithinHours: 40 }, ['parameters.caseSla.respondWithinHours']],
      [{ respondWithinHours: 4 }, ['parameters.caseSla.resolveWithinHours']],
      ['4 hours', ['parameters.caseSla']],
      [{ respondWithinHours: 4, resolveWithinHours: 40, constructor: { prototype: { polluted: true } } }, ['parameters.caseSla.constructor']],
    ];
    for (const [caseSla, fields] of refused) {
      const r = await start(caseSla);
      expect({ caseSla, status: r.status }).toEqual({ caseSla, status: 400 });
      expect([...new Set(r.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(fields);
    }
    // Nothing was stored from the refused starts: the order is still free.
    const started = await start({ respondWithinHours: 4, resolveWithinHours: 40 });
    expect(started.status).toBe(202);
    const id = started.body.id;
    await completeStepViaApi(id, 'requirements');
    await completeStepViaApi(id, 'onboarding');
    await until(
      () => api.request('GET', `/v1/deliveries/${id}/cases`, { as: 'viewer' }),
      (r) => r.status === 200,
    );
    const opened = await api.request('POST', `/v1/deliveries/${id}/cases`, { as: 'manager', body: { title: 'Custom report times out' } });
    expect(opened.status).toBe(201);
    const shown = (await api.request('GET', `/v1/deliveries/${id}/cases/${opened.body.caseNo}`, { as: 'viewer' })).body;
    expect(Date.parse(shown.respondDueAt) - Date.parse(shown.openedAt)).toBe(4 * 3_600_000);
    expect(Date.parse(shown.resolveDueAt) - Date.parse(shown.openedAt)).toBe(40 * 3_600_000);

    // The case waits on someone: it is in the inbox, due at its SLA, and each completion there takes its next action.
    const row = async () =>
      (await api.request('GET', `/v1/tasks?deliveryId=${id}&source=obligation`, { as: 'viewer' })).body.items as (TaskView & Record<string, unknown>)[];
    expect(await row()).toEqual([
      expect.objectContaining({ obligationTaskId: 'case-1', obligationKind: 'support-case', stepCode: 'support', status: 'open', dueAt: shown.respondDueAt }),
    ]);
    const caseTask = (await row())[0]!;
    const act = (body: Record<string, unknown>) => api.request('POST', `/v1/tasks/${caseTask.id}/complete`, { as: 'manager', body });
    const noNote = await act({});
    expect(noNote.status).toBe(400);
    expect(noNote.body.details).toEqual([expect.objectContaining({ field: 'comment' })]);
    expect((await act({ comment: 'Looking at the report query' })).body).toMatchObject({ state: 'responded' });
    expect((await row())[0]).toMatchObject({ status: 'open', dueAt: shown.resolveDueAt, nameEn: expect.stringMatching(/\(resolve\)$/) });
    expect((await act({ comment: 'Index added' })).body).toMatchObject({ state: 'resolved' });
    expect((await act({ comment: 'Customer confirmed' })).body).toMatchObject({ state: 'confirmed' });
    expect((await row())[0]).toMatchObject({ status: 'done', completedBy: 'max' });
    expect((await act({ comment: 'again' })).status).toBe(409);
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    await worker.client.workflow.getHandle(delivery.workflowId).terminate('test over');
  });

  it('an on-site package closes when its validity ends, with the unused person-days left and no more visits taken', async () => {
    const id = await startDeliveryViaApi(api, {
      serviceType: 'onsite-package',
      customerId: CUSTOMER,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      parameters: { personDays: 12, validUntil: `${new Date().getUTCFullYear() + 1}-06-30` },
    });
    await completeStepViaApi(id, 'kickoff');
    await stepTask(id, 'visits', 'open');
    const visit = (date: string) =>
      api.request('POST', `/v1/deliveries/${id}/person-days`, {
        as: 'manager',
        body: { date, consultant: 'Li Wei', level: 'intermediate', days: 1.5, work: 'Month-end close support' },
      });
    expect((await visit(new Date().toISOString().slice(0, 10))).status).toBe(200);
    const ledger = async () => (await api.request('GET', `/v1/deliveries/${id}/person-days`, { as: 'viewer' })).body;
    expect(await until(ledger, (l) => l.closed === 'expired')).toMatchObject({ total: 12, used: 1.5, balance: 10.5, closed: 'expired' });
    const late = await visit(new Date().toISOString().slice(0, 10));
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/package is closed \(expired\)/);
    expect((await ledger()).entries).toHaveLength(1);
    expect(await stepTask(id, 'visits', 'done')).toMatchObject({ completedBy: 'sdo' });
    await stepTask(id, 'confirmation', 'open');
    const audit = (await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body as { detail: { note?: string } }[];
    expect(audit.some((e) => /10\.5 person-day\(s\) unused/.test(e.detail.note ?? ''))).toBe(true);
    const delivery = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    await worker.client.workflow.getHandle(delivery.workflowId).terminate('test over');
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
