import { ActivityFailure } from '@temporalio/workflow';
import { NotificationActivities, NotificationInput } from '@sdo/contracts';
import { activityProfiles, deliveryActivities } from './lifecycle/activity-profiles';

const sending = deliveryActivities<NotificationActivities>(activityProfiles.notification);
const bookkeeping = deliveryActivities<NotificationActivities>(activityProfiles.bookkeeping);

/**
 * Sends one notification (outbox row) until the receiver takes it or the retry budget is spent.
 * Its own workflow, started by the delivery's bookkeeping activity and never awaited: the delivery
 * goes on whatever the receiver does, and each attempt is visible in the Temporal UI and the API.
 */
export async function notificationDelivery(input: NotificationInput): Promise<void> {
  try {
    await sending.sendNotification(input);
  } catch (err) {
    await bookkeeping.abandonNotification({ ...input, reason: err instanceof ActivityFailure && err.cause ? err.cause.message : String(err) });
  }
}
