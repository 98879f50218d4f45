import type { CutoverBackup } from './activities';

/**
 * The safety steps every service shares: the cutover backup of a database, its restore (a
 * compensation), discarding it after acceptance, and dropping a rehearsal's scratch database.
 * IDs and database names only, never connection details.
 */
export interface SafetyTarget {
  deliveryId: string;
  /** The environment whose database is backed up or restored, or on whose server the scratch database lives. */
  targetEnvironmentId: string;
}

export interface SafetyActivities {
  /** Full copy of the environment's database (sessions disconnected); the same name on every retry of the step. */
  backupDatabase(target: SafetyTarget): Promise<CutoverBackup>;
  /** Compensation: replaces the environment's database with a copy of its backup (only a cutover backup is accepted). */
  restoreDatabase(target: SafetyTarget & CutoverBackup): Promise<void>;
  /** Drops the backup once the delivery no longer needs it (only a cutover backup is accepted). */
  discardBackup(target: SafetyTarget & CutoverBackup): Promise<void>;
  /** Drops a rehearsal's scratch database on the environment's server (only a scratch database is accepted). */
  dropScratchDatabase(target: SafetyTarget & { database: string }): Promise<void>;
}

/**
 * Activity types registered before the shared ones, which running deliveries still schedule: each
 * is an alias of a shared step (it takes the service's own request).
 */
export const LEGACY_SAFETY_ACTIVITIES = [
  'backupTarget',
  'restoreTarget',
  'backupSplitSource',
  'restoreSplitSource',
  'discardSplitSourceBackup',
  'backupLive',
  'restoreLive',
  'discardLiveBackup',
  'dropMigrationScratch',
  'dropRehearsalDatabase',
  'dropCarryoverRehearsal',
] as const;
