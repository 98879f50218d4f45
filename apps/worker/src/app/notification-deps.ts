import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { createTransport } from 'nodemailer';
import type { DataSource } from 'typeorm';
import type { NotificationDeps } from '@sdo/activities';
import { sdoDataConverter, type PayloadKeyRing, type SdoConfig } from '@sdo/config';
import { NOTIFICATION_WORKFLOW_TYPE, notificationWorkflowId } from '@sdo/contracts';
import { NotificationStore, type ResolveHost, SecretBox, WebhookPolicy } from '@sdo/persistence';

/**
 * Webhooks and gate mails for the worker's activities: the outbox, the webhook policy (checked
 * again before every call), the SMTP transport when mail is on, and a Temporal client on the
 * worker's connection that starts one notification workflow per outbox row (its input sealed like
 * every other payload).
 */
export function buildNotificationDeps(
  dataSource: DataSource,
  secretsKey: string,
  options: {
    connection: NativeConnection;
    namespace: string;
    payloadKeys: PayloadKeyRing;
    webhooks: SdoConfig['webhooks'];
    mail?: SdoConfig['mail'];
    resolveHost?: ResolveHost;
  },
): NotificationDeps {
  const client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: sdoDataConverter(options.payloadKeys) });
  const transport = options.mail ? createTransport(options.mail.smtpUrl) : undefined;
  const from = options.mail?.from;
  return {
    notifications: new NotificationStore(dataSource, new SecretBox(secretsKey)),
    webhookPolicy: new WebhookPolicy({ ...options.webhooks, resolve: options.resolveHost }),
    ...(transport ? { mailer: { send: async (mail) => void (await transport.sendMail({ from, ...mail })) } } : {}),
    async startNotifications(ids, taskQueue) {
      for (const id of ids) {
        try {
          await client.workflow.start(NOTIFICATION_WORKFLOW_TYPE, {
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
