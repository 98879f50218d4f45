import { createHash } from 'node:crypto';

/** The part of every scratch database name that says which delivery it belongs to. */
export function deliveryTag(deliveryId: string): string {
  return deliveryId.replace(/[^0-9a-f]/gi, '').slice(0, 12).toLowerCase();
}

/**
 * Name of a database SDO creates for a delivery (rehearsal clone, cutover backup): unique per
 * delivery and activity, the same on every retry of that activity (so a crashed attempt's copy is
 * replaced, not leaked), carrying the delivery's tag so a DBA can tell whose copy it is, and
 * within PostgreSQL's 63-byte limit.
 */
export function scratchName(prefix: string, deliveryId: string, activityId: string): string {
  return `${prefix}_${deliveryTag(deliveryId)}_${createHash('sha256').update(`${deliveryId}:${activityId}`).digest('hex').slice(0, 8)}`;
}

/** Whether `name` is a scratch database made with `prefix` (guards drops against arbitrary names). */
export function isScratchName(prefix: string, name: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-f]{1,12}_[0-9a-f]{8}$`).test(name);
}
