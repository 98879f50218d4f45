import { log } from '@temporalio/activity';
import type { CatalogFlowActivities } from '@sdo/contracts';
import type { AuditTrail, TaskStore } from '@sdo/persistence';

export interface CatalogFlowDeps {
  tasks: Pick<TaskStore, 'record'>;
  audit: Pick<AuditTrail, 'append'>;
}

export function createCatalogFlowActivities({ tasks, audit }: CatalogFlowDeps): CatalogFlowActivities {
  return {
    async recordCatalogTask(record) {
      await tasks.record(record);
    },
    async notifyTask(notice) {
      // As for gates, the audit trail is the notification outbox.
      await audit.append({
        deliveryId: notice.deliveryId,
        actor: 'workflow',
        action: `task.${notice.kind}`,
        detail: { taskId: notice.taskId, assignee: notice.assignee, dueAt: notice.dueAt, reminderCount: notice.reminderCount },
      });
      log.info(`delivery ${notice.deliveryId}: ${notice.kind} for task ${notice.taskId} (${notice.assignee})`, { dueAt: notice.dueAt });
    },
  };
}
