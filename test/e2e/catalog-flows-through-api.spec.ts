import { randomUUID } from 'node:crypto';
import type { ApiTestApp } from '@sdo/api/testing';
import { TOKENS } from '@sdo/api/testing';
import { CATALOG_FLOW_CODES, CatalogFlowCode } from '@sdo/contracts';
import { recordHistory } from '../support/histories';
import { startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(300_000);

const CUSTOMER = 'ACME';
const nextYear = `${new Date().getUTCFullYear() + 1}`;

/** Valid parameters of each product, as a manager sends them. */
const PARAMETERS: Record<CatalogFlowCode, Record<string, unknown>> = {
  'custom-dev-maintenance': { startsOn: `${nextYear}-01-01`, endsOn: `${nextYear}-12-31` },
  'maintenance-development': {},
  'private-deployment-ops': { operationsUntil: `${nextYear}-12-31` },
  'environment-deployment': {},
  'system-migration': {},
  'performance-optimization': { assignees: { engineer: 'zhao.lei' } },
  xinchuang: {},
  'security-protection': { items: ['vulnerability-scan', 'penetration-test'] },
  'cloud-audit': {},
  'data-adjustment-cleanup': {},
  'chart-of-accounts-restructuring': { scope: 'New group chart of accounts from 2027' },
  training: { courses: ['General ledger'], sessions: 2 },
  'business-diagnosis': {},
  'application-enhancement': {},
  'onsite-package': { personDays: 12, validUntil: `${nextYear}-06-30` },
  'onsite-service': { personDays: 1, level: 'senior-and-above' },
  'resident-service': { months: 1, startsOn: `${nextYear}-01-04`, level: 'intermediate' },
  'paas-lab': {},
  'legacy-version-ops': { startsOn: `${nextYear}-01-01`, endsOn: `${nextYear}-12-31` },
};

interface FlowStep {
  code: string;
  kind: 'task' | 'gate' | 'automated';
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Saves the closed run's history for the replay spec (SDO_RECORD_HISTORIES=1). */
async function saveHistory(worker: WorkerHarness, workflowId: string, name: string): Promise<void> {
  const handle = worker.client.workflow.getHandle(workflowId);
  await handle.result().catch(() => undefined);
  await recordHistory(handle, `catalogFlowDelivery-${name}`);
}

/** The open tasks of a delivery, once some exist at `stepIndex` (the workflow opens them right after the previous step). */
async function openTasksAt(api: ApiTestApp, deliveryId: string, stepIndex: number, timeoutMs = 60_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The steps' own tasks: obligations' tasks (security items, sessions) are driven in obligations-through-api.
    const r = await api.request('GET', `/v1/tasks?deliveryId=${deliveryId}&source=flow&status=open&limit=100`, { as: 'viewer' });
    expect(r.status).toBe(200);
    const open = r.body.items as any[];
    if (open.length && open.every((t) => t.stepIndex === stepIndex)) return open;
    if (Date.now() > deadline) throw new Error(`no open task at step ${stepIndex}; open: ${JSON.stringify(open)}`);
    await pause(50);
  }
}

async function completeTask(api: ApiTestApp, task: any, extra: Record<string, unknown> = {}) {
  const body = {
    checked: task.checklist.map((c: { item: string }) => c.item),
    ...(task.kind === 'gate' ? { signedBy: 'Wang Fang (customer)', reference: `REF-${task.stepCode}` } : {}),
    ...extra,
  };
  return api.request('POST', `/v1/tasks/${task.id}/complete`, { as: 'manager', body });
}

function recordVisit(api: ApiTestApp, deliveryId: string, days: number, date = new Date().toISOString().slice(0, 10), extra: Record<string, unknown> = {}) {
  return api.request('POST', `/v1/deliveries/${deliveryId}/person-days`, {
    as: 'manager',
    body: { date, consultant: 'Li Wei', level: 'senior-and-above', days, work: 'Month-end close support', ...extra },
  });
}

/** Drives a delivery through its flow as people would: completes each step's tasks, logs visits on ledger steps. Returns the step codes in the order done. */
async function driveToCompletion(api: ApiTestApp, deliveryId: string, flow: FlowStep[], personDays?: number): Promise<string[]> {
  const done: string[] = [];
  for (const [index, step] of flow.entries()) {
    const open = await openTasksAt(api, deliveryId, index);
    expect(open.every((t) => t.stepCode === step.code)).toBe(true);
    if (step.kind === 'automated') {
      // The ledger step closes itself when the person-days are used up.
      let left = personDays ?? 0;
      while (left > 0) {
        const days = Math.min(4, left);
        expect((await recordVisit(api, deliveryId, days)).status).toBe(200);
        left -= days;
      }
    } else {
      for (const task of open) {
        const r = await completeTask(api, task);
        // 202: no worker took it within the API's deadline (a loaded machine); it is taken when one does.
        expect({ step: step.code, status: r.status, body: r.status < 300 ? undefined : r.body }).toEqual({
          step: step.code,
          status: r.status === 202 ? 202 : 200,
          body: undefined,
        });
      }
    }
    done.push(step.code);
  }
  return done;
}

describe('every catalog product that is a flow of human work, through the API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  const flows = new Map<string, FlowStep[]>();

  beforeAll(async () => {
    // Many deliveries are driven at once, polling tightly: more than one person's request budget.
    ({ api, worker } = await startApiAndWorker({}, { rateLimit: { limit: 100_000 } }));
    const catalog = await api.request('GET', '/v1/catalog/services', { as: 'viewer' });
    expect(catalog.status).toBe(200);
    for (const service of catalog.body) flows.set(service.code, service.deliveryFlow);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('lists every product with its flow and whether each step is automated', async () => {
    const catalog = (await api.request('GET', '/v1/catalog/services', { as: 'viewer' })).body as any[];
    expect(catalog.length).toBe(5 + CATALOG_FLOW_CODES.length);
    const performance = catalog.find((s) => s.code === 'performance-optimization');
    expect(performance.deliveryFlow.map((s: any) => s.zh)).toEqual(['系统巡检', '性能诊断', '方案设计', '性能优化', '服务保障']);
    expect(performance.automated).toBe(false);
    for (const service of catalog) for (const step of service.deliveryFlow) expect(step.automated).toBe(step.kind === 'automated');
    expect(catalog.find((s) => s.code === 'upgrade').automated).toBe(true);
  });

  describe('each product, started and driven side by side (one delivery each)', () => {
    /** What happened to each product's delivery: the steps done, in order, or why it failed. */
    const outcomes = new Map<CatalogFlowCode, Promise<{ id: string; done: string[] }>>();

    beforeAll(() => {
      // A few deliveries at a time: the machine is shared, and a worker starved of CPU answers late.
      const lanes: Promise<void>[] = Array.from({ length: 4 }, () => Promise.resolve());
      CATALOG_FLOW_CODES.forEach((code, i) => {
        const parameters = PARAMETERS[code];
        const personDays = typeof parameters['personDays'] === 'number' ? parameters['personDays'] : undefined;
        const outcome = lanes[i % lanes.length]!.then(async () => {
          const id = await startDeliveryViaApi(api, { serviceType: code, customerId: CUSTOMER, orderNo: `SO-${code}`, parameters });
          return { id, done: await driveToCompletion(api, id, flows.get(code)!, personDays) };
        });
        lanes[i % lanes.length] = outcome.then(
          () => undefined,
          () => undefined,
        );
        outcomes.set(code, outcome);
      });
    });

    it.each(CATALOG_FLOW_CODES)('%s: starts through POST /v1/deliveries and is driven through its own flow, in catalog order', async (code) => {
      const flow = flows.get(code)!;
      const { id, done } = await outcomes.get(code)!;
      expect(done).toEqual(flow.map((s) => s.code));

      const completed = await waitForDelivery(api, id, (d) => d.phase === 'completed', 60_000);
      expect(completed.progress).toBe(100);
      const tasks = (await api.request('GET', `/v1/tasks?deliveryId=${id}&source=flow&limit=100`, { as: 'viewer' })).body.items as any[];
      expect(tasks.every((t) => t.status === 'done')).toBe(true);
      expect([...new Set(tasks.map((t) => t.stepCode))]).toEqual(flow.map((s) => s.code));
      // The contracted items are the tasks of the step's plan (obligation-tasks), not tasks of the step.
      if (code === 'security-protection') expect(tasks.filter((t) => t.stepCode === 'delivery')).toHaveLength(1);
      if (['security-protection', 'cloud-audit', 'onsite-service'].includes(code)) await saveHistory(worker, completed.workflowId, `${code}-completed`);
    });
  });

  describe('the on-site package (现场服务包)', () => {
    let id: string;

    beforeAll(async () => {
      id = await startDeliveryViaApi(api, {
        serviceType: 'onsite-package',
        customerId: CUSTOMER,
        orderNo: `SO-pkg-${randomUUID().slice(0, 8)}`,
        parameters: PARAMETERS['onsite-package'],
      });
      const [kickoff] = await openTasksAt(api, id, 0);
      expect((await completeTask(api, kickoff)).status).toBe(200);
      await openTasksAt(api, id, 1);
    });

    it('refuses an overdraw with 409 and records nothing; closes when used up', async () => {
      expect((await recordVisit(api, id, 11.5)).status).toBe(200);
      const overdraw = await recordVisit(api, id, 1);
      expect(overdraw.status).toBe(409);
      expect(overdraw.body.message).toMatch(/overdraw/);
      const ledger = await api.request('GET', `/v1/deliveries/${id}/person-days`, { as: 'viewer' });
      expect(ledger.status).toBe(200);
      expect(ledger.body).toMatchObject({ total: 12, used: 11.5, balance: 0.5 });
      expect(ledger.body.entries).toHaveLength(1);

      expect((await recordVisit(api, id, 0.5)).status).toBe(200);
      const [confirmation] = await openTasksAt(api, id, 2);
      expect(confirmation.stepCode).toBe('confirmation');
      expect((await api.request('GET', `/v1/deliveries/${id}/person-days`, { as: 'viewer' })).body).toMatchObject({ used: 12, balance: 0, closed: 'used-up' });
      const closed = await recordVisit(api, id, 0.5);
      expect(closed.status).toBe(409);
      expect(closed.body.message).toMatch(/closed/);
      expect((await completeTask(api, confirmation)).status).toBe(200);
      const completed = await waitForDelivery(api, id, (d) => d.phase === 'completed', 60_000);
      await saveHistory(worker, completed.workflowId, 'onsite-package-overdraw-refused');
    });

    it('refuses half-day violations and impossible dates with 400 naming the field', async () => {
      for (const [days, field] of [
        [0.3, 'days'],
        [0, 'days'],
        [-1, 'days'],
      ] as const) {
        const r = await recordVisit(api, id, days);
        expect(r.status).toBe(400);
        expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      for (const date of ['2026-02-30', '2026-13-01', 'yesterday']) {
        const r = await recordVisit(api, id, 1, date);
        expect(r.status).toBe(400);
        expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'date' })]));
      }
    });
  });

  it('reminds and escalates an overdue task on the gate policy, and finds it with overdue=true', async () => {
    // The contract's own SLA: the first step is due within about two seconds.
    const id = await startDeliveryViaApi(api, {
      serviceType: 'business-diagnosis',
      customerId: CUSTOMER,
      orderNo: `SO-late-${randomUUID().slice(0, 8)}`,
      parameters: { slaDays: { 'tool-install': 0.000025 } },
      gatePolicy: { reminderEvery: '1 second', escalateAfter: '2 seconds' },
    });
    const [task] = await openTasksAt(api, id, 0);
    const deadline = Date.now() + 60_000;
    let seen: any;
    while (Date.now() < deadline) {
      seen = (await api.request('GET', `/v1/tasks/${task.id}`, { as: 'viewer' })).body;
      if (seen.escalated) break;
      await pause(200);
    }
    expect(seen).toMatchObject({ overdue: true, escalated: true, status: 'open' });
    const overdue = await api.request('GET', `/v1/tasks?customerId=${CUSTOMER}&overdue=true&limit=100`, { as: 'viewer' });
    expect(overdue.body.items.map((t: { id: string }) => t.id)).toContain(task.id);
    const actions = ((await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' })).body as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['task.reminder', 'task.escalation']));

    expect((await completeTask(api, task)).status).toBe(200);
    const after = await api.request('GET', `/v1/tasks?deliveryId=${id}&overdue=true`, { as: 'viewer' });
    expect(after.body.total).toBe(0);
  });

  describe('what a start refuses', () => {
    const start = (serviceType: string, parameters: unknown, extra: Record<string, unknown> = {}) =>
      api.request('POST', '/v1/deliveries', {
        as: 'manager',
        body: { serviceType, customerId: CUSTOMER, orderNo: `SO-${randomUUID().slice(0, 8)}`, parameters, ...extra },
        headers: { 'idempotency-key': randomUUID() },
      });

    it.each([
      ['onsite-package', { personDays: 13, validUntil: `${nextYear}-06-30` }, 'parameters.personDays'],
      ['onsite-package', { personDays: 12, validUntil: `${nextYear}-02-30` }, 'parameters.validUntil'],
      ['onsite-package', { personDays: 12, validUntil: '2020-01-01' }, 'parameters.validUntil'],
      ['onsite-service', { personDays: 0.5, level: 'junior' }, 'parameters.personDays'],
      ['resident-service', { months: 0, startsOn: `${nextYear}-01-04`, level: 'junior' }, 'parameters.months'],
      ['security-protection', { items: [] }, 'parameters.items'],
      ['legacy-version-ops', { startsOn: `${nextYear}-06-01`, endsOn: `${nextYear}-01-01` }, 'parameters.endsOn'],
      ['paas-lab', { slaDays: { 'not-a-step': 3 } }, 'parameters.slaDays.not-a-step'],
      ['paas-lab', { slaDays: { kickoff: 0 } }, 'parameters.slaDays'],
    ])('%s with %j → 400 on %s, nothing stored', async (serviceType, parameters, field) => {
      const before = (await api.request('GET', `/v1/deliveries?serviceType=${serviceType}&limit=100`, { as: 'viewer' })).body.total;
      const r = await start(serviceType, parameters);
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect((await api.request('GET', `/v1/deliveries?serviceType=${serviceType}&limit=100`, { as: 'viewer' })).body.total).toBe(before);
    });

    it('refuses a cutover window for a catalog flow', async () => {
      const flow = await start('paas-lab', {}, { cutoverWindow: { startsAt: `${nextYear}-01-01T22:00:00Z`, durationMinutes: 60 } });
      expect(flow.status).toBe(400);
      expect(flow.body.details).toEqual([expect.objectContaining({ field: 'cutoverWindow' })]);
    });
  });

  describe('attacks on tasks', () => {
    let task: any;

    beforeAll(async () => {
      const id = await startDeliveryViaApi(api, {
        serviceType: 'business-diagnosis', // plain tasks: the PaaS lab's second step now runs its milestone plan
        customerId: CUSTOMER,
        orderNo: `SO-lab-${randomUUID().slice(0, 8)}`,
        parameters: {},
      });
      [task] = await openTasksAt(api, id, 0);
    });

    const upload = (taskId: string, body: Buffer, contentType: string, name = 'report.pdf') =>
      fetch(`${api.baseUrl}/v1/tasks/${taskId}/evidence/files?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.manager}`, 'content-type': contentType },
        body,
      });

    it('answers 404 for an unknown task, and for another customer’s task', async () => {
      const unknown = randomUUID();
      expect((await api.request('GET', `/v1/tasks/${unknown}`, { as: 'viewer' })).status).toBe(404);
      expect((await completeTask(api, { id: unknown, checklist: [], kind: 'task' })).status).toBe(404);
      expect((await api.request('GET', '/v1/tasks/not-a-uuid', { as: 'viewer' })).status).toBe(400);
      // An identity confined to another customer: the task does not exist for it.
      expect((await api.request('GET', `/v1/tasks/${task.id}`, { as: 'confined' })).status).toBe(404);
      expect((await api.request('POST', `/v1/tasks/${task.id}/complete`, { as: 'confined', body: { checked: [] } })).status).toBe(404);
      expect((await api.request('POST', `/v1/tasks/${task.id}/evidence`, { as: 'confined', body: { note: 'x' } })).status).toBe(404);
      const list = await api.request('GET', `/v1/tasks?customerId=${CUSTOMER}`, { as: 'confined' });
      expect(list.body).toMatchObject({ items: [], total: 0 });
      expect((await api.request('POST', `/v1/tasks/${task.id}/complete`, { as: 'viewer', body: {} })).status).toBe(403);
    });

    it('refuses NUL in notes, non-http links, and a note and a link at once', async () => {
      const nul = await api.request('POST', `/v1/tasks/${task.id}/evidence`, { as: 'manager', body: { note: 'visit\u0000notes' } });
      expect(nul.status).toBe(400);
      expect((await api.request('POST', `/v1/tasks/${task.id}/evidence`, { as: 'manager', body: { url: 'javascript:alert(1)' } })).status).toBe(400);
      expect((await api.request('POST', `/v1/tasks/${task.id}/evidence`, { as: 'manager', body: { note: 'a', url: 'https://x.example' } })).status).toBe(400);
      expect((await api.request('GET', `/v1/tasks/${task.id}/evidence`, { as: 'viewer' })).body).toEqual([]);
    });

    it('keeps notes, links and files within limits: huge → 413, wrong type → 415, nothing stored', async () => {
      expect((await api.request('POST', `/v1/tasks/${task.id}/evidence`, { as: 'manager', body: { note: 'Kick-off held with the CIO' } })).status).toBe(201);
      const pdf = Buffer.from('%PDF-1.4 minimal');
      const stored = await upload(task.id, pdf, 'application/pdf');
      expect(stored.status).toBe(201);
      const file = (await stored.json()) as { id: string };
      expect(file).toMatchObject({ kind: 'file', fileName: 'report.pdf', contentType: 'application/pdf', size: pdf.length });
      const back = await fetch(`${api.baseUrl}/v1/tasks/${task.id}/evidence/${file.id}/content`, { headers: { authorization: `Bearer ${TOKENS.viewer}` } });
      expect(Buffer.from(await back.arrayBuffer())).toEqual(pdf);

      expect((await upload(task.id, Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'application/pdf')).status).toBe(413);
      const wrongType = await upload(task.id, Buffer.from('<script>'), 'text/html');
      expect(wrongType.status).toBe(415);
      expect((await upload(task.id, Buffer.from('MZ'), 'application/x-msdownload')).status).toBe(415);
      expect((await upload(task.id, Buffer.alloc(0), 'application/pdf')).status).toBe(400);
      expect((await upload(task.id, pdf, 'application/pdf', '../../etc/passwd')).status).toBe(400);
      const evidence = (await api.request('GET', `/v1/tasks/${task.id}/evidence`, { as: 'viewer' })).body as any[];
      expect(evidence.map((e) => e.kind)).toEqual(['note', 'file']);
    });

    it('refuses completing with unticked checklist items or twice (409), and reopening an open task', async () => {
      const unticked = await api.request('POST', `/v1/tasks/${task.id}/complete`, { as: 'manager', body: { checked: [] } });
      expect(unticked.status).toBe(409);
      expect(unticked.body.message).toMatch(/Checklist items not ticked/);
      expect((await api.request('POST', `/v1/tasks/${task.id}/reopen`, { as: 'manager', body: { reason: 'again' } })).status).toBe(409);
      expect((await completeTask(api, task)).status).toBe(200);
      expect((await completeTask(api, task)).status).toBe(409);
      // Reopening the done task takes the flow back to it; the next step's task goes back to pending.
      const [next] = await openTasksAt(api, task.deliveryId, 1);
      const reopened = await api.request('POST', `/v1/tasks/${task.id}/reopen`, { as: 'manager', body: { reason: 'the CIO wants another session' } });
      expect(reopened.status).toBe(200);
      const again = await openTasksAt(api, task.deliveryId, 0);
      expect(again.map((t) => t.id)).toEqual([task.id]);
      expect((await api.request('GET', `/v1/tasks/${next.id}`, { as: 'viewer' })).body.status).toBe('pending');

      expect(
        (await api.request('POST', `/v1/deliveries/${task.deliveryId}/cancellation`, { as: 'manager', body: { reason: 'customer postponed' } })).status,
      ).toBe(202);
      const cancelled = await waitForDelivery(api, task.deliveryId, (d) => d.phase === 'cancelled', 60_000);
      await saveHistory(worker, cancelled.workflowId, 'reopened-then-cancelled');
    });
  });
});
