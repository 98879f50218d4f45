import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { GatePolicy } from './delivery';

/**
 * What the catalog's ongoing products promise, enforced by workflows: support cases with SLAs
 * (定制开发维护, 历史版本基础运维), monthly SLA assessments of a resident consultant (驻场服务),
 * recurring O&M (私有部署与运维支持), and task plans with follow-ups and time boxes (安全防护,
 * 培训, 苍穹 PaaS 实验室). Types, message definitions and the pure rules the workflows apply.
 */

export const OBLIGATION_WORKFLOW_TYPES = {
  supportSubscription: 'supportSubscriptionWorkflow',
  supportCase: 'supportCaseWorkflow',
  recurringService: 'recurringServiceWorkflow',
  taskPlan: 'taskPlanWorkflow',
} as const;

/** The workflow that carries a delivery's obligations: a child of the delivery, named after it. */
export function obligationWorkflowId(deliveryWorkflowId: string): string {
  return `${deliveryWorkflowId}:obligations`;
}

export function supportCaseWorkflowId(subscriptionWorkflowId: string, caseNo: number): string {
  return `${subscriptionWorkflowId}:case-${caseNo}`;
}

/** Period lengths are calendar months unless a test (or a contract) names a fixed duration. */
export type PeriodLength = 'month' | Duration;

