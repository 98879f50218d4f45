import { log } from '@temporalio/activity';
import { CATALOG_FLOW_CODES, type CatalogFlowCode, type ObligationActivities, type ObligationNotice, type ObligationTaskKind } from '@sdo/contracts';
import { obligationOwner } from '@sdo/catalog';
import type { AuditTrail, DeliveryStore, TaskStore } from '@sdo/persistence';

/** Which obligation of its product a task kind belongs to (its flow step is that obligation's step). */
const OBLIGATION_OF_TASK: Record<ObligationTaskKind, string> = {
  'sla-assessment': 'monthly-sla-assessment',
  patch: 'recurring-operations',
  'backup-check': 'recurring-operations',
  'environment-inspection': 'recurring-operations',
  'security-item': 'security-items',
  retest: 'security-items',
  'course-plan': 'training-sessions',
  'training-session': 'training-sessions',
  milestone: 'paas-milestones',
  'technical-review': 'paas-milestones',
  certification: 'paas-milestones',
};

export interface ObligationDeps {
  audit: Pick<AuditTrail, 'append'>;
  tasks: Pick<TaskStore, 'openObligationTask' | 'closeObligationTask'>;
  deliveries: Pick<DeliveryStore, 'find'>;
}

/**
 * Reminders, escalations and task changes of support cases and recurring services go to the audit
 * trail, the notification outbox; tasks opened and closed by time box are mirrored into the task inbox.
 */
export function createObligationActivities({ audit, tasks, deliveries }: ObligationDeps): ObligationActivities {
  async function mirror(notice: ObligationNotice): Promise<void> {
    const taskId = notice.detail['taskId'];
    if (typeof taskId !== 'string') return;
    if (notice.action === 'obligation.task-expired') {
      await tasks.closeObligationTask(notice.deliveryId, taskId, 'sdo', new Date(), `closed by its time box (${String(notice.detail['closesAt'])})`);
      return;
    }
    if (notice.action !== 'obligation.task-opened') return;
    const delivery = await deliveries.find(notice.deliveryId);
    if (!delivery || !(CATALOG_FLOW_CODES as readonly string[]).includes(delivery.serviceType)) return;
    const kind = String(notice.detail['kind']) as ObligationTaskKind;
    const owner = obligationOwner(delivery.serviceType as CatalogFlowCode, OBLIGATION_OF_TASK[kind], delivery);
    if (!owner) return;
    const dueAt = notice.detail['dueAt'] ?? notice.detail['closesAt'];
    await tasks.openObligationTask({
      deliveryId: delivery.id,
      customerId: delivery.customerId,
      serviceType: delivery.serviceType,
      ...owner,
      obligationTaskId: taskId,
      obligationKind: kind,
      title: typeof notice.detail['title'] === 'string' ? notice.detail['title'] : taskId,
      openedAt: new Date(),
      dueAt: typeof dueAt === 'string' ? new Date(dueAt) : null,
    });
  }

  return {
    async recordObligation(notice) {
      await audit.append({ deliveryId: notice.deliveryId, actor: notice.actor ?? 'workflow', action: notice.action, detail: { ...notice.detail } });
      await mirror(notice);
      log.info(`delivery ${notice.deliveryId}: ${notice.action}`);
    },
  };
}
