import { activityInfo } from '@temporalio/activity';
import type {
  CarryoverActivities,
  DataMigrationActivities,
  LEGACY_SAFETY_ACTIVITIES,
  OrgSplitActivities,
  SafetyActivities,
  UpgradeActivities,
} from '@sdo/contracts';
import type { EnvironmentDirectory } from '@sdo/persistence';
import { backupDatabase, discardBackup, dropScratchDatabase, pgConnection, restoreFromBackup, ScratchPrefix, scratchName } from '@sdo/pg-kit';
import { keepAlive } from '../keep-alive';

export interface SafetyDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
}

/** The safety steps of every service, over the toolkit's one backup/restore/discard implementation (which guards the names). */
export function createSafetyActivities({ environments }: SafetyDeps): SafetyActivities {
  const connectionOf = async (environmentId: string) => pgConnection(await environments.connectionFor(environmentId), 'target', environmentId);
  return {
    async backupDatabase(target) {
      const conn = await connectionOf(target.targetEnvironmentId);
      // Named after the activity: a retry replaces its own copy; running deliveries' backups keep their names.
      const backup = scratchName(ScratchPrefix.backup, target.deliveryId, activityInfo().activityId);
      await keepAlive(`backing up database ${conn.database}`, () => backupDatabase(conn, backup));
      return { backupDatabase: backup };
    },
    async restoreDatabase(target) {
      const conn = await connectionOf(target.targetEnvironmentId);
      await keepAlive(`restoring database ${conn.database} from its backup`, () => restoreFromBackup(conn, target.backupDatabase));
    },
    async discardBackup(target) {
      await discardBackup(await connectionOf(target.targetEnvironmentId), target.backupDatabase);
    },
    async dropScratchDatabase(target) {
      await dropScratchDatabase(await connectionOf(target.targetEnvironmentId), target.database);
    },
  };
}

type LegacyName = (typeof LEGACY_SAFETY_ACTIVITIES)[number];
export type LegacySafetyActivities = Pick<UpgradeActivities & OrgSplitActivities & CarryoverActivities & DataMigrationActivities, LegacyName>;

/**
 * The service-specific names the safety steps had before they were shared: running deliveries
 * (and their saved histories) schedule them, so they stay registered, each mapping its service's
 * request onto the shared step.
 */
export function legacySafetyAliases(safety: SafetyActivities): LegacySafetyActivities {
  return {
    backupTarget: (target) => safety.backupDatabase(target),
    restoreTarget: (target) => safety.restoreDatabase(target),
    backupSplitSource: (request) => safety.backupDatabase({ deliveryId: request.deliveryId, targetEnvironmentId: request.sourceEnvironmentId }),
    restoreSplitSource: (request) =>
      safety.restoreDatabase({ deliveryId: request.deliveryId, targetEnvironmentId: request.sourceEnvironmentId, backupDatabase: request.backupDatabase }),
    discardSplitSourceBackup: (request) =>
      safety.discardBackup({ deliveryId: request.deliveryId, targetEnvironmentId: request.sourceEnvironmentId, backupDatabase: request.backupDatabase }),
    backupLive: (request) => safety.backupDatabase({ deliveryId: request.deliveryId, targetEnvironmentId: request.liveEnvironmentId }),
    restoreLive: (request) =>
      safety.restoreDatabase({ deliveryId: request.deliveryId, targetEnvironmentId: request.liveEnvironmentId, backupDatabase: request.backupDatabase }),
    discardLiveBackup: (request) =>
      safety.discardBackup({ deliveryId: request.deliveryId, targetEnvironmentId: request.liveEnvironmentId, backupDatabase: request.backupDatabase }),
    dropMigrationScratch: (target) => safety.dropScratchDatabase(target),
    dropRehearsalDatabase: (request) =>
      safety.dropScratchDatabase({ deliveryId: request.deliveryId, targetEnvironmentId: request.targetEnvironmentId, database: request.scratchDatabase }),
    async dropCarryoverRehearsal(request) {
      await safety.dropScratchDatabase({
        deliveryId: request.deliveryId,
        targetEnvironmentId: request.liveEnvironmentId,
        database: request.rehearsal.liveDatabase,
      });
      await safety.dropScratchDatabase({
        deliveryId: request.deliveryId,
        targetEnvironmentId: request.archiveEnvironmentId,
        database: request.rehearsal.archiveDatabase,
      });
    },
  };
}
