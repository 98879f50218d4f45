import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CatalogFlowActivities,
  CatalogFlowInput,
  CatalogFlowResult,
  CatalogFlowState,
  CatalogTask,
  CatalogTaskSearchAttributes,
  ChildServiceActivities,
  completeTaskUpdate,
  CONSULTANT_LEVELS,
  DeliverySearchAttributes,
  DeliveryStatus,
  deliveryStatusQuery,
  durationMs,
  endOfDayUtc,
  FlowStepDefinition,
  isHalfDaySteps,
  LifecycleActivities,
  OBLIGATION_WORKFLOW_TYPES,
  PERSON_DAYS_OVERDRAWN,
  PersonDayRecord,
  personDayLedgerQuery,
  recordPersonDaysUpdate,
  reopenTaskUpdate,
  TaskCompletion,
  TaskReopening,
  TERMINAL_PHASES,
} from '@sdo/contracts';
import { activityProfiles, bookkeepingActivities, deliveryActivities } from '../lifecycle/activity-profiles';
import { obligationChild } from '../obligations/from-catalog';

const stateBookkeeping = bookkeepingActivities<Pick<LifecycleActivities, 'recordDeliveryState'>>();
const taskBook = deliveryActivities<CatalogFlowActivities>(activityProfiles.bookkeeping);
const childServices = deliveryActivities<ChildServiceActivities>(activityProfiles.bookkeeping);

const DAY_MS = 24 * 3600 * 1000;
const MAX_EVENTS = 50;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Steps whose obligation runs as a child workflow (support cases, SLA assessments, O&M) are completed by it. */
const OBLIGATION_CHILDREN = 'obligation-children';
/** Security items, training sessions and PaaS milestones run as a task-plan child (they were tasks of the step before). */
const TASK_PLAN_CHILDREN = 'obligation-task-plans';

/**
 * 交付流程 as a workflow: runs any catalog product that is a flow of human work from the flow
 * definition in its input. Each step opens its tasks (role, assignee, SLA due date, checklist) and
 * waits until people complete them (Updates); overdue tasks are reminded and escalated on the gate
 * policy. Gates are tasks the manager signs for the customer. Automated steps are done by the
 * workflow itself (the person-day ledger). Everything lives in one serialisable object, `state`,
 * whose `obligations` carry what a product promises beyond its flow.
 */
export async function catalogFlowDelivery(input: CatalogFlowInput): Promise<CatalogFlowResult> {
  return new CatalogFlowRun(input).execute();
}

class CatalogFlowRun {
  private readonly status: DeliveryStatus & { flow: CatalogFlowState };
  /** Bumped by every Update that changes a task or the ledger: the step loop wakes on it. */
  private changes = 0;
  /** Set by a reopening of an earlier step's task: the flow goes back there. */
  private rewindTo: number | undefined;
  /** Tasks opened in this run: numbers the task IDs. */
  private tasksOpened = 0;
  /** The step whose tasks a child service completes when it is accepted (people cannot). */
  private childStep: number | undefined;
  /** The last write of each task to the app database (see recordTask). */
  private readonly taskWrites = new Map<string, Promise<void>>();

  constructor(private readonly input: CatalogFlowInput) {
    const ledger = input.personDays
      ? { total: input.personDays.total, validUntil: input.personDays.validUntil, entries: [], used: 0, balance: input.personDays.total }
      : undefined;
    this.status = {
      deliveryId: input.deliveryId,
      serviceType: input.serviceType,
      phase: 'delivering',
      step: 'starting',
      progress: 0,
      ...(input.contractRef ? { contractRef: input.contractRef } : {}),
      plans: [],
      reports: [],
      reminders: 0,
      escalated: false,
      events: [],
      flow: {
        serviceType: input.serviceType,
        current: 0,
        flow: input.flow,
        tasks: [],
        ...(ledger ? { ledger } : {}),
        obligations: input.obligations.map((o) => ({ ...o, status: 'pending' as const })),
      },
    };
    this.registerHandlers();
  }

  private get state(): CatalogFlowState {
    return this.status.flow;
  }

