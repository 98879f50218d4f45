import { ConflictException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { catalogService } from '@sdo/catalog';
import { completeTaskUpdate, ObligationTask, PersonDayLedger, SupportCaseStatus, recordPersonDaysUpdate, reopenTaskUpdate, ServiceType } from '@sdo/contracts';
import { DeliveryTaskEntity, TaskEvidenceEntity, TaskStore } from '@sdo/persistence';
import type { Actor } from '../auth/actor';
import { canSeeCustomer, customerFilterFor } from '../auth/actor';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { DeliveryGatesService, GateAnswer } from '../deliveries/delivery-gates.service';
import { DeliveryWorkflows } from '../deliveries/delivery-workflows';
import { ObligationAnswer, ObligationsService } from '../obligations/obligations.service';
import type { Page } from '../infrastructure/paging';
import { invalidRequest } from '../infrastructure/validation';
import type { EvidenceViewDto, ListTasksQuery, NoteEvidenceDto, PersonDayEntryDto, TaskCompletionDto, TaskReopeningDto, TaskViewDto } from './dtos/task.dto';

/**
 * Catalog-flow tasks: read from the app database, changed only through their workflow (Updates
 * under a recorded decision, as the gates are), so the workflow's validators decide (409).
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TaskStore,
    private readonly deliveries: DeliveriesService,
    private readonly gates: DeliveryGatesService,
    private readonly workflows: DeliveryWorkflows,
    private readonly obligations: ObligationsService,
  ) {}

  async list(actor: Actor, query: ListTasksQuery): Promise<Page<TaskViewDto>> {
    const customerId = customerFilterFor(actor, query.customerId);
    if (customerId === null) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const { items, total } = await this.tasks.list({ ...query, customerId });
    return { items: items.map(toTaskView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<TaskViewDto> {
    return toTaskView(await this.visible(actor, id));
  }

  async complete(actor: Actor, id: string, dto: TaskCompletionDto): Promise<GateAnswer | ObligationAnswer<ObligationTask | SupportCaseStatus>> {
    const task = await this.visible(actor, id);
    if (task.source === 'obligation' && task.obligationKind === 'support-case') {
      // A case's row takes the case's next action (response, resolution, the customer's confirmation); the comment is its note.
      const caseNo = Number(task.obligationTaskId!.replace('case-', ''));
      const step = await this.obligations.nextCaseStep(actor, task.deliveryId, caseNo);
      if (!step) throw new ConflictException({ message: `Case ${caseNo} is confirmed: it takes no more steps.` });
      if (!dto.comment?.trim()) throw invalidRequest([{ field: 'comment', reason: `is required: it is the case's ${step} note` }]);
      return this.obligations.answerCase(actor, task.deliveryId, caseNo, step, { note: dto.comment });
    }
    if (task.source === 'obligation') {
      // Completed where it lives: its obligation's workflow (which says what the kind needs, 409 otherwise).
      return this.obligations.completeTask(actor, task.deliveryId, task.obligationTaskId!, {
        ...(dto.comment !== undefined ? { remarks: dto.comment } : {}),
        ...(dto.score !== undefined ? { score: dto.score } : {}),
        ...(dto.attendance !== undefined ? { attendance: dto.attendance } : {}),
      });
    }
    if (task.kind === 'gate') {
      const step = catalogService(task.serviceType as ServiceType).taskFlow?.find((s) => s.code === task.stepCode);
      const problems = [
        ...(dto.signedBy ? [] : [{ field: 'signedBy', reason: `is required: ${task.nameEn} is signed for the customer` }]),
        ...(step?.requires === 'reference' && !dto.reference
          ? [{ field: 'reference', reason: `is required: the reference of the signed ${task.nameEn.toLowerCase()}` }]
          : []),
      ];
      if (problems.length) throw invalidRequest(problems);
    }
    return this.gates.gate(actor, task.deliveryId, 'task.completed', completeTaskUpdate, () => ({
      taskId: id,
      completedBy: actor.name,
      ...(dto.checked ? { checked: dto.checked } : {}),
      ...(dto.signedBy ? { signedBy: dto.signedBy } : {}),
      ...(dto.reference ? { reference: dto.reference } : {}),
      ...(dto.comment ? { comment: dto.comment } : {}),
    }));
  }

  async reopen(actor: Actor, id: string, dto: TaskReopeningDto): Promise<GateAnswer> {
    const task = await this.visible(actor, id);
    if (task.source === 'obligation')
      throw new ConflictException({ message: `Task ${id} is a task of an obligation: it is not reopened, its obligation opens new ones.` });
    return this.gates.gate(actor, task.deliveryId, 'task.reopened', reopenTaskUpdate, () => ({ taskId: id, reopenedBy: actor.name, reason: dto.reason }));
  }

  async addNote(actor: Actor, id: string, dto: NoteEvidenceDto): Promise<EvidenceViewDto> {
    if ((dto.note === undefined) === (dto.url === undefined)) {
      throw invalidRequest([{ field: dto.note === undefined ? 'note' : 'url', reason: 'give either a note or a url (one per evidence)' }]);
    }
    const task = await this.visible(actor, id);
    return toEvidenceView(
      await this.tasks.addEvidence({ taskId: task.id, kind: dto.note !== undefined ? 'note' : 'link', note: dto.note, url: dto.url, createdBy: actor.name }),
    );
  }

  async addFile(actor: Actor, id: string, file: { name: string; contentType: string; content: Buffer }): Promise<EvidenceViewDto> {
    const task = await this.visible(actor, id);
    return toEvidenceView(
      await this.tasks.addEvidence({
        taskId: task.id,
        kind: 'file',
        fileName: file.name,
        contentType: file.contentType,
        content: file.content,
        createdBy: actor.name,
      }),
    );
  }

  async evidence(actor: Actor, id: string): Promise<EvidenceViewDto[]> {
    const task = await this.visible(actor, id);
    return (await this.tasks.listEvidence(task.id)).map(toEvidenceView);
  }

  async evidenceFile(actor: Actor, id: string, evidenceId: string): Promise<TaskEvidenceEntity & { content: Buffer }> {
    const task = await this.visible(actor, id);
    const file = await this.tasks.evidenceFile(task.id, evidenceId);
    if (!file?.content) throw new NotFoundException({ message: `Task ${id} has no evidence file ${evidenceId}.` });
    return file as TaskEvidenceEntity & { content: Buffer };
  }

  // ---- person-day ledger -----------------------------------------------------------------------

  async recordPersonDays(actor: Actor, deliveryId: string, dto: PersonDayEntryDto): Promise<GateAnswer> {
    await this.deliveries.visible(actor, deliveryId);
    return this.gates.gate(actor, deliveryId, 'person-days.recorded', recordPersonDaysUpdate, () => ({
      date: dto.date,
      consultant: dto.consultant,
      level: dto.level,
      days: dto.days,
      work: dto.work,
      recordedBy: actor.name,
    }));
  }

  async ledger(actor: Actor, deliveryId: string): Promise<PersonDayLedger> {
    const delivery = await this.deliveries.visible(actor, deliveryId);
    const final = await this.deliveries.finalStatusOf(delivery);
    const live = final ? { status: final } : await this.workflows.status(delivery.workflowId);
    if (!('status' in live)) throw new ServiceUnavailableException({ message: live.unavailable });
    const ledger = live.status.flow?.ledger;
    if (!ledger) throw new NotFoundException({ message: `Delivery ${deliveryId} (${delivery.serviceType}) has no person-day ledger.` });
    return ledger;
  }

  /** The task if this caller may see it; 404 otherwise (as if it did not exist). */
  private async visible(actor: Actor, id: string): Promise<DeliveryTaskEntity> {
    const task = await this.tasks.find(id);
    if (!task || !canSeeCustomer(actor, task.customerId)) throw new NotFoundException({ message: `Task ${id} does not exist.` });
    return task;
  }
}

export function toTaskView(t: DeliveryTaskEntity): TaskViewDto {
  return {
    id: t.id,
    deliveryId: t.deliveryId,
    customerId: t.customerId,
    serviceType: t.serviceType,
    stepIndex: t.stepIndex,
    stepCode: t.stepCode,
    itemCode: t.itemCode,
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    kind: t.kind,
    role: t.role,
    assignee: t.assignee,
    status: t.status,
    overdue: t.status === 'open' && t.dueAt !== null && t.dueAt.getTime() < Date.now(),
    openedAt: t.openedAt,
    dueAt: t.dueAt,
    checklist: t.checklist,
    completedAt: t.completedAt,
    completedBy: t.completedBy,
    signedBy: t.signedBy,
    reference: t.reference,
    reopened: t.reopened,
    escalated: t.escalated,
    source: t.source,
    obligationTaskId: t.obligationTaskId,
    obligationKind: t.obligationKind,
  };
}

function toEvidenceView(e: TaskEvidenceEntity): EvidenceViewDto {
  return {
    id: e.id,
    taskId: e.taskId,
    kind: e.kind,
    note: e.note,
    url: e.url,
    fileName: e.fileName,
    contentType: e.contentType,
    size: e.size,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
  };
}
