import type { LifecycleActivities, UpgradeActivities } from './activities';
import type { CarryoverActivities } from './carryover';
import type { CatalogFlowActivities } from './catalog-flow';
import type { NotificationActivities } from './notifications';
import type { ChildServiceActivities, ObligationActivities } from './obligations';
import type { ConversionActivities } from './conversion';
import type { DataActivities } from './data-engine';
import type { DataMigrationActivities } from './migration';
import type { OrgSplitActivities } from './org-split';
import { LEGACY_SAFETY_ACTIVITIES, type SafetyActivities } from './safety';

type Legacy = (typeof LEGACY_SAFETY_ACTIVITIES)[number];
/** A service's own activity types: its interface without the shared safety steps and their old aliases. */
type Own<T> = Exclude<keyof T & string, keyof SafetyActivities | Legacy>;
/** Lists every name of `Names` exactly as the tuple does: a missing or unknown name fails to compile. */
type Complete<Names extends string, List extends readonly string[]> = [Exclude<Names, List[number]>] extends [never]
  ? [Exclude<List[number], Names>] extends [never]
    ? List
    : never
  : never;
const group =
  <Names extends string>() =>
  <const List extends readonly Names[]>(list: Complete<Names, List>) =>
    list;

/**
 * Every activity type the worker registers, by service and concern. Temporal sees one flat
 * namespace of names (they are in every saved history, so they never change); this is where a
 * reader finds which service or concern a name belongs to. Each workflow proxies its service's
 * interface; `legacySafety` are the names running deliveries scheduled before the safety steps were
 * shared, still registered as aliases.
 */
export const ACTIVITY_TYPES = {
  lifecycle: group<keyof LifecycleActivities>()(['recordDeliveryState', 'notifyGate']),
  safety: group<keyof SafetyActivities>()(['backupDatabase', 'restoreDatabase', 'discardBackup', 'dropScratchDatabase']),
  legacySafety: LEGACY_SAFETY_ACTIVITIES,
  dataEngine: group<keyof DataActivities>()([
    'introspectSource',
    'planCopy',
    'prepareTarget',
    'prepareCopy',
    'copyTable',
    'copyTables',
    'finalizeTarget',
    'verifyTable',
    'verifyTables',
  ]),
  upgrade: group<Own<UpgradeActivities>>()(['assessUpgrade', 'draftUpgradePlan', 'rehearseUpgrade', 'applyUpgrade', 'reportUpgradeAcceptance']),
  conversion: group<Own<ConversionActivities>>()([
    'assessConversion',
    'draftConversionPlan',
    'createScratchDatabase',
    'reportConversionRehearsal',
    'checkSourceDrift',
    'claimTargetSchema',
    'dropCutoverObjects',
    'recordConversionCutover',
    'reportConversionAcceptance',
  ]),
  dataMigration: group<Own<DataMigrationActivities>>()([
    'assessMigration',
    'draftMigrationPlan',
    'createMigrationScratch',
    'snapshotSource',
    'loadMapping',
    'reportMigrationRehearsal',
    'checkMigrationDrift',
    'claimMigrationTarget',
    'undoMigrationLoad',
    'recordMigrationCutover',
    'reportMigrationAcceptance',
  ]),
  orgSplit: group<Own<OrgSplitActivities>>()([
    'assessOrgSplit',
    'draftOrgSplitPlan',
    'createRehearsalDatabase',
    'prepareSplitTarget',
    'copySplitTable',
    'copySplitTables',
    'finalizeSplitTarget',
    'verifySplitTarget',
    'reportOrgSplitRehearsal',
    'reportOrgSplitCutover',
    'removeOrganisationFromSource',
    'rehearseSourceRemoval',
    'dropExtractedObjects',
    'finishOrgSplit',
    'reportOrgSplitAcceptance',
  ]),
  carryover: group<Own<CarryoverActivities>>()([
    'assessCarryover',
    'draftCarryoverPlan',
    'createCarryoverRehearsal',
    'archiveHistory',
    'carryBalancesForward',
    'purgeHistory',
    'finishCarryover',
    'reportCarryoverRehearsal',
    'reportCarryoverCutover',
    'dropArchivedPeriod',
    'reportCarryoverAcceptance',
  ]),
  catalogFlow: group<keyof CatalogFlowActivities>()(['recordCatalogTask', 'notifyTask']),
  obligations: group<keyof ObligationActivities>()(['recordObligation']),
  childServices: group<keyof ChildServiceActivities>()(['claimChildDelivery']),
  notifications: group<keyof NotificationActivities>()(['sendNotification', 'abandonNotification']),
} as const;

export type ActivityGroup = keyof typeof ACTIVITY_TYPES;

/** The service or concern an activity type belongs to (undefined: not one the worker registers). */
export function activityGroupOf(type: string): ActivityGroup | undefined {
  return (Object.keys(ACTIVITY_TYPES) as ActivityGroup[]).find((g) => (ACTIVITY_TYPES[g] as readonly string[]).includes(type));
}
