import { createHash } from 'node:crypto';

/**
 * Name of a database SDO creates for a delivery (rehearsal clone, cutover backup): unique per
 * delivery and activity, the same on every retry of that activity (so a crashed attempt's copy is
 * replaced, not leaked), starting with the delivery's ID so a DBA can tell whose copy it is, and
 * within PostgreSQL's 63-byte limit.
 */
export function scratchName(prefix: string, deliveryId: string, activityId: string): string {
  const delivery = deliveryId.replace(/[^0-9a-f]/gi, '').slice(0, 12).toLowerCase();
  return `${prefix}_${delivery}_${createHash('sha256').update(`${deliveryId}:${activityId}`).digest('hex').slice(0, 8)}`;
}
