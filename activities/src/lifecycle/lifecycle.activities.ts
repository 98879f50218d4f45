import { log } from '@temporalio/activity';
import type { LifecycleActivities } from '@sdo/contracts';
import type { AuditTrail, DeliveryStore } from '@sdo/persistence';

export interface LifecycleDeps {
  deliveries: Pick<DeliveryStore, 'recordState'>;
  audit: Pick<AuditTrail, 'append'>;
}

export function createLifecycleActivities({ deliveries, audit }: LifecycleDeps): LifecycleActivities {
  return {
    async recordDeliveryState(record) {
      await deliveries.recordState(record);
    },
    async notifyGate(notice) {
      // The audit trail is the notification outbox: the API lists it, and people are reminded from there.
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
