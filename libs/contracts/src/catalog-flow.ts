import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DeliveryStatus, GatePolicy } from './delivery';
import type { CatalogFlowCode } from './service-types';

/**
 * The catalog-flow workflow (`catalogFlowDelivery`) runs every product that is a flow of human work:
 * each step of the catalog's 交付流程 becomes one or more tasks with a role, an assignee, a due date
 * and a checklist. Its definition travels in the start input, so a run keeps the flow it started with.
 */

/** `task`: people do it; `gate`: the customer signs off (contract, acceptance); `automated`: the workflow does it (e.g. a ledger or a child service). */
export const FLOW_STEP_KINDS = ['task', 'gate', 'automated'] as const;
export type FlowStepKind = (typeof FLOW_STEP_KINDS)[number];

/** Who does a task. Gates are recorded by the delivery manager on the customer's behalf. */
export const TASK_ROLES = ['delivery-manager', 'consultant', 'engineer', 'security-engineer', 'trainer', 'architect'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/** What an automated step waits for. More kinds (child services, time boxes) hang off `obligations`. */
export type AutomatedStepKind = 'person-day-ledger';

export interface FlowStepDefinition {
  /** Machine name of the step, unique in its flow (e.g. `contract`). */
  code: string;
  zh: string;
  en: string;
  kind: FlowStepKind;
  role: TaskRole;
  /** SLA: days from opening until the task is due. */
  dueDays: number;
  checklist: string[];
  /** Gates only: what signing needs besides the signatory (`reference`: a contract reference). */
  requires?: 'reference';
  /** Automated steps only. */
  automation?: AutomatedStepKind;
  /** One task per item instead of one for the step (e.g. the security items a customer contracted). */
  items?: { code: string; zh: string; en: string }[];
}

/**
 * Something a product promises beyond its flow (monthly assessments, recurring O&M, time boxes,
 * support cases, child services). The catalog lists them per product; the workflow keeps their
 * state in `CatalogFlowState.obligations` (extension point: each kind adds its own `state`).
 */
export interface ObligationDefinition {
  kind: string;
  /** Step code the obligation belongs to, if any. */
  step?: string;
  /** Kind-specific settings, serialisable. */
  settings?: Record<string, unknown>;
}

export interface ObligationState extends ObligationDefinition {
  status: 'pending' | 'active' | 'fulfilled' | 'ended';
  state?: Record<string, unknown>;
}

/** 现场服务包 / 现场服务: how many person-days the order buys and until when. */
export interface PersonDayAllowance {
  total: number;
  /** ISO date (YYYY-MM-DD); the package closes at the end of that day (UTC) if not used up. */
  validUntil?: string;
  /** Demos and tests (SDO_PACKAGE_VALIDITY): the package closes this long after its visits start, not at the end of validUntil. */
  closesAfter?: string;
}

export interface CatalogFlowInput {
  deliveryId: string;
  serviceType: CatalogFlowCode;
  customerId: string;
  orderNo: string;
  parameters: Record<string, unknown>;
  flow: FlowStepDefinition[];
  /** Role → person; roles not named go to `defaultAssignee`. */
  assignees: Partial<Record<TaskRole, string>>;
  defaultAssignee: string;
  personDays?: PersonDayAllowance;
  obligations: ObligationDefinition[];
  /** Reminders after a task's due date, escalation after it: the gate policy. */
  gatePolicy: GatePolicy;
  /** Reference of the signed contract: a contract gate is then signed at once. */
  contractRef?: string;
}

export const TASK_STATUSES = ['pending', 'open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface ChecklistItem {
  item: string;
  done: boolean;
}

export interface CatalogTask {
  /** UUID, made by the workflow; the app database's task row has the same ID. */
  taskId: string;
  stepIndex: number;
  stepCode: string;
  /** Set for per-item tasks. */
  itemCode?: string;
  zh: string;
  en: string;
  kind: FlowStepKind;
  role: TaskRole;
  assignee: string;
  status: TaskStatus;
  openedAt?: string;
  dueAt?: string;
  checklist: ChecklistItem[];
  completedAt?: string;
  completedBy?: string;
  /** Gate: who signed for the customer, and the reference (contract number …). */
  signedBy?: string;
  reference?: string;
  reopened: number;
  overdue: boolean;
  reminders: number;
  escalated: boolean;
}

export const CONSULTANT_LEVELS = ['junior', 'intermediate', 'senior-and-above'] as const;
export type ConsultantLevel = (typeof CONSULTANT_LEVELS)[number];

export interface PersonDayEntry {
  /** ISO date of the visit. */
  date: string;
  consultant: string;
  level: ConsultantLevel;
  /** In half-day steps: 0.5, 1, 1.5 … */
  days: number;
  work: string;
  recordedBy: string;
}

export interface PersonDayLedger {
  total: number;
  validUntil?: string;
  entries: PersonDayEntry[];
  used: number;
  balance: number;
  /** Why the package closed: used up, or its validity ended. */
  closed?: 'used-up' | 'expired';
}

export interface CatalogFlowState {
  serviceType: CatalogFlowCode;
  /** Index of the step being worked; `flow.length` when the flow is through. */
  current: number;
  flow: FlowStepDefinition[];
  tasks: CatalogTask[];
  ledger?: PersonDayLedger;
  obligations: ObligationState[];
}

// ---- Update payloads ----------------------------------------------------------------------------

export interface TaskCompletion {
  taskId: string;
  completedBy: string;
  /** Checklist items ticked with the completion (by text); all must be ticked to complete. */
  checked?: string[];
  signedBy?: string;
  reference?: string;
  comment?: string;
}

export interface TaskReopening {
  taskId: string;
  reopenedBy: string;
  reason: string;
}

export type PersonDayRecord = PersonDayEntry;

/** The refusal type of a ledger entry that would overdraw the package (→ 409, nothing recorded). */
export const PERSON_DAYS_OVERDRAWN = 'PersonDaysOverdrawn';

export const completeTaskUpdate = defineUpdate<DeliveryStatus, [TaskCompletion]>('completeTask');
export const reopenTaskUpdate = defineUpdate<DeliveryStatus, [TaskReopening]>('reopenTask');
export const recordPersonDaysUpdate = defineUpdate<DeliveryStatus, [PersonDayRecord]>('recordPersonDays');
export const personDayLedgerQuery = defineQuery<PersonDayLedger | null>('personDayLedger');

/** Whether `days` is a positive number of half days. */
export function isHalfDaySteps(days: unknown): days is number {
  return typeof days === 'number' && Number.isFinite(days) && days > 0 && Number.isInteger(days * 2);
}

// ---- Activities ---------------------------------------------------------------------------------

/** A task as the app database mirrors it (lists, filters, evidence hang off it). */
export interface CatalogTaskRecord {
  deliveryId: string;
  customerId: string;
  serviceType: CatalogFlowCode;
  task: CatalogTask;
  /** For the audit trail. */
  note: string;
  actor?: string;
}

export interface TaskNotice {
  deliveryId: string;
  taskId: string;
  assignee: string;
  kind: 'reminder' | 'escalation';
  dueAt: string;
  reminderCount: number;
}

export interface CatalogFlowActivities {
  recordCatalogTask(record: CatalogTaskRecord): Promise<void>;
  notifyTask(notice: TaskNotice): Promise<void>;
}

export interface CatalogFlowResult {
  deliveryId: string;
  outcome: 'completed';
  tasks: number;
  ledger?: PersonDayLedger;
}

/** `ms`-style duration ('1 day', '90 minutes') in milliseconds, for workflow timers. */
export function durationMs(duration: Duration): number {
  return msToNumber(duration);
}

/** The instant a validity date (YYYY-MM-DD) ends: midnight UTC after it. */
export function endOfDayUtc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + 24 * 3600 * 1000;
}
