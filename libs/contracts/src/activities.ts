import { DeliveryPhase, DeliveryRequest, DeliveryStatus, FailureNote, GateName, PhaseReportRef } from './delivery';
import type { SafetyActivities } from './safety';

/**
 * Activity interfaces, so workflows type their proxies from contracts alone. The worker's
 * factories (`activities/`) implement them over injected dependencies.
 */

export interface DeliveryStateRecord {
  deliveryId: string;
  phase: DeliveryPhase;
  step: string;
  progress: number;
  awaiting: GateName | null;
  /** What happened, for the audit trail (e.g. "plan revision 2 approved by …"). */
  note: string;
  actor?: string;
  failure?: FailureNote;
  /** Set once, when a manager's amendment was taken: the app database's copy of the request follows it. */
  amended?: DeliveryRequest;
  /**
   * Set when the delivery ends (completed, failed, cancelled): what its status query answers from
   * then on. The app database keeps it; Temporal deletes the closed workflow after its retention.
   */
  finalStatus?: DeliveryStatus;
}

export interface GateNotice {
  deliveryId: string;
  gate: GateName;
  kind: 'reminder' | 'escalation';
  waitingSince: string;
  reminderCount: number;
}

export interface LifecycleActivities {
  /** Mirrors the delivery's state into the app database (lists and filters read from there) and audits the change. */
  recordDeliveryState(record: DeliveryStateRecord): Promise<void>;
  /** Sends a reminder or an escalation for a gate that is waiting on a person. */
  notifyGate(notice: GateNotice): Promise<void>;
}

// ---- Upgrade (升级服务) ------------------------------------------------------------------------

export interface UpgradeTarget {
  deliveryId: string;
  targetEnvironmentId: string;
  packageId: string;
}

export interface UpgradeAssessment extends PhaseReportRef {
  currentVersion: string | null;
  targetVersion: string;
  pendingScripts: number;
  collisions: number;
  estimatedMinutes: number;
}

export interface UpgradePlanRequest extends UpgradeTarget {
  revision: number;
  assessmentReportId: string;
  /** Why the previous revision was rejected (or why rehearsal/cutover failed). */
  feedback?: string;
}

export interface UpgradePlanDraft extends PhaseReportRef {
  revision: number;
  scripts: number;
  estimatedDowntimeMinutes: number;
}

export interface RehearsalOutcome extends PhaseReportRef {
  passed: boolean;
  failure?: string;
}

/** Name of the backup database taken at cutover; a name, never a connection string. */
export interface CutoverBackup {
  backupDatabase: string;
}

/** `discardBackup` is the shared safety step; `backupTarget` and `restoreTarget` are its older aliases. */
export interface UpgradeActivities extends Pick<SafetyActivities, 'discardBackup'> {
  assessUpgrade(target: UpgradeTarget): Promise<UpgradeAssessment>;
  draftUpgradePlan(request: UpgradePlanRequest): Promise<UpgradePlanDraft>;
  /** Applies the plan to a fresh clone of the target and runs the verifications there. */
  rehearseUpgrade(target: UpgradeTarget & { planReportId: string }): Promise<RehearsalOutcome>;
  /** Alias of `backupDatabase`. */
  backupTarget(target: UpgradeTarget): Promise<CutoverBackup>;
  /** Applies pending scripts and verifies; throws ScriptFailed / VerificationFailed after writing the cutover report. */
  applyUpgrade(target: UpgradeTarget & { planReportId: string }): Promise<PhaseReportRef>;
  /** Compensation: puts the target back exactly as the backup holds it (alias of `restoreDatabase`). */
  restoreTarget(target: UpgradeTarget & CutoverBackup): Promise<void>;
  reportUpgradeAcceptance(target: UpgradeTarget & { reportIds: string[] }): Promise<PhaseReportRef>;
}