  async execute(): Promise<CatalogFlowResult> {
    try {
      while (this.state.current < this.state.flow.length) {
        const index = this.state.current;
        await this.runStep(index);
        const back = this.rewindTo;
        this.rewindTo = undefined;
        this.state.current = back ?? index + 1;
      }
      this.status.phase = 'completed';
      this.status.progress = 100;
      this.status.step = 'completed';
      await this.publish('every step of the flow is done');
      await condition(allHandlersFinished);
      return {
        deliveryId: this.input.deliveryId,
        outcome: 'completed',
        tasks: this.state.tasks.length,
        ...(this.state.ledger ? { ledger: this.state.ledger } : {}),
      };
    } catch (err) {
      await CancellationScope.nonCancellable(async () => {
        this.status.phase = isCancellation(err) ? 'cancelled' : 'failed';
        if (!isCancellation(err))
          this.status.lastFailure = { phase: 'delivering', type: 'CatalogFlowError', message: err instanceof Error ? err.message : String(err) };
        await this.publish(
          isCancellation(err) ? `Delivery cancelled during ${this.status.step}` : `Delivery failed: ${this.status.lastFailure?.message ?? ''}`,
        );
      });
      throw err;
    }
  }

  // ---- steps -----------------------------------------------------------------------------------

  private async runStep(index: number): Promise<void> {
    const step = this.state.flow[index]!;
    if (!this.tasksOf(index).length) this.state.tasks.push(...this.newTasks(index, step));
    this.status.step = `${step.zh} (${step.en})`;
    this.status.progress = Math.round((index / this.state.flow.length) * 100);
    // One round trip: the delivery's state and the step's tasks are recorded side by side.
    const opening = this.tasksOf(index).filter((task) => task.status === 'pending');
    for (const task of opening) this.open(task, step);
    await Promise.all([
      this.publish(`step ${index + 1}/${this.state.flow.length}: ${this.status.step}`),
      ...opening.map((task) => this.recordTask(task, `task opened: ${task.zh} (${task.en}) for ${task.assignee}, due ${task.dueAt}`)),
    ]);

    // A contract given at the start signs the contract gate.
    if (step.kind === 'gate' && step.code === 'contract' && this.input.contractRef) {
      for (const task of this.tasksOf(index).filter((t) => t.status === 'open')) {
        this.finish(task, { taskId: task.taskId, completedBy: 'sdo', signedBy: 'given at start', reference: this.input.contractRef });
        await this.recordTask(task, `contract ${this.input.contractRef} given at the start`);
      }
    }
    const child = step.kind === 'task' ? obligationChild(this.input, step.code, Date.now()) : undefined;
    if (step.kind === 'automated' && step.automation === 'person-day-ledger') await this.runLedger(index);
    else if (child && patched(child.workflowType === OBLIGATION_WORKFLOW_TYPES.taskPlan ? TASK_PLAN_CHILDREN : OBLIGATION_CHILDREN))
      await this.runObligation(index, child);
    else await this.watch(index);
  }

  /**
   * A task ID unique across runs without the workflow's random numbers: interceptors (tracing) draw
   * from the same seeded generator, so uuid4() would differ between a run and its replay. The run ID
   * (a UUID) with its last 32 bits XORed with the run's task count.
   */
  private nextTaskId(): string {
    const runId = workflowInfo().runId;
    const tail = (Number.parseInt(runId.slice(-8), 16) ^ ++this.tasksOpened) >>> 0;
    return `${runId.slice(0, -8)}${tail.toString(16).padStart(8, '0')}`;
  }

  private newTasks(index: number, step: FlowStepDefinition): CatalogTask[] {
    const items = step.items?.length ? step.items : [undefined];
    return items.map((item) => ({
      taskId: this.nextTaskId(),
      stepIndex: index,
      stepCode: step.code,
      ...(item ? { itemCode: item.code } : {}),
      zh: item ? `${step.zh}：${item.zh}` : step.zh,
      en: item ? `${step.en}: ${item.en}` : step.en,
      kind: step.kind,
      role: step.role,
      assignee: this.input.assignees[step.role] ?? this.input.defaultAssignee,
      status: 'pending',
      checklist: step.checklist.map((item) => ({ item, done: false })),
      reopened: 0,
      overdue: false,
      reminders: 0,
      escalated: false,
    }));
  }