/** The instant `periods` periods after `startsAt`: calendar months keep the day of month (clamped to the month's end). */
export function periodBoundary(startsAt: string, period: PeriodLength, periods: number): string {
  const start = new Date(startsAt);
  if (period !== 'month') return new Date(start.getTime() + msToNumber(period) * periods).toISOString();
  const day = start.getUTCDate();
  const target = new Date(
    Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + periods, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  target.setUTCMilliseconds(start.getUTCMilliseconds());
  return target.toISOString();
}

export function addDuration(at: string, duration: Duration): string {
  return new Date(Date.parse(at) + msToNumber(duration)).toISOString();
}

// ---- support cases -------------------------------------------------------------------------------

export const SUPPORT_CASE_STATES = ['opened', 'responded', 'resolved', 'confirmed'] as const;
export type SupportCaseState = (typeof SUPPORT_CASE_STATES)[number];
export type SupportCaseAction = 'respond' | 'resolve' | 'confirm';

const NEXT_STATE: Record<SupportCaseAction, { from: SupportCaseState; to: SupportCaseState }> = {
  respond: { from: 'opened', to: 'responded' },
  resolve: { from: 'responded', to: 'resolved' },
  confirm: { from: 'resolved', to: 'confirmed' },
};

/** The state an action leads to, or why it is out of order (→ 409). */
export function caseTransition(state: SupportCaseState, action: SupportCaseAction): { to: SupportCaseState } | { refused: string } {
  const rule = NEXT_STATE[action];
  if (state === rule.from) return { to: rule.to };
  return { refused: `The case is ${state}; it can be ${pastTense(action)} only when it is ${rule.from}.` };
}

function pastTense(action: SupportCaseAction): string {
  return action === 'respond' ? 'responded to' : action === 'resolve' ? 'resolved' : 'confirmed';
}

/** Response and resolution SLAs of a subscription's cases, counted from the case's opening. */
export interface CaseSla {
  respondWithin: Duration;
  resolveWithin: Duration;
}

export type CaseDeadline = 'response' | 'resolution';

/** Which SLA the case is now held to: response until it is responded to, then resolution until resolved. */
export function pendingDeadline(state: SupportCaseState): CaseDeadline | undefined {
  return state === 'opened' ? 'response' : state === 'responded' ? 'resolution' : undefined;
}

export interface SupportCaseInput {
  deliveryId: string;
  /** The subscription the case belongs to; the case tells it of every change. */
  subscriptionWorkflowId: string;
  caseNo: number;
  title: string;
  description?: string;
  openedBy: string;
  openedAt: string;
  sla: CaseSla;
  gatePolicy: GatePolicy;
}

export interface CaseEvent {
  at: string;
  note: string;
}

export interface SupportCaseStatus {
  caseNo: number;
  workflowId: string;
  title: string;
  state: SupportCaseState;
  openedBy: string;
  openedAt: string;
  respondDueAt: string;
  resolveDueAt: string;
  respondedAt?: string;
  resolvedAt?: string;
  confirmedAt?: string;
  /** The SLAs the case missed; each escalated once. */
  escalated: CaseDeadline[];
  reminders: number;
  events: CaseEvent[];
}

export interface CaseAnswer {
  by: string;
  note: string;
}

export const supportCaseStatusQuery = defineQuery<SupportCaseStatus>('supportCaseStatus');
export const respondCaseUpdate = defineUpdate<SupportCaseStatus, [CaseAnswer]>('respondCase');
export const resolveCaseUpdate = defineUpdate<SupportCaseStatus, [CaseAnswer]>('resolveCase');
export const confirmCaseUpdate = defineUpdate<SupportCaseStatus, [CaseAnswer]>('confirmCase');

// ---- support subscriptions -----------------------------------------------------------------------

export interface SubscriptionPeriod {
  startsAt: string;
  endsAt: string;
}

export interface SupportSubscriptionInput {
  deliveryId: string;
  /** The delivery's workflow ID: its cases are named after it (see obligationWorkflowId). */
  deliveryWorkflowId: string;
  serviceType: string;
  customerId: string;
  period: SubscriptionPeriod;
  sla: CaseSla;
  gatePolicy: GatePolicy;
  /** Continue-as-new after this many cases opened in one run (history stays bounded). */
  casesPerRun?: number;
  /** Set by continue-as-new: what the previous run carried over. */
  carried?: SupportSubscriptionState;
}

export interface CaseSummary {
  caseNo: number;
  workflowId: string;
  title: string;
  state: SupportCaseState;
  escalated: CaseDeadline[];
}

export interface SupportSubscriptionState {
  period: SubscriptionPeriod;
  cases: CaseSummary[];
  renewals: { endsAt: string; by: string }[];
  run: number;
}

export interface SupportSubscriptionStatus extends SupportSubscriptionState {
  deliveryId: string;
  serviceType: string;
  state: 'active' | 'ended';
}

export interface CaseOpening {
  title: string;
  description?: string;
  openedBy: string;
}

export interface SubscriptionRenewal {
  endsAt: string;
  renewedBy: string;
}

export const supportSubscriptionStatusQuery = defineQuery<SupportSubscriptionStatus>('supportSubscriptionStatus');
export const openCaseUpdate = defineUpdate<CaseSummary, [CaseOpening]>('openCase');
export const renewSubscriptionUpdate = defineUpdate<SupportSubscriptionStatus, [SubscriptionRenewal]>('renewSubscription');
/** A case tells its subscription of each change (the subscription's run may have continued as new). */
export const caseChangedSignal = defineSignal<[CaseSummary]>('caseChanged');

// ---- obligation tasks (assessments, O&M, plan items) ---------------------------------------------

/** What an obligation task is; each kind says what completing it needs. */
export const OBLIGATION_TASK_KINDS = [
  'sla-assessment',
  'patch',
  'backup-check',
  'environment-inspection',
  'security-item',
  'retest',
  'course-plan',
  'training-session',
  'milestone',
  'technical-review',
  'certification',
] as const;
export type ObligationTaskKind = (typeof OBLIGATION_TASK_KINDS)[number];

export type ObligationTaskState = 'open' | 'done' | 'expired';

export interface Attendance {
  attendee: string;
  present: boolean;
}

export interface ObligationTask {
  taskId: string;
  kind: ObligationTaskKind;
  title: string;
  /** For recurring tasks: the period (1-based) the task belongs to. */
  period?: number;
  createdAt: string;
  dueAt?: string;
  /** A time box: the task is closed as `expired` at this instant if still open. */
  closesAt?: string;
  state: ObligationTaskState;
  completedBy?: string;
  completedAt?: string;
  remarks?: string;
  /** SLA assessments: 0–100. */
  score?: number;
  attendance?: Attendance[];
}

export interface ObligationTaskCompletion {
  taskId: string;
  completedBy: string;
  remarks?: string;
  score?: number;
  attendance?: Attendance[];
}

/** Why a completion is refused (→ 409 when the task is not open, 400-like text otherwise); undefined when it is fine. */
export function completionProblem(task: ObligationTask | undefined, completion: ObligationTaskCompletion): string | undefined {
  if (!task) return `There is no task ${completion?.taskId}.`;
  if (task.state !== 'open') return `Task ${task.taskId} is ${task.state}, not open.`;
  if (typeof completion.completedBy !== 'string' || !completion.completedBy.trim()) return 'completedBy must be a non-empty text';
  if (task.kind === 'sla-assessment') {
    const score = completion.score;
    if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 100) return 'score must be a whole number from 0 to 100';
    if (typeof completion.remarks !== 'string' || !completion.remarks.trim()) return 'remarks must be a non-empty text';
  }
  if (task.kind === 'training-session' && (!Array.isArray(completion.attendance) || completion.attendance.length === 0)) {
    return 'attendance must list who attended the session';
  }
  return undefined;
}

