import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { createTransport } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { NotificationDeps } from '@sdo/activities';
import type { SdoConfig } from '@sdo/config';
import { NOTIFICATION_WORKFLOW_TYPE, notificationWorkflowId } from '@sdo/contracts';
import { NotificationStore, type ResolveHost, SecretBox, WebhookPolicy } from '@sdo/persistence';

/**
 * Webhooks and gate mails for the worker's activities: the outbox, the webhook policy (checked
 * again before every call), the SMTP transport when mail is on, and a Temporal client that starts
 * one notification workflow per outbox row.
 */
export function buildNotificationDeps(
  dataSource: DataSource,
  secretsKey: string,
  options: { client: Client; webhooks: SdoConfig['webhooks']; mail?: SdoConfig['mail']; resolveHost?: ResolveHost },
): NotificationDeps {
  const transport = options.mail ? createTransport(options.mail.smtpUrl) : undefined;
  const from = options.mail?.from;
  return {
    notifications: new NotificationStore(dataSource, new SecretBox(secretsKey)),
    webhookPolicy: new WebhookPolicy({ ...options.webhooks, resolve: options.resolveHost }),
    ...(transport ? { mailer: { send: async (mail) => void (await transport.sendMail({ from, ...mail })) } } : {}),
    async startNotifications(ids, taskQueue) {
      for (const id of ids) {
        try {
          await options.client.workflow.start(NOTIFICATION_WORKFLOW_TYPE, {
            workflowId: notificationWorkflowId(id),
            taskQueue,
            args: [{ notificationId: id }],
            // One workflow per row, ever: a retried bookkeeping call does not send twice.
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
    },
  };
}