  private open(task: CatalogTask, step: FlowStepDefinition): void {
    const now = Date.now();
    task.status = 'open';
    task.openedAt = new Date(now).toISOString();
    task.dueAt = new Date(now + step.dueDays * DAY_MS).toISOString();
    task.overdue = false;
    task.reminders = 0;
    task.escalated = false;
    for (const c of task.checklist) c.done = false;
  }

  /** Waits until every task of the step is done (or the flow goes back), reminding and escalating overdue ones. */
  private async watch(index: number): Promise<void> {
    const reminderMs = durationMs(this.input.gatePolicy.reminderEvery);
    const escalateMs = durationMs(this.input.gatePolicy.escalateAfter);
    for (;;) {
      if (this.rewindTo !== undefined) return;
      const open = this.tasksOf(index).filter((t) => t.status === 'open');
      if (!open.length) return;
      let next = Infinity;
      for (const t of open) {
        const due = Date.parse(t.dueAt!);
        if (!t.overdue) next = Math.min(next, due);
        else {
          next = Math.min(next, due + (t.reminders + 1) * reminderMs);
          if (!t.escalated) next = Math.min(next, due + escalateMs);
        }
      }
      const seen = this.changes;
      await condition(() => this.changes !== seen || this.rewindTo !== undefined, Math.max(next - Date.now(), 1));
      const now = Date.now();
      for (const t of open) {
        if (t.status !== 'open') continue;
        const due = Date.parse(t.dueAt!);
        if (!t.overdue && now >= due) {
          t.overdue = true;
          await this.recordTask(t, `task overdue: ${t.zh} (${t.en}), assigned to ${t.assignee}`);
          await this.publish(`overdue: ${t.zh}`);
        }
        if (t.overdue && !t.escalated && now >= due + escalateMs) {
          t.escalated = true;
          await taskBook.notifyTask({
            deliveryId: this.input.deliveryId,
            taskId: t.taskId,
            assignee: t.assignee,
            kind: 'escalation',
            dueAt: t.dueAt!,
            reminderCount: t.reminders,
          });
          await this.recordTask(t, `task escalated: ${t.zh}`);
        }
        if (t.overdue && now >= due + (t.reminders + 1) * reminderMs) {
          t.reminders += 1;
          await taskBook.notifyTask({
            deliveryId: this.input.deliveryId,
            taskId: t.taskId,
            assignee: t.assignee,
            kind: 'reminder',
            dueAt: t.dueAt!,
            reminderCount: t.reminders,
          });
        }
      }
    }
  }

  /** 现场服务: the step lasts until the person-days are used up or the validity ends. */
  private async runLedger(index: number): Promise<void> {
    const ledger = this.state.ledger;
    if (!ledger) throw ApplicationFailure.nonRetryable('a person-day ledger step needs personDays in the input', 'CatalogFlowError');
    const obligation = this.state.obligations.find((o) => o.kind === 'person-day-ledger');
    if (obligation) obligation.status = 'active';
    const closesAfter = this.input.personDays?.closesAfter;
    const closesAt = closesAfter
      ? Date.now() + durationMs(closesAfter as Parameters<typeof durationMs>[0])
      : ledger.validUntil
        ? endOfDayUtc(ledger.validUntil)
        : undefined;
    const ended = () => ledger.closed !== undefined || this.rewindTo !== undefined;
    if (closesAt === undefined) await condition(ended);
    else if (!(await condition(ended, Math.max(closesAt - Date.now(), 1))) && !ledger.closed) ledger.closed = 'expired';
    if (this.rewindTo !== undefined) return;
    if (obligation) obligation.status = 'fulfilled';
    for (const task of this.tasksOf(index).filter((t) => t.status === 'open')) {
      this.finish(task, { taskId: task.taskId, completedBy: 'sdo' });
      const why =
        ledger.closed === 'used-up' ? `all ${ledger.total} person-days used` : `validity ended on ${ledger.validUntil}, ${ledger.balance} person-day(s) unused`;
      await this.recordTask(task, `package closed: ${why}`);
    }
  }

