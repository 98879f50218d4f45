import { activityInfo, ApplicationFailure, log } from '@temporalio/activity';
import { NotificationActivities, WEBHOOK_HEADERS } from '@sdo/contracts';
import { NotificationStore, signWebhook, WebhookPolicy } from '@sdo/persistence';
import { postToCheckedAddress } from './webhook-sender';

/** A gate mail to one person. */
export interface GateMail {
  to: string;
  subject: string;
  text: string;
}

export interface NotificationDeps {
  notifications: NotificationStore;
  webhookPolicy: WebhookPolicy;
  /** Sends gate mails over SMTP; absent when mail is off (`SDO_SMTP_URL` unset). */
  mailer?: { send(mail: GateMail): Promise<void> };
  /** Starts the notification workflow of each outbox row on the task queue (idempotent per row). */
  startNotifications(ids: string[], taskQueue: string): Promise<void>;
}

const WEBHOOK_TIMEOUT_MS = 10_000;

export function createNotificationActivities({ notifications, webhookPolicy, mailer }: NotificationDeps): NotificationActivities {
  return {
    async sendNotification({ notificationId }) {
      const outbound = await notifications.outbound(notificationId);
      // Unsubscribed since, or sent by an earlier attempt that died before it could say so.
      if (!outbound || outbound.notification.status !== 'pending') return;
      const { notification, webhook } = outbound;
      const started = Date.now();
      if (!webhook) {
        if (!mailer) throw ApplicationFailure.nonRetryable('mail is off (SDO_SMTP_URL is not set)', 'MailOff');
        try {
          await mailer.send(gateMail(notification.target, notification.body));
        } catch (err) {
          await notifications.recordAttempt(notificationId, { error: errorText(err), durationMs: Date.now() - started, delivered: false });
          throw ApplicationFailure.retryable(`mail to the gate contact failed: ${errorText(err)}`, 'MailFailed');
        }
        await notifications.recordAttempt(notificationId, { durationMs: Date.now() - started, delivered: true });
        return;
      }
      const check = await webhookPolicy.check(webhook.url);
      if (check.kind === 'refused') {
        await notifications.recordAttempt(notificationId, { error: `refused by the webhook policy: ${check.reason}`, durationMs: 0, delivered: false });
        throw ApplicationFailure.nonRetryable(`the webhook URL ${check.reason}`, 'WebhookRefused');
      }
      const timestamp = Math.floor(Date.now() / 1000);
      let statusCode: number;
      try {
        ({ statusCode } = await postToCheckedAddress(
          check.url,
          check.address,
          {
            'content-type': 'application/json',
            'user-agent': 'SDO-Webhooks/1',
            [WEBHOOK_HEADERS.eventId]: notification.eventId,
            [WEBHOOK_HEADERS.eventType]: notification.eventType,
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.signature]: signWebhook(webhook.secret, timestamp, notification.body),
          },
          notification.body,
          WEBHOOK_TIMEOUT_MS,
        ));
      } catch (err) {
        await notifications.recordAttempt(notificationId, { error: errorText(err), durationMs: Date.now() - started, delivered: false });
        throw ApplicationFailure.retryable(`webhook receiver not reached: ${errorText(err)}`, 'WebhookUnreachable');
      }
      const delivered = statusCode >= 200 && statusCode < 300;
      const attempt = await notifications.recordAttempt(notificationId, { statusCode, durationMs: Date.now() - started, delivered });
      if (!delivered) {
        log.info(`webhook ${notification.eventType} answered ${statusCode} (attempt ${attempt}, activity attempt ${activityInfo().attempt})`);
        throw ApplicationFailure.retryable(`webhook receiver answered ${statusCode}`, 'WebhookRejected');
      }
    },
    async abandonNotification({ notificationId, reason }) {
      await notifications.finish(notificationId, 'abandoned');
      log.warn(`notification ${notificationId} abandoned: ${reason}`);
    },
  };
}

function errorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  return [e?.code, e?.message].filter((p) => typeof p === 'string' && p).join(': ') || String(err);
}

/** The mail for a reminder or escalation, from the event body the webhooks get too. */
export function gateMail(to: string, body: string): GateMail {
  const event = JSON.parse(body) as {
    type: string;
    delivery: { workflowId: string; customerId: string; orderNo: string; phase: string; step: string };
    gate: { name: string; waitingSince: string; reminderCount: number };
  };
  const escalated = event.type === 'gate.escalation';
  const what = escalated ? 'Escalation' : 'Reminder';
  return {
    to,
    subject: `[SDO] ${what}: ${event.delivery.workflowId} waits for ${event.gate.name}`,
    text: [
      `${what}: delivery ${event.delivery.workflowId} (customer ${event.delivery.customerId}, order ${event.delivery.orderNo})`,
      `waits for ${event.gate.name} since ${event.gate.waitingSince}${escalated ? ' and is now overdue' : ''}.`,
      `Phase: ${event.delivery.phase} (${event.delivery.step}).`,
      '',
      'Please decide in SDO (GET /v1/deliveries?awaiting=' + event.gate.name + ').',
    ].join('\n'),
  };
}
