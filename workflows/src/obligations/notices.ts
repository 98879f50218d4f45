import type { ObligationActivities, ObligationNotice } from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from '../lifecycle/activity-profiles';

const obligations = deliveryActivities<ObligationActivities>(activityProfiles.bookkeeping);

/** Audits what an obligation did: the trail is where reminders and escalations go out from, as for gates. */
export function notify(notice: ObligationNotice): Promise<void> {
  return obligations.recordObligation(notice);
}

export function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${field} must be a non-empty text`);
}
