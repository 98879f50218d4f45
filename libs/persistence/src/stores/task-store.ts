import { createHash, randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import type { CatalogTaskRecord } from '@sdo/contracts';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { DeliveryTaskEntity, EvidenceKind, TaskEvidenceEntity } from '../entities/delivery-task.entity';

export interface TaskFilter {
  assignee?: string;
  role?: string;
  /** null: the caller may see no customer (nothing matches). */
  customerId?: string;
  serviceType?: string;
  deliveryId?: string;
  status?: string;
  /** Open and past the due date. */
  overdue?: boolean;
  /** `flow` (a step's own tasks) or `obligation` (tasks of the step's obligation workflow); both by default. */
  source?: string;
  limit: number;
  offset: number;
}

/** A task of an obligation workflow as the inbox lists it, under the flow step it belongs to. */
export interface ObligationTaskRow {
  deliveryId: string;
  customerId: string;
  serviceType: string;
  stepIndex: number;
  stepCode: string;
  role: string;
  assignee: string;
  obligationTaskId: string;
  obligationKind: string;
  title: string;
  openedAt: Date;
  dueAt: Date | null;
}

/** The inbox columns every obligation row has, whatever its status. */
function obligationRowValues(row: ObligationTaskRow) {
  return {
    id: obligationTaskRowId(row.deliveryId, row.obligationTaskId),
    deliveryId: row.deliveryId,
    customerId: row.customerId,
    serviceType: row.serviceType,
    stepIndex: row.stepIndex,
    stepCode: row.stepCode,
    itemCode: null,
    nameZh: row.title,
    nameEn: row.title,
    kind: 'task' as const,
    role: row.role as DeliveryTaskEntity['role'],
    assignee: row.assignee,
    openedAt: row.openedAt,
    dueAt: row.dueAt,
    checklist: [],
    source: 'obligation' as const,
    obligationTaskId: row.obligationTaskId,
    obligationKind: row.obligationKind,
  };
}

/** The inbox row's ID of an obligation task: derived from the delivery and the workflow's task ID, so every writer finds it. */
export function obligationTaskRowId(deliveryId: string, obligationTaskId: string): string {
  const h = createHash('sha256').update(`${deliveryId}/${obligationTaskId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export interface NewEvidence {
  taskId: string;
  kind: EvidenceKind;
  note?: string;
  url?: string;
  fileName?: string;
  contentType?: string;
  content?: Buffer;
  createdBy: string;
}

/** Catalog-flow tasks (mirrored by the workflow) and their evidence (written by the API). */
export class TaskStore {
  private readonly tasks: Repository<DeliveryTaskEntity>;
  private readonly evidence: Repository<TaskEvidenceEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.tasks = dataSource.getRepository(DeliveryTaskEntity);
    this.evidence = dataSource.getRepository(TaskEvidenceEntity);
  }

  /** The workflow's view of a task, upserted with its audit entry in one transaction. */
  async record(record: CatalogTaskRecord): Promise<void> {
    const t = record.task;
    await this.dataSource.transaction(async (tx) => {
      await tx.getRepository(DeliveryTaskEntity).upsert(
        {
          id: t.taskId,
          deliveryId: record.deliveryId,
          customerId: record.customerId,
          serviceType: record.serviceType,
          stepIndex: t.stepIndex,
          stepCode: t.stepCode,
          itemCode: t.itemCode ?? null,
          nameZh: t.zh,
          nameEn: t.en,
          kind: t.kind,
          role: t.role,
          assignee: t.assignee,
          status: t.status,
          openedAt: t.openedAt ? new Date(t.openedAt) : null,
          dueAt: t.dueAt ? new Date(t.dueAt) : null,
          checklist: t.checklist,
          completedAt: t.completedAt ? new Date(t.completedAt) : null,
          completedBy: t.completedBy ?? null,
          signedBy: t.signedBy ?? null,
          reference: t.reference ?? null,
          reopened: t.reopened,
          escalated: t.escalated,
        },
        ['id'],
      );
      if (t.status === 'done') {
        // A step closed by people ends its obligation: what the obligation still had open leaves the inbox with it.
        await tx.query(
          `UPDATE delivery_tasks SET status = 'done', completed_by = 'sdo', completed_at = now(), reference = 'closed with its step', updated_at = now()
            WHERE delivery_id = $1 AND step_index = $2 AND source = 'obligation' AND status = 'open'`,
          [record.deliveryId, t.stepIndex],
        );
      }
      const audit = tx.getRepository(AuditEntryEntity);
      await audit.save(
        audit.create({
          deliveryId: record.deliveryId,
          actor: record.actor ?? 'workflow',
          action: `task.${t.status}`,
          detail: { taskId: t.taskId, step: t.stepCode, ...(t.itemCode ? { item: t.itemCode } : {}), note: record.note },
        }),
      );
    });
  }

  /**
   * An obligation task opened by its workflow; a row that exists already (completed meanwhile) is left as it is.
   * Written by an activity, so a person may complete the task through the API first: that decision closes the new row.
   */
  async openObligationTask(row: ObligationTaskRow): Promise<void> {
    await this.tasks
      .createQueryBuilder()
      .insert()
      .values({ ...obligationRowValues(row), status: 'open' })
      .orIgnore()
      .execute();
    // Completed through the API before this row was written (its close then found nothing to close): close it now.
    await this.tasks.query(
      `UPDATE delivery_tasks t SET status = 'done', completed_by = d.actor, completed_at = coalesce(d.resolved_at, now()), updated_at = now()
         FROM delivery_decisions d
        WHERE t.id = $1 AND t.status = 'open' AND d.delivery_id = $2 AND d.action = 'obligation.task-completed'
          AND d.status = 'accepted' AND d.arg->>'taskId' = $3`,
      [obligationTaskRowId(row.deliveryId, row.obligationTaskId), row.deliveryId, row.obligationTaskId],
    );
  }

  /** A support case's row: one per case, renamed and re-dated as the case waits on its next action; done once confirmed. */
  async recordCaseTask(row: ObligationTaskRow & { done: boolean; by?: string }): Promise<void> {
    await this.tasks.upsert(
      {
        ...obligationRowValues(row),
        status: row.done ? 'done' : 'open',
        completedBy: row.done ? (row.by ?? null) : null,
        completedAt: row.done ? new Date() : null,
      },
      ['id'],
    );
  }

  /** An obligation task closed: completed by a person, or by SDO (its time box ended). */
  async closeObligationTask(deliveryId: string, obligationTaskId: string, closedBy: string, at: Date, remark?: string): Promise<void> {
    await this.tasks.update(
      { id: obligationTaskRowId(deliveryId, obligationTaskId), status: 'open' },
      { status: 'done', completedBy: closedBy, completedAt: at, ...(remark ? { reference: remark } : {}) },
    );
  }

  async find(id: string): Promise<DeliveryTaskEntity | undefined> {
    return (await this.tasks.findOneBy({ id })) ?? undefined;
  }

  async list(filter: TaskFilter): Promise<{ items: DeliveryTaskEntity[]; total: number }> {
    const q = this.tasks.createQueryBuilder('t');
    if (filter.assignee) q.andWhere('t.assignee = :assignee', { assignee: filter.assignee });
    if (filter.role) q.andWhere('t.role = :role', { role: filter.role });
    if (filter.customerId) q.andWhere('t.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.serviceType) q.andWhere('t.service_type = :serviceType', { serviceType: filter.serviceType });
    if (filter.deliveryId) q.andWhere('t.delivery_id = :deliveryId', { deliveryId: filter.deliveryId });
    if (filter.status) q.andWhere('t.status = :status', { status: filter.status });
    if (filter.source) q.andWhere('t.source = :source', { source: filter.source });
    if (filter.overdue === true) q.andWhere(`t.status = 'open' AND t.due_at < now()`);
    // A task without a due date is never overdue (NULL must not drop it from either list).
    if (filter.overdue === false) q.andWhere(`NOT (t.status = 'open' AND t.due_at IS NOT NULL AND t.due_at < now())`);
    q.orderBy('t.created_at', 'ASC').addOrderBy('t.step_index', 'ASC').addOrderBy('t.id', 'ASC').take(filter.limit).skip(filter.offset);
    const [items, total] = await q.getManyAndCount();
    return { items, total };
  }

  async addEvidence(evidence: NewEvidence): Promise<TaskEvidenceEntity> {
    const saved = await this.evidence.save(
      this.evidence.create({
        id: randomUUID(),
        taskId: evidence.taskId,
        kind: evidence.kind,
        note: evidence.note ?? null,
        url: evidence.url ?? null,
        fileName: evidence.fileName ?? null,
        contentType: evidence.contentType ?? null,
        size: evidence.content ? evidence.content.length : null,
        content: evidence.content ?? null,
        createdBy: evidence.createdBy,
      }),
    );
    return { ...saved, content: null };
  }

  async listEvidence(taskId: string): Promise<TaskEvidenceEntity[]> {
    return this.evidence.find({ where: { taskId }, order: { createdAt: 'ASC' } });
  }

  /** The file itself, for download. */
  async evidenceFile(taskId: string, id: string): Promise<TaskEvidenceEntity | undefined> {
    return (
      (await this.evidence.createQueryBuilder('e').addSelect('e.content').where('e.id = :id AND e.task_id = :taskId', { id, taskId }).getOne()) ?? undefined
    );
  }
}
