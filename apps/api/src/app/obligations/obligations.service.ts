import { Injectable, NotFoundException } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  CaseSummary,
  deliveryStatusQuery,
  DeliveryStatus,
  completeObligationTaskUpdate,
  confirmCaseUpdate,
  ObligationTask,
  obligationTasksQuery,
  obligationWorkflowId,
  openCaseUpdate,
  renewSubscriptionUpdate,
  resolveCaseUpdate,
  respondCaseUpdate,
  SupportCaseStatus,
  supportCaseStatusQuery,
  supportCaseWorkflowId,
  SupportSubscriptionStatus,
  supportSubscriptionStatusQuery,
} from '@sdo/contracts';
import { AuditTrail } from '@sdo/persistence';
import type { Actor } from '../auth/actor';
import { DeliveriesService } from '../deliveries/deliveries.service';
import type { CaseAnswerDto, CaseOpeningDto, SubscriptionRenewalDto, ObligationTaskCompletionDto } from './obligations.dto';
import { ObligationWorkflows } from './obligation-workflows';

export interface ChildServiceView {
  /** The parent's step that runs the child. */
  step: string;
  status: string;
  deliveryId: string;
  workflowId: string;
  serviceType: string;
  phase: string;
  childStep: string;
  progress: number;
  awaiting: string | null;
}

export type CaseStep = 'response' | 'resolution' | 'confirmation';
const CASE_UPDATES = { response: respondCaseUpdate, resolution: resolveCaseUpdate, confirmation: confirmCaseUpdate } as const;

/**
 * What a manager does with a delivery's obligations: support cases of a subscription, the tasks
 * of a recurring service or task plan. The delivery must be visible to the caller (404 otherwise);
 * the workflows refuse what is out of order (409).
 */
@Injectable()
export class ObligationsService {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly workflows: ObligationWorkflows,
    private readonly audit: AuditTrail,
  ) {}

  async subscription(actor: Actor, id: string): Promise<SupportSubscriptionStatus> {
    const workflowId = await this.obligationsOf(actor, id);
    return this.orNotFound(id, 'support subscription', () => this.workflows.query(workflowId, supportSubscriptionStatusQuery));
  }

  async openCase(actor: Actor, id: string, dto: CaseOpeningDto): Promise<CaseSummary> {
    const workflowId = await this.obligationsOf(actor, id);
    await this.orNotFound(id, 'support subscription', () => this.workflows.query(workflowId, supportSubscriptionStatusQuery));
    const opened = await this.workflows.update(workflowId, openCaseUpdate, {
      title: dto.title,
      ...(dto.description ? { description: dto.description } : {}),
      openedBy: actor.name,
    });
    await this.audit.append({ deliveryId: id, actor: actor.name, action: 'case.opened', detail: { caseNo: opened.caseNo, title: opened.title } });
    return opened;
  }

  async supportCase(actor: Actor, id: string, caseNo: number): Promise<SupportCaseStatus> {
    const workflowId = supportCaseWorkflowId(await this.obligationsOf(actor, id), caseNo);
    return this.orNotFound(id, `case ${caseNo}`, () => this.workflows.query(workflowId, supportCaseStatusQuery));
  }

  async answerCase(actor: Actor, id: string, caseNo: number, step: CaseStep, dto: CaseAnswerDto): Promise<SupportCaseStatus> {
    const workflowId = supportCaseWorkflowId(await this.obligationsOf(actor, id), caseNo);
    await this.orNotFound(id, `case ${caseNo}`, () => this.workflows.query(workflowId, supportCaseStatusQuery));
    // A case that was confirmed has closed: Temporal answers "not found", which is a 409 (no longer running).
    const status = await this.workflows.update(workflowId, CASE_UPDATES[step], { by: actor.name, note: dto.note });
    await this.audit.append({ deliveryId: id, actor: actor.name, action: `case.${step}`, detail: { caseNo, state: status.state } });
    return status;
  }

  async renewSubscription(actor: Actor, id: string, dto: SubscriptionRenewalDto): Promise<SupportSubscriptionStatus> {
    const workflowId = await this.obligationsOf(actor, id);
    await this.orNotFound(id, 'support subscription', () => this.workflows.query(workflowId, supportSubscriptionStatusQuery));
    const renewed = await this.workflows.update(workflowId, renewSubscriptionUpdate, { endsAt: new Date(dto.endsAt).toISOString(), renewedBy: actor.name });
    await this.audit.append({ deliveryId: id, actor: actor.name, action: 'subscription.renewed', detail: { endsAt: renewed.period.endsAt } });
    return renewed;
  }

  async tasks(actor: Actor, id: string): Promise<ObligationTask[]> {
    const workflowId = await this.obligationsOf(actor, id);
    return this.orNotFound(id, 'obligation', () => this.workflows.query(workflowId, obligationTasksQuery));
  }

  async completeTask(actor: Actor, id: string, taskId: string, dto: ObligationTaskCompletionDto): Promise<ObligationTask> {
    const workflowId = await this.obligationsOf(actor, id);
    await this.orNotFound(id, 'obligation', () => this.workflows.query(workflowId, obligationTasksQuery));
    const task = await this.workflows.update(workflowId, completeObligationTaskUpdate, {
      taskId,
      completedBy: actor.name,
      ...(dto.remarks !== undefined ? { remarks: dto.remarks } : {}),
      ...(dto.score !== undefined ? { score: dto.score } : {}),
      ...(dto.attendance !== undefined ? { attendance: dto.attendance.map((a) => ({ attendee: a.attendee, present: a.present })) } : {}),
    });
    await this.audit.append({
      deliveryId: id,
      actor: actor.name,
      action: 'obligation.task-completed',
      detail: { taskId, kind: task.kind, score: task.score ?? null },
    });
    return task;
  }

  /**
   * The automated services the delivery's steps run as children (信创's database conversion): each
   * a delivery of its own, shown with its phase, step and progress as the app database has them.
   */
  async childServices(actor: Actor, id: string): Promise<ChildServiceView[]> {
    const parent = await this.deliveries.visible(actor, id);
    const live = (await this.workflows.query(parent.workflowId, deliveryStatusQuery)) as DeliveryStatus & {
      flow?: { obligations?: { kind: string; step?: string; status: string; state?: Record<string, unknown> }[] };
    };
    const children = (live.flow?.obligations ?? []).filter((o) => o.kind === 'child-service' && typeof o.state?.['deliveryId'] === 'string');
    return Promise.all(
      children.map(async (o) => {
        const child = await this.deliveries.visible(actor, String(o.state!['deliveryId']));
        return {
          step: o.step ?? '',
          status: o.status,
          deliveryId: child.id,
          workflowId: child.workflowId,
          serviceType: child.serviceType,
          phase: child.phase,
          childStep: child.step,
          progress: child.progress,
          awaiting: child.awaiting,
        };
      }),
    );
  }

  private async obligationsOf(actor: Actor, id: string): Promise<string> {
    return obligationWorkflowId((await this.deliveries.visible(actor, id)).workflowId);
  }

  /** A delivery without such an obligation (or a case number it never had) is a 404. */
  private async orNotFound<T>(id: string, what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException({ message: `Delivery ${id} has no ${what}.` });
      throw err;
    }
  }
}