  /**
   * The step's obligation runs as a child workflow (its own history, continued as new over months);
   * the step is done when the child is: its tasks are completed by SDO.
   */
  private async runObligation(index: number, child: NonNullable<ReturnType<typeof obligationChild>>): Promise<void> {
    const obligation = this.state.obligations.find((o) => o.step === this.state.flow[index]!.code && o.kind === child.kind);
    let args = child.args;
    let childDeliveryId: string | undefined;
    if (child.claim) {
      // A child service is a delivery of its own: managers steer it (plan, acceptance) through its ID.
      childDeliveryId = (await childServices.claimChildDelivery(child.claim)).deliveryId;
      args = [{ ...args[0], deliveryId: childDeliveryId }];
    }
    if (child.claim) this.childStep = index;
    const handle = await startChild(child.workflowType, {
      workflowId: child.workflowId,
      args,
      // A cancelled delivery cancels its obligation; cases it opened go on (they are abandoned by their subscription).
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    if (obligation) {
      obligation.status = 'active';
      obligation.state = { workflowId: child.workflowId, ...(childDeliveryId ? { deliveryId: childDeliveryId } : {}) };
    }
    await this.publish(`obligation ${child.kind} running as ${child.workflowId}`);
    // The people who own the step may also close it (the service ended early, the contract was settled):
    // then the obligation's workflow is cancelled. A child service's step is closed only by its acceptance.
    const served = handle.result().then(
      () => 'fulfilled' as const,
      () => 'ended' as const,
    );
    const closedByPeople = condition(() => this.tasksOf(index).every((t) => t.status === 'done')).then(() => 'closed' as const);
    const outcome = await Promise.race([served, closedByPeople]);
    if (outcome === 'closed') {
      this.childStep = undefined;
      if (obligation) obligation.status = 'ended';
      await getExternalWorkflowHandle(child.workflowId).cancel();
      await this.publish(`obligation ${child.kind} closed with its step; ${child.workflowId} cancelled`);
      return;
    }
    if (outcome === 'ended') {
      // The child failed or was cancelled on its own: the step goes back to the people who own it.
      this.childStep = undefined;
      if (obligation) obligation.status = 'ended';
      await this.publish(`obligation ${child.kind} ended without fulfilment (${child.workflowId}); the step's tasks are open for people`);
      await this.watch(index);
      return;
    }
    this.childStep = undefined;
    if (obligation) obligation.status = 'fulfilled';
    for (const task of this.tasksOf(index).filter((t) => t.status === 'open')) {
      this.finish(task, { taskId: task.taskId, completedBy: 'sdo' });
      await this.recordTask(task, `obligation ${child.kind} fulfilled${childDeliveryId ? ` (child delivery ${childDeliveryId} accepted)` : ''}`);
    }
  }

  // ---- handlers --------------------------------------------------------------------------------

  private registerHandlers(): void {
    setHandler(deliveryStatusQuery, () => this.status);
    setHandler(personDayLedgerQuery, () => this.state.ledger ?? null);

    setHandler(
      completeTaskUpdate,
      async (c) => {
        const task = this.task(c.taskId);
        this.finish(task, c);
        this.changes += 1;
        await this.recordTask(task, `task completed by ${c.completedBy}: ${task.zh} (${task.en})${c.comment ? `: ${c.comment}` : ''}`, c.completedBy);
        return this.status;
      },
      { validator: (c) => this.validateCompletion(c) },
    );

    setHandler(
      reopenTaskUpdate,
      async (r) => {
        const task = this.task(r.taskId);
        const changed: CatalogTask[] = [task];
        if (task.stepIndex < this.state.current) {
          // Back to that step: what came after it is worked again when the flow gets there.
          for (const later of this.state.tasks) {
            if (later.stepIndex > task.stepIndex && later.status !== 'pending') {
              later.status = 'pending';
              changed.push(later);
            }
          }
          this.rewindTo = task.stepIndex;
        }
        task.status = task.stepIndex < this.state.current ? 'pending' : 'open';
        task.reopened += 1;
        delete task.completedAt;
        delete task.completedBy;
        if (task.status === 'open') {
          for (const c of task.checklist) c.done = false;
          task.dueAt = new Date(Date.now() + this.state.flow[task.stepIndex]!.dueDays * DAY_MS).toISOString();
          task.overdue = false;
        }
        this.changes += 1;
        for (const t of changed)
          await this.recordTask(t, t === task ? `task reopened by ${r.reopenedBy}: ${t.zh}: ${r.reason}` : `task back to pending: ${t.zh}`, r.reopenedBy);
        return this.status;
      },
      { validator: (r) => this.validateReopening(r) },
    );

    setHandler(
      recordPersonDaysUpdate,
      async (entry) => {
        const ledger = this.state.ledger!;
        ledger.entries.push({ ...entry });
        ledger.used += entry.days;
        ledger.balance = ledger.total - ledger.used;
        if (ledger.balance <= 0) ledger.closed = 'used-up';
        this.changes += 1;
        await this.publish(
          `person-days: ${entry.days} on ${entry.date} by ${entry.consultant} (${entry.level}): ${entry.work}; balance ${ledger.balance}/${ledger.total}`,
          entry.recordedBy,
        );
        return this.status;
      },
      { validator: (entry) => this.validatePersonDays(entry) },
    );
  }

  private validateCompletion(c: TaskCompletion): void {
    this.expectRunning();
    const task = this.task(c?.taskId);
    requireText(c.completedBy, 'completedBy');
    if (task.status !== 'open') throw new Error(`Task ${task.taskId} (${task.en}) is ${task.status === 'done' ? 'already done' : 'not open yet'}.`);
    if (task.kind === 'automated') throw new Error(`Task ${task.taskId} (${task.en}) is done by SDO itself (e.g. when the person-days are used up).`);
    if (task.stepIndex === this.childStep) throw new Error(`Task ${task.taskId} (${task.en}) is done by SDO when its child delivery is accepted.`);
    const checked = new Set(Array.isArray(c.checked) ? c.checked : []);
    const missing = task.checklist.filter((i) => !i.done && !checked.has(i.item)).map((i) => i.item);
    if (missing.length) throw new Error(`Checklist items not ticked: ${missing.join('; ')}.`);
    if (task.kind === 'gate') {
      requireText(c.signedBy, 'signedBy');
      if (this.state.flow[task.stepIndex]!.requires === 'reference') requireText(c.reference, 'reference');
    }
  }

  private validateReopening(r: TaskReopening): void {
    this.expectRunning();
    const task = this.task(r?.taskId);
    requireText(r.reopenedBy, 'reopenedBy');
    requireText(r.reason, 'reason');
    if (task.status !== 'done') throw new Error(`Task ${task.taskId} (${task.en}) is not done, so it cannot be reopened.`);
    if (task.kind === 'automated') throw new Error(`Task ${task.taskId} (${task.en}) is done by SDO itself and cannot be reopened.`);
  }

  private validatePersonDays(entry: PersonDayRecord): void {
    this.expectRunning();
    const ledger = this.state.ledger;
    if (!ledger) throw new Error(`${this.input.serviceType} has no person-day ledger.`);
    if (ledger.closed) throw new Error(`The package is closed (${ledger.closed}): no more person-days can be recorded.`);
    if (!isHalfDaySteps(entry?.days)) throw new Error('days must be a positive number of half days (0.5, 1, 1.5 …)');
    if (typeof entry.date !== 'string' || !ISO_DATE.test(entry.date) || Number.isNaN(Date.parse(entry.date))) throw new Error('date must be YYYY-MM-DD');
    if (ledger.validUntil && entry.date > ledger.validUntil)
      throw new Error(`The package is valid until ${ledger.validUntil}; a visit on ${entry.date} is outside it.`);
    requireText(entry.consultant, 'consultant');
    requireText(entry.work, 'work');
    if (!(CONSULTANT_LEVELS as readonly string[]).includes(entry.level)) throw new Error(`level must be one of ${CONSULTANT_LEVELS.join(', ')}`);
    if (entry.days > ledger.balance) {
      throw ApplicationFailure.create({
        type: PERSON_DAYS_OVERDRAWN,
        nonRetryable: true,
        message: `${entry.days} person-day(s) would overdraw the package: ${ledger.balance} of ${ledger.total} left.`,
      });
    }
  }

  private expectRunning(): void {
    if (this.status.phase !== 'delivering') throw new Error(`The delivery is ${this.status.phase}.`);
  }

  // ---- state -----------------------------------------------------------------------------------

  private task(taskId: unknown): CatalogTask {
    const task = this.state.tasks.find((t) => t.taskId === taskId);
    if (!task) throw new Error(`Task ${String(taskId)} is not a task of this delivery.`);
    return task;
  }

  private tasksOf(index: number): CatalogTask[] {
    return this.state.tasks.filter((t) => t.stepIndex === index);
  }

  private finish(task: CatalogTask, c: TaskCompletion): void {
    task.status = 'done';
    task.completedAt = new Date().toISOString();
    task.completedBy = c.completedBy;
    task.overdue = false;
    for (const item of task.checklist) item.done = true;
    if (c.signedBy) task.signedBy = c.signedBy;
    if (c.reference) task.reference = c.reference;
  }

  /**
   * Mirrors the task into the app database. Writes of one task are chained: a handler's write and
   * the step loop's must reach the database in the order they were made.
   */
  private recordTask(task: CatalogTask, note: string, actor?: string): Promise<void> {
    this.pushEvent(note);
    const snapshot: CatalogTask = { ...task, checklist: task.checklist.map((c) => ({ ...c })) };
    const record = {
      deliveryId: this.input.deliveryId,
      customerId: this.input.customerId,
      serviceType: this.input.serviceType,
      task: snapshot,
      note,
      ...(actor ? { actor } : {}),
    };
    const written = (this.taskWrites.get(task.taskId) ?? Promise.resolve()).then(() => taskBook.recordCatalogTask(record));
    this.taskWrites.set(
      task.taskId,
      written.catch(() => undefined),
    );
    return written;
  }

  private pushEvent(note: string): void {
    this.status.events.push({ at: new Date().toISOString(), phase: this.status.phase, note });
    if (this.status.events.length > MAX_EVENTS) this.status.events.splice(0, this.status.events.length - MAX_EVENTS);
  }

  /** Search attributes for the Temporal UI, the app database's delivery row and the audit trail. */
  private async publish(note: string, actor?: string): Promise<void> {
    this.pushEvent(note);
    const open = this.state.tasks.filter((t) => t.status === 'open');
    upsertSearchAttributes([
      { key: DeliverySearchAttributes.serviceType, value: this.input.serviceType },
      { key: DeliverySearchAttributes.customerId, value: this.input.customerId },
      { key: DeliverySearchAttributes.phase, value: this.status.phase },
      { key: DeliverySearchAttributes.step, value: this.state.flow[this.state.current]?.code ?? 'done' },
      { key: DeliverySearchAttributes.awaiting, value: 'none' },
      { key: DeliverySearchAttributes.progress, value: this.status.progress },
      { key: CatalogTaskSearchAttributes.assignee, value: open[0]?.assignee ?? 'none' },
      { key: CatalogTaskSearchAttributes.overdue, value: open.some((t) => t.overdue) },
    ]);
    await stateBookkeeping().recordDeliveryState({
      deliveryId: this.input.deliveryId,
      phase: this.status.phase,
      step: this.status.step,
      progress: this.status.progress,
      awaiting: null,
      note,
      actor,
      ...(this.status.lastFailure ? { failure: this.status.lastFailure } : {}),
      // The last state: the app database keeps it for reads after Temporal's retention.
      ...(TERMINAL_PHASES.includes(this.status.phase) ? { finalStatus: this.status } : {}),
    });
  }
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${field} must be a non-empty text`);
}
