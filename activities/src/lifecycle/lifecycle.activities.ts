import { activityInfo, log } from '@temporalio/activity';
import type { LifecycleActivities } from '@sdo/contracts';
import type { AuditTrail, DeliveryStore, NotificationStore, OutboxEvent } from '@sdo/persistence';
import { gateEvent, sourceKey, stateEvents } from '../notifications/events';

export interface LifecycleDeps {
  deliveries: Pick<DeliveryStore, 'recordState' | 'find'>;
  audit: Pick<AuditTrail, 'append'>;
  /** Webhooks and gate mails: written to the outbox here, sent by their own workflows. */
  notifications?: {
    outbox: Pick<NotificationStore, 'enqueue' | 'pendingFrom'>;
    mailEnabled: boolean;
    startNotifications(ids: string[], taskQueue: string): Promise<void>;
  };
}

export function createLifecycleActivities({ deliveries, audit, notifications }: LifecycleDeps): LifecycleActivities {
  /**
   * Outbox first, then the notification workflows are started (not awaited: a receiver that is down
   * costs the delivery nothing). A retry of this call finds its rows by source and starts them again,
   * which is idempotent (one workflow ID per row).
   */
  const publish = async (events: (source: string) => OutboxEvent[]) => {
    if (!notifications) return;
    const info = activityInfo();
    const source = sourceKey({ workflowId: info.workflowExecution?.workflowId ?? '', runId: info.workflowExecution?.runId ?? '', activityId: info.activityId });
    await notifications.outbox.enqueue(events(source), notifications.mailEnabled);
    await notifications.startNotifications(await notifications.outbox.pendingFrom(source), info.taskQueue);
  };
  return {
    async recordDeliveryState(record) {
      const before = notifications ? await deliveries.find(record.deliveryId) : undefined;
      if (before) await publish((source) => stateEvents(source, before, record, new Date()));
      await deliveries.recordState(record);
    },
    async notifyGate(notice) {
      // Webhooks and the gate's contacts hear of it through the outbox (first: a retry must not audit twice); the audit trail lists it.
      const delivery = notifications ? await deliveries.find(notice.deliveryId) : undefined;
      if (delivery) await publish((source) => [gateEvent(source, delivery, notice, new Date())]);
      await audit.append({
        deliveryId: notice.deliveryId,
        actor: 'workflow',
        action: `gate.${notice.kind}`,
        detail: { gate: notice.gate, waitingSince: notice.waitingSince, reminderCount: notice.reminderCount },
      });
      log.info(`delivery ${notice.deliveryId}: ${notice.kind} for gate ${notice.gate}`, { waitingSince: notice.waitingSince });
    },
  };
}
