/**
 * Notifications: webhook events to subscribed receivers and gate mails to the people a gate waits
 * for. Each is one row of the app database's notification outbox, sent by its own workflow
 * (`notificationDelivery`, ID `notification:<row id>`) so a receiver that is down never holds up a delivery.
 */

/** What a webhook subscription may ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'gate.waiting',
  'gate.reminder',
  'gate.escalation',
  'phase.changed',
  'delivery.failed',
  'delivery.completed',
  'delivery.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Workflow type of the per-notification workflow. */
export const NOTIFICATION_WORKFLOW_TYPE = 'notificationDelivery';

export function notificationWorkflowId(notificationId: string): string {
  return `notification:${notificationId}`;
}

/** Input of the notification workflow: the outbox row only (the body and the secret stay in the app database). */
export interface NotificationInput {
  notificationId: string;
}

export interface NotificationActivities {
  /** One attempt at sending an outbox row (POST to the receiver, or the mail); throws to be retried with backoff. */
  sendNotification(input: NotificationInput): Promise<void>;
  /** Marks the row as given up after the retry budget ran out. */
  abandonNotification(input: NotificationInput & { reason: string }): Promise<void>;
}

/** Headers of a webhook call; the scheme is documented in the README ("Notifications"). */
export const WEBHOOK_HEADERS = {
  eventId: 'sdo-event-id',
  eventType: 'sdo-event-type',
  timestamp: 'sdo-timestamp',
  signature: 'sdo-signature',
} as const;
