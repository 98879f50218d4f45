import { createHash } from 'node:crypto';

/**
 * Names of the databases SDO creates for a delivery on a customer's server. One scheme:
 * `<prefix>_<delivery tag>_<hash of delivery and key>`. The prefix says what the copy is for.
 */
export const ScratchPrefix = {
  /** A rehearsal's copy of a database, or an empty database a rehearsal writes to. */
  rehearsal: 'sdo_rehearsal',
  /** A carryover rehearsal's archive. */
  rehearsalArchive: 'sdo_rehearsal_archive',
  /** A conversion or migration rehearsal's database (addressable as `<environmentId>#<name>`). */
  scratch: 'sdo_scratch',
  /** A cutover backup: kept until the delivery is accepted, then discarded. */
  backup: 'sdo_backup',
} as const;

/** The part of every scratch database name that says which delivery it belongs to. */
export function deliveryTag(deliveryId: string): string {
  return deliveryId
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 12)
    .toLowerCase();
}

/**
 * Name of a database SDO creates for a delivery: unique per delivery and key (an activity ID, a
 * rehearsal revision), the same on every retry (so a crashed attempt's copy is replaced, not
 * leaked), carrying the delivery's tag so a DBA can tell whose copy it is, and within
 * PostgreSQL's 63-byte limit.
 */
export function scratchName(prefix: string, deliveryId: string, key: string): string {
  return `${prefix}_${deliveryTag(deliveryId)}_${createHash('sha256').update(`${deliveryId}:${key}`).digest('hex').slice(0, 8)}`;
}

/** Whether `name` is a scratch database made with `prefix` (guards drops against arbitrary names). */
export function isScratchName(prefix: string, name: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-f]{1,12}_[0-9a-f]{8}$`).test(name);
}

/** Conversion and migration scratch databases named before the one scheme (`sdo_scratch_<id>_<purpose>`); running deliveries still hold them. */
const LEGACY_SCRATCH = /^sdo_scratch_[a-z0-9]{0,24}_[a-z0-9]{0,16}$/;

/** Whether `name` is a throwaway database SDO made for a rehearsal (not a backup: those are discarded on their own). */
export function isScratchDatabase(name: string): boolean {
  return [ScratchPrefix.rehearsal, ScratchPrefix.rehearsalArchive, ScratchPrefix.scratch].some((p) => isScratchName(p, name)) || LEGACY_SCRATCH.test(name);
}

/** Whether `name` is a cutover backup SDO took. */
export function isBackupName(name: string): boolean {
  return isScratchName(ScratchPrefix.backup, name);
}
