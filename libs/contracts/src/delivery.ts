import type { Duration } from '@temporalio/common';
import type { CatalogFlowState } from './catalog-flow';
import { ServiceType } from './service-types';

/**
 * Lifecycle phases shared by every service type; the last three are terminal. Catalog flows (human
 * tasks) are `delivering` until their last step is done.
 */
export const DELIVERY_PHASES = ['assessment', 'contract', 'plan', 'test', 'cutover', 'acceptance', 'delivering', 'completed', 'cancelled', 'failed'] as const;
export type DeliveryPhase = (typeof DELIVERY_PHASES)[number];
export const TERMINAL_PHASES: readonly DeliveryPhase[] = ['completed', 'cancelled', 'failed'];

/**
 * Human gates a delivery waits at. `assessmentBlocked`: the assessment found something only a
 * person can fix (a privilege, a credential, a parameter); the manager amends the parameters.
 */
export const GATE_NAMES = ['assessmentBlocked', 'contractSignature', 'planApproval', 'cutoverWindow', 'acceptance'] as const;
export type GateName = (typeof GATE_NAMES)[number];

/** Phases an acceptance rejection can send a delivery back to. */
export const REOPENABLE_PHASES = ['plan', 'test', 'cutover'] as const;
export type ReopenablePhase = (typeof REOPENABLE_PHASES)[number];

/** Durations are `ms`-style strings ('90 minutes', '2 days') so they read well in history. */
export interface GatePolicy {
  /** How often a waiting gate sends a reminder. */
  reminderEvery: Duration;
  /** How long a gate may wait before it is escalated. */
  escalateAfter: Duration;
}

/**
 * Whether the order lets another delivery run heavy work (copies, verifications, backups) on its
 * environments at the same time. `exclusive` (the default): never. `shared`: alongside other
 * deliveries that share too, at most `maxHolders` deliveries at once (every holder's limit counts).
 */
export type ConcurrentHeavyWork = { mode: 'exclusive' } | { mode: 'shared'; maxHolders: number };
export const HEAVY_WORK_MODES = ['exclusive', 'shared'] as const;
export const EXCLUSIVE_HEAVY_WORK: ConcurrentHeavyWork = { mode: 'exclusive' };
/** Bounds of `maxHolders` (the default when sharing is 2). */
export const MAX_HEAVY_WORK_HOLDERS = 16;
export const DEFAULT_SHARED_HOLDERS = 2;

export interface CutoverWindow {
  /** ISO-8601 instant the maintenance window opens. */
  startsAt: string;
  durationMinutes: number;
}

/**
 * Start input of every delivery workflow. Environments are referenced by ID only: connection
 * details stay in the app database so no secret ever enters Temporal history.
 */
export interface DeliveryInput<P = Record<string, unknown>> {
  deliveryId: string;
  serviceType: ServiceType;
  customerId: string;
  orderNo: string;
  /** Role → environment ID, e.g. `{ target: '…' }` or `{ source: '…', target: '…' }`. */
  environments: Record<string, string>;
  parameters: P;
  /** Reference of the signed service contract; when absent the delivery waits for it. */
  contractRef?: string;
  cutoverWindow: CutoverWindow;
  gatePolicy: GatePolicy;
}

/** What a manager may amend while the delivery is being assessed or planned: what assessment and planning work on. */
export interface DeliveryRequest<P = Record<string, unknown>> {
  parameters: P;
  environments: Record<string, string>;
}

export interface UpgradeParameters {
  packageId: string;
}

export type PlanStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';

export interface PlanVersion {
  revision: number;
  reportId: string;
  summary: string;
  status: PlanStatus;
  decidedBy?: string;
  comment?: string;
  /** Set when the plan does not create objects that depend on something excluded: approving it needs `confirmDependents`. */
  confirmationRequired?: PlanConfirmation;
  /** The approval confirmed that those dependent objects are not created. */
  dependentsConfirmed?: boolean;
}

/** What a plan loses because of exclusions (foreign keys, indexes, views, triggers), which the manager must confirm. */
export interface PlanConfirmation {
  /** How many dependent objects are not created. */
  dependents: number;
  /** Which (the first of them when there are many; the plan report lists all). */
  summary: string;
}

export interface PhaseReportRef {
  kind: ReportKind;
  reportId: string;
  summary: string;
}

/** A drafted plan. Without `confirmationRequired` (every plan drafted before it existed) it is approved as is. */
export interface PlanDraft extends PhaseReportRef {
  confirmationRequired?: PlanConfirmation;
}

export type ReportKind = 'assessment' | 'plan' | 'rehearsal' | 'cutover' | 'acceptance';

export interface DeliveryEvent {
  at: string;
  phase: DeliveryPhase;
  note: string;
}

export interface FailureNote {
  phase: DeliveryPhase;
  type: string;
  message: string;
}

/** What the `deliveryStatus` query answers: everything a person needs to steer the delivery. */
export interface DeliveryStatus {
  deliveryId: string;
  serviceType: ServiceType;
  phase: DeliveryPhase;
  step: string;
  /** 0–100, by phase weight. */
  progress: number;
  awaiting?: GateName;
  contractRef?: string;
  plans: PlanVersion[];
  reports: PhaseReportRef[];
  /** Absent for catalog flows, which have no cutover. */
  cutoverWindow?: CutoverWindow;
  /** Catalog flows: the steps, their tasks, the person-day ledger and the obligations. */
  flow?: CatalogFlowState;
  /** Reminders sent and whether the current gate was escalated. */
  reminders: number;
  escalated: boolean;
  lastFailure?: FailureNote;
  events: DeliveryEvent[];
}

export interface DeliveryResult {
  deliveryId: string;
  outcome: 'accepted';
  acceptedBy: string;
  reports: PhaseReportRef[];
}

// ---- Update payloads (the human gates) -------------------------------------------------------

export interface ContractSignature {
  contractRef: string;
  signedBy: string;
}

export interface PlanDecision {
  /** The plan revision the person saw: approving a superseded revision is refused. */
  revision: number;
  decidedBy: string;
  comment?: string;
  /** Approving: confirms that the objects the plan's `confirmationRequired` names are not created. */
  confirmDependents?: boolean;
}

/** The refusal type of an approval that did not confirm a plan's lost dependents (→ 409). */
export const DEPENDENTS_NOT_CONFIRMED = 'DependentsNotConfirmed';

export interface AcceptanceConfirmation {
  confirmedBy: string;
  comment?: string;
}

export interface AcceptanceRejection {
  rejectedBy: string;
  reason: string;
  /** Where the delivery goes back to; defaults to `test` (a new rehearsal). */
  reopen?: ReopenablePhase;
}

/** New parameters (and, optionally, environments) for a delivery blocked at assessment or awaiting plan approval: it is assessed again. */
export interface ParameterAmendment {
  parameters: Record<string, unknown>;
  /** Role → environment ID; the roles not named keep their environment. */
  environments?: Record<string, string>;
  amendedBy: string;
  comment?: string;
}

export interface CutoverWindowChange {
  startsAt: string;
  durationMinutes?: number;
  movedBy: string;
}