export const obligationTasksQuery = defineQuery<ObligationTask[]>('obligationTasks');
export const completeObligationTaskUpdate = defineUpdate<ObligationTask, [ObligationTaskCompletion]>('completeObligationTask');

// ---- recurring services (resident consultant, O&M) -----------------------------------------------

export type RecurringServiceKind = 'resident-service' | 'private-deployment-ops';

/** Which tasks each period brings, and every how many periods. */
export interface RecurringTaskSpec {
  kind: ObligationTaskKind;
  title: string;
  everyPeriods: number;
}

/** 驻场服务: one SLA assessment a month. 私有部署与运维支持: patches monthly, backup checks monthly, an environment inspection every quarter. */
export const RECURRING_SCHEDULES: Record<RecurringServiceKind, RecurringTaskSpec[]> = {
  'resident-service': [{ kind: 'sla-assessment', title: 'Monthly SLA assessment of the resident consultant', everyPeriods: 1 }],
  'private-deployment-ops': [
    { kind: 'patch', title: 'Apply the product patches of the month', everyPeriods: 1 },
    { kind: 'backup-check', title: 'Check that backups ran and restore', everyPeriods: 1 },
    { kind: 'environment-inspection', title: 'Inspect the environment (hosts, database, capacity)', everyPeriods: 3 },
  ],
};

/** The tasks period `period` (1-based) brings. */
export function tasksForPeriod(kind: RecurringServiceKind, period: number, openedAt: string, dueAt: string): ObligationTask[] {
  return RECURRING_SCHEDULES[kind]
    .filter((spec) => (period - 1) % spec.everyPeriods === 0)
    .map((spec) => ({
      taskId: `${spec.kind}-${period}`,
      kind: spec.kind,
      title: `${spec.title} (period ${period})`,
      period,
      createdAt: openedAt,
      dueAt,
      state: 'open',
    }));
}

/** 驻场服务 is sold for at least one month. */
export const MIN_RESIDENT_MONTHS = 1;

export interface RecurringServiceInput {
  deliveryId: string;
  kind: RecurringServiceKind;
  startsAt: string;
  /** How many periods the contract covers; renewals add to it. */
  periods: number;
  periodLength: PeriodLength;
  /** Continue-as-new after this many periods in one run (default 12), or when Temporal suggests it. */
  periodsPerRun?: number;
  carried?: RecurringServiceState;
}

