import type { CarryoverActivities } from './carryover';
import type { CatalogFlowActivities } from './catalog-flow';
import type { NotificationActivities } from './notifications';
import type { ChildServiceActivities, ObligationActivities } from './obligations';
import type { ConversionActivities } from './conversion';
import type { DataActivities } from './data-engine';
import type { LifecycleActivities, UpgradeActivities } from './activities';
import type { DataMigrationActivities } from './migration';
import type { OrgSplitActivities } from './org-split';
import type { SafetyActivities } from './safety';

/** The worker polls this queue for every delivery workflow and its orchestration activities. */
export const DELIVERY_TASK_QUEUE = 'sdo-deliveries';

/**
 * Kinds of work, each on its own task queue with its own slots, so a few four-hour copies never
 * hold up another delivery's gates, reminders and bookkeeping.
 * - `orchestration`: workflow tasks, lifecycle bookkeeping, notifications, assessments, plans,
 *   reports and audit records: short, on the delivery queue.
 * - `data`: work that reads or rewrites a customer database at length (copies, verifications,
 *   backups and restores, rehearsal clones, cutover loads): on the data queue, and under the
 *   per-environment lease (one delivery's heavy work at a time on a customer database).
 */
export type WorkKind = 'orchestration' | 'data';
export const WORK_KINDS: readonly WorkKind[] = ['orchestration', 'data'];

/** The data queue that goes with a delivery queue; workflows derive it from their own queue. */
export const dataTaskQueue = (deliveryQueue: string): string => `${deliveryQueue}-data`;

/** The queue an activity of this kind is scheduled on, for a workflow running on `deliveryQueue`. */
export const taskQueueFor = (kind: WorkKind, deliveryQueue: string): string => (kind === 'data' ? dataTaskQueue(deliveryQueue) : deliveryQueue);

type EveryActivity = LifecycleActivities &
  SafetyActivities &
  UpgradeActivities &
  DataActivities &
  ConversionActivities &
  DataMigrationActivities &
  OrgSplitActivities &
  CarryoverActivities &
  CatalogFlowActivities &
  ObligationActivities &
  ChildServiceActivities &
  NotificationActivities;
export type ActivityName = keyof EveryActivity;

/** Every activity's kind of work, defined once (a new activity does not compile until it is placed). */
export const ACTIVITY_WORK_KINDS = {
  // Lifecycle bookkeeping and notifications
  recordDeliveryState: 'orchestration',
  notifyGate: 'orchestration',
  // Catalog flows and their obligations: task records, notices, child-delivery claims
  recordCatalogTask: 'orchestration',
  notifyTask: 'orchestration',
  recordObligation: 'orchestration',
  claimChildDelivery: 'orchestration',
  // Webhook calls and mails: short, retried with backoff by their own workflow
  sendNotification: 'orchestration',
  abandonNotification: 'orchestration',
  // Assessments and plans: short reads of catalogs and counts, retried while a server is down
  assessUpgrade: 'orchestration',
  assessConversion: 'orchestration',
  assessMigration: 'orchestration',
  assessOrgSplit: 'orchestration',
  assessCarryover: 'orchestration',
  draftUpgradePlan: 'orchestration',
  draftConversionPlan: 'orchestration',
  draftMigrationPlan: 'orchestration',
  draftOrgSplitPlan: 'orchestration',
  draftCarryoverPlan: 'orchestration',
  checkSourceDrift: 'orchestration',
  checkMigrationDrift: 'orchestration',
  // Reports and audit records in the app database
  reportUpgradeAcceptance: 'orchestration',
  reportConversionRehearsal: 'orchestration',
  reportConversionAcceptance: 'orchestration',
  recordConversionCutover: 'orchestration',
  reportMigrationRehearsal: 'orchestration',
  recordMigrationCutover: 'orchestration',
  reportMigrationAcceptance: 'orchestration',
  reportOrgSplitRehearsal: 'orchestration',
  reportOrgSplitCutover: 'orchestration',
  reportOrgSplitAcceptance: 'orchestration',
  reportCarryoverRehearsal: 'orchestration',
  reportCarryoverCutover: 'orchestration',
  reportCarryoverAcceptance: 'orchestration',
  // Backups, restores and their disposal (the shared safety steps and their older aliases)
  backupDatabase: 'data',
  restoreDatabase: 'data',
  discardBackup: 'data',
  dropScratchDatabase: 'data',
  backupTarget: 'data',
  restoreTarget: 'data',
  backupSplitSource: 'data',
  restoreSplitSource: 'data',
  discardSplitSourceBackup: 'data',
  backupLive: 'data',
  restoreLive: 'data',
  discardLiveBackup: 'data',
  // Rehearsal clones and scratch databases
  rehearseUpgrade: 'data',
  createScratchDatabase: 'data',
  createMigrationScratch: 'data',
  dropMigrationScratch: 'data',
  createRehearsalDatabase: 'data',
  dropRehearsalDatabase: 'data',
  createCarryoverRehearsal: 'data',
  dropCarryoverRehearsal: 'data',
  rehearseSourceRemoval: 'data',
  // The data engine: introspection, copies, verification
  introspectSource: 'data',
  planCopy: 'data',
  prepareTarget: 'data',
  prepareCopy: 'data',
  copyTable: 'data',
  copyTables: 'data',
  finalizeTarget: 'data',
  verifyTable: 'data',
  verifyTables: 'data',
  // Cutover loads and their undo
  applyUpgrade: 'data',
  claimTargetSchema: 'data',
  dropCutoverObjects: 'data',
  snapshotSource: 'data',
  loadMapping: 'data',
  claimMigrationTarget: 'data',
  undoMigrationLoad: 'data',
  prepareSplitTarget: 'data',
  copySplitTable: 'data',
  copySplitTables: 'data',
  finalizeSplitTarget: 'data',
  verifySplitTarget: 'data',
  removeOrganisationFromSource: 'data',
  dropExtractedObjects: 'data',
  finishOrgSplit: 'data',
  archiveHistory: 'data',
  carryBalancesForward: 'data',
  purgeHistory: 'data',
  finishCarryover: 'data',
  dropArchivedPeriod: 'data',
} as const satisfies Record<ActivityName, WorkKind>;

/** An activity's kind of work; a name no worker registers (none should reach here) is orchestration. */
export function workKindOf(activityType: string): WorkKind {
  return (ACTIVITY_WORK_KINDS as Record<string, WorkKind>)[activityType] ?? 'orchestration';
}
