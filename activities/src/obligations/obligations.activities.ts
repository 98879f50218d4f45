import { log } from '@temporalio/activity';
import type { ObligationActivities } from '@sdo/contracts';
import type { AuditTrail } from '@sdo/persistence';

/** Reminders, escalations and task changes of support cases and recurring services go to the audit trail, the notification outbox. */
export function createObligationActivities({ audit }: { audit: Pick<AuditTrail, 'append'> }): ObligationActivities {
  return {
    async recordObligation(notice) {
      await audit.append({ deliveryId: notice.deliveryId, actor: notice.actor ?? 'workflow', action: notice.action, detail: { ...notice.detail } });
      log.info(`delivery ${notice.deliveryId}: ${notice.action}`);
    },
  };
}