export interface RecurringServiceState {
  /** Periods whose tasks were created. */
  periodsStarted: number;
  periods: number;
  tasks: ObligationTask[];
  renewals: { periods: number; by: string }[];
  /** Set when a manager ended the service before its periods were over. */
  endReason?: string;
  run: number;
}

export interface RecurringServiceStatus extends RecurringServiceState {
  deliveryId: string;
  kind: RecurringServiceKind;
  state: 'running' | 'ended';
  nextPeriodAt?: string;
  endsAt: string;
}

export interface ServiceRenewal {
  periods: number;
  renewedBy: string;
}

export const recurringServiceStatusQuery = defineQuery<RecurringServiceStatus>('recurringServiceStatus');
export const renewServiceUpdate = defineUpdate<RecurringServiceStatus, [ServiceRenewal]>('renewService');
export const endServiceUpdate = defineUpdate<RecurringServiceStatus, [{ endedBy: string; reason: string }]>('endService');

// ---- task plans (security items, training, PaaS lab) ---------------------------------------------

export const SECURITY_ITEMS = [
  'security-patching',
  'antivirus',
  'edr',
  'vulnerability-scan',
  'penetration-test',
  'anti-ransomware-check',
  'periodic-inspection',
  'security-training',
  'virtual-patching',
  'zero-trust',
] as const;
export type SecurityItem = (typeof SECURITY_ITEMS)[number];

/** The anti-ransomware check is time-boxed to at most one month (the catalog's promise). */
export const ANTI_RANSOMWARE_MAX = '30 days';

export interface PlannedTask {
  taskId: string;
  kind: ObligationTaskKind;
  title: string;
  /** Opened once these tasks are done (or expired). */
  after?: string[];
  /** Closed as expired this long after it opens. */
  timeBox?: Duration;
}

export interface TaskPlanInput {
  deliveryId: string;
  plan: PlannedTask[];
}

export interface TaskPlanStatus {
  deliveryId: string;
  state: 'running' | 'completed';
  tasks: ObligationTask[];
  waiting: string[];
}

export const taskPlanStatusQuery = defineQuery<TaskPlanStatus>('taskPlanStatus');

/**
 * The tasks of the security items the manager contracted: one per item, a retest after the
 * penetration test, the anti-ransomware check time-boxed (to at most a month; `antiRansomwareBox`
 * may only shorten it).
 */
export function securityPlan(items: readonly SecurityItem[], antiRansomwareBox: Duration = ANTI_RANSOMWARE_MAX): PlannedTask[] {
  const box = msToNumber(antiRansomwareBox) <= msToNumber(ANTI_RANSOMWARE_MAX) ? antiRansomwareBox : ANTI_RANSOMWARE_MAX;
  return [...new Set(items)].flatMap((item): PlannedTask[] => {
    const task: PlannedTask = { taskId: item, kind: 'security-item', title: item };
    if (item === 'anti-ransomware-check') return [{ ...task, timeBox: box }];
    if (item === 'penetration-test')
      return [task, { taskId: 'penetration-retest', kind: 'retest', title: 'Retest after the fixes of the penetration test', after: [item] }];
    return [task];
  });
}

/** 培训: a course plan, then each session (attendance recorded). */
export function trainingPlan(sessions: readonly string[]): PlannedTask[] {
  return [
    { taskId: 'course-plan', kind: 'course-plan', title: 'Agree the course plan' },
    ...sessions.map((title, i): PlannedTask => ({ taskId: `session-${i + 1}`, kind: 'training-session', title, after: ['course-plan'] })),
  ];
}

export const PAAS_MILESTONES = ['requirements', 'architecture', 'development-test', 'deployment'] as const;

/** 苍穹 PaaS 实验室: each milestone, then its technical-assurance review, in order; certification last. */
export function paasLabPlan(): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  let previous: string | undefined;
  for (const milestone of PAAS_MILESTONES) {
    tasks.push({ taskId: milestone, kind: 'milestone', title: `Milestone: ${milestone}`, ...(previous ? { after: [previous] } : {}) });
    tasks.push({ taskId: `${milestone}-review`, kind: 'technical-review', title: `Technical-assurance review of ${milestone}`, after: [milestone] });
    previous = `${milestone}-review`;
  }
  tasks.push({ taskId: 'certification', kind: 'certification', title: 'Certification', after: [previous!] });
  return tasks;
}

/** Tasks of a plan that may open now: not yet opened, every prerequisite closed. */
export function openableTasks(plan: readonly PlannedTask[], tasks: readonly ObligationTask[]): PlannedTask[] {
  const closed = new Set(tasks.filter((t) => t.state !== 'open').map((t) => t.taskId));
  const opened = new Set(tasks.map((t) => t.taskId));
  return plan.filter((p) => !opened.has(p.taskId) && (p.after ?? []).every((id) => closed.has(id)));
}

/** Problems of a plan (unknown or cyclic prerequisites, duplicate IDs); empty when every task can open. */
export function planProblems(plan: readonly PlannedTask[]): string[] {
  const ids = new Set<string>();
  const problems: string[] = [];
  for (const p of plan) {
    if (ids.has(p.taskId)) problems.push(`task ${p.taskId} appears twice`);
    ids.add(p.taskId);
  }
  for (const p of plan) for (const id of p.after ?? []) if (!ids.has(id)) problems.push(`task ${p.taskId} waits for unknown task ${id}`);
  // Every task must become openable when its prerequisites close.
  const done: ObligationTask[] = [];
  for (let progress = true; progress;) {
    const next = openableTasks(plan, done);
    progress = next.length > 0;
    for (const p of next) done.push({ taskId: p.taskId, kind: p.kind, title: p.title, createdAt: '', state: 'done' });
  }
  if (!problems.length && done.length !== plan.length) problems.push('the plan has tasks waiting on each other in a cycle');
  return problems;
}

// ---- activities ----------------------------------------------------------------------------------

/** Something an obligation did that people must hear of (a reminder, an escalation, a task opened or closed). */
export interface ObligationNotice {
  deliveryId: string;
  /** Audit action, e.g. `case.escalation`, `obligation.task-expired`. */
  action: string;
  actor?: string;
  detail: Record<string, string | number | boolean | null>;
}

export interface ObligationActivities {
  /** Appends the notice to the delivery's audit trail (the notification outbox, as for gates). */
  recordObligation(notice: ObligationNotice): Promise<void>;
}

// ---- child services ------------------------------------------------------------------------------

/** What a catalog step's automated child service (a database conversion inside 信创 or 系统迁移) is asked to do. */
export interface ChildServiceRequest {
  environments: Record<string, string>;
  parameters: Record<string, unknown>;
  /** When the child's cutover may start; by default at once. */
  cutoverWindow?: { startsAt: string; durationMinutes: number };
}

/** The child's own delivery record (so managers steer and read it like any delivery); claimed once per parent step. */
export interface ChildDeliveryClaim {
  parentDeliveryId: string;
  stepCode: string;
  workflowId: string;
  serviceType: string;
  customerId: string;
  orderNo: string;
  environments: Record<string, string>;
  parameters: Record<string, unknown>;
  cutoverWindow: { startsAt: string; durationMinutes: number };
  contractRef?: string;
}

/** The child delivery's order number: the parent's, with the step (kept within the 64 characters an order number may have). */
export function childOrderNo(parentOrderNo: string, stepCode: string): string {
  const suffix = `-${stepCode}`.slice(0, 20);
  return `${parentOrderNo.slice(0, 64 - suffix.length)}${suffix}`;
}

export interface ChildServiceActivities {
  /** Claims (or finds) the child's delivery record and returns its ID. */
  claimChildDelivery(claim: ChildDeliveryClaim): Promise<{ deliveryId: string }>;
}
