import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isGrpcDeadlineError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { UpdateDefinition, WorkflowNotFoundError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import {
  CaseSummary,
  deliveryStatusQuery,
  DeliveryStatus,
  isCatalogFlowCode,
  completeObligationTaskUpdate,
  confirmCaseUpdate,
  OBLIGATION_WORKFLOW_TYPES,
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
import { obligationOwner } from '@sdo/catalog';
import { DecisionLedger, TaskStore } from '@sdo/persistence';
import type { Actor } from '../auth/actor';
import { DeliveriesService } from '../deliveries/deliveries.service';
import type { PendingDecisionDto } from '../deliveries/dtos/delivery-view.dto';
import { toPendingDecision } from '../deliveries/pending-decisions';
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

/** A decision the obligation took (or refused, → 409), or one still pending because no worker took it in time (→ 202). */
export type ObligationAnswer<R> = { kind: 'decided'; result: R } | { kind: 'pending'; decision: PendingDecisionDto };
const CASE_UPDATES = { response: respondCaseUpdate, resolution: resolveCaseUpdate, confirmation: confirmCaseUpdate } as const;
const NEXT_CASE_STEP: Record<SupportCaseStatus['state'], CaseStep | undefined> = {
  opened: 'response',
  responded: 'resolution',
  resolved: 'confirmation',
  confirmed: undefined,
};

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
    private readonly decisions: DecisionLedger,
    private readonly inbox: TaskStore,
  ) {}

  async subscription(actor: Actor, id: string): Promise<SupportSubscriptionStatus> {
    const workflowId = await this.obligationsOf(actor, id);
    return this.orNotFound(id, 'support subscription', () => this.workflows.query(workflowId, supportSubscriptionStatusQuery));
  }

  async openCase(actor: Actor, id: string, dto: CaseOpeningDto): Promise<ObligationAnswer<CaseSummary>> {
    const workflowId = await this.obligationsOf(actor, id);
    await this.orNotFound(id, 'support subscription', () => this.workflows.exists(workflowId, OBLIGATION_WORKFLOW_TYPES.supportSubscription));
    const opening = { title: dto.title, ...(dto.description ? { description: dto.description } : {}), openedBy: actor.name };
    const answer = await this.decide(actor, id, workflowId, 'case.opened', openCaseUpdate, opening, (c) => ({ caseNo: c.caseNo }));
    if (answer.kind === 'decided') await this.recordCaseTask(actor, id, answer.result.workflowId);
    return answer;
  }

  async supportCase(actor: Actor, id: string, caseNo: number): Promise<SupportCaseStatus> {
    const workflowId = supportCaseWorkflowId(await this.obligationsOf(actor, id), caseNo);
    return this.orNotFound(id, `case ${caseNo}`, () => this.workflows.query(workflowId, supportCaseStatusQuery));
  }

  async answerCase(actor: Actor, id: string, caseNo: number, step: CaseStep, dto: CaseAnswerDto): Promise<ObligationAnswer<SupportCaseStatus>> {
    const workflowId = supportCaseWorkflowId(await this.obligationsOf(actor, id), caseNo);
    await this.orNotFound(id, `case ${caseNo}`, () => this.workflows.exists(workflowId, OBLIGATION_WORKFLOW_TYPES.supportCase));
    // A case that was confirmed has closed: Temporal answers "not found", which is a 409 (no longer running).
    const answer = await this.decide(actor, id, workflowId, `case.${step}`, CASE_UPDATES[step], { by: actor.name, note: dto.note }, (c) => ({
      caseNo,
      state: c.state,
    }));
    if (answer.kind === 'decided') await this.recordCaseTask(actor, id, workflowId, answer.result);
    return answer;
  }

  /** The case's next action, from its state (for the inbox's completion route). */
  async nextCaseStep(actor: Actor, id: string, caseNo: number): Promise<CaseStep | undefined> {
    const status = await this.supportCase(actor, id, caseNo);
    return NEXT_CASE_STEP[status.state];
  }

  /**
   * The case in the task inbox: one row that says what the case waits for (a response, a
   * resolution, the customer's confirmation) and until when; done once confirmed. Best effort:
   * the case itself is the record, the row only lists it.
   */
  private async recordCaseTask(actor: Actor, id: string, caseWorkflowId: string, known?: SupportCaseStatus): Promise<void> {
    try {
      const status = known ?? (await this.workflows.query(caseWorkflowId, supportCaseStatusQuery));
      const delivery = await this.deliveries.visible(actor, id);
      if (!isCatalogFlowCode(delivery.serviceType)) return;
      const owner = obligationOwner(delivery.serviceType, 'support-cases', delivery);
      if (!owner) return;
      const next = NEXT_CASE_STEP[status.state];
      const waitsFor = next === 'response' ? 'respond' : next === 'resolution' ? 'resolve' : next === 'confirmation' ? 'customer confirmation' : 'confirmed';
      await this.inbox.recordCaseTask({
        deliveryId: id,
        customerId: delivery.customerId,
        serviceType: delivery.serviceType,
        ...owner,
        obligationTaskId: `case-${status.caseNo}`,
        obligationKind: 'support-case',
        title: `Case ${status.caseNo}: ${status.title} (${waitsFor})`,
        openedAt: new Date(status.openedAt),
        dueAt: next === 'response' ? new Date(status.respondDueAt) : next === 'resolution' ? new Date(status.resolveDueAt) : null,
        done: next === undefined,
        by: actor.name,
      });
    } catch {
      // The inbox row is a listing: a case the API cannot read now is listed on its next action.
    }
  }

  async renewSubscription(actor: Actor, id: string, dto: SubscriptionRenewalDto): Promise<ObligationAnswer<SupportSubscriptionStatus>> {
    const workflowId = await this.obligationsOf(actor, id);
    await this.orNotFound(id, 'support subscription', () => this.workflows.exists(workflowId, OBLIGATION_WORKFLOW_TYPES.supportSubscription));
    const renewal = { endsAt: new Date(dto.endsAt).toISOString(), renewedBy: actor.name };
    return this.decide(actor, id, workflowId, 'subscription.renewed', renewSubscriptionUpdate, renewal, (r) => ({ endsAt: r.period.endsAt }));
  }

  async tasks(actor: Actor, id: string): Promise<ObligationTask[]> {
    const workflowId = await this.obligationsOf(actor, id);
    return this.orNotFound(id, 'obligation', () => this.workflows.query(workflowId, obligationTasksQuery));
  }

  async completeTask(actor: Actor, id: string, taskId: string, dto: ObligationTaskCompletionDto): Promise<ObligationAnswer<ObligationTask>> {
    const workflowId = await this.obligationsOf(actor, id);
    // Recurring services and task plans hold tasks.
    await this.orNotFound(id, 'obligation', () =>
      this.workflows.exists(workflowId, OBLIGATION_WORKFLOW_TYPES.recurringService, OBLIGATION_WORKFLOW_TYPES.taskPlan),
    );
    const completion = {
      taskId,
      completedBy: actor.name,
      ...(dto.remarks !== undefined ? { remarks: dto.remarks } : {}),
      ...(dto.score !== undefined ? { score: dto.score } : {}),
      ...(dto.attendance !== undefined ? { attendance: dto.attendance.map((a) => ({ attendee: a.attendee, present: a.present })) } : {}),
    };
    const answer = await this.decide(actor, id, workflowId, 'obligation.task-completed', completeObligationTaskUpdate, completion, (t) => ({
      kind: t.kind,
      score: t.score ?? null,
    }));
    if (answer.kind === 'decided') {
      const task = answer.result;
      await this.inbox.closeObligationTask(id, taskId, actor.name, task.completedAt ? new Date(task.completedAt) : new Date());
    }
    return answer;
  }

  /**
   * Sends an Update to an obligation's workflow under a recorded decision, as the delivery gates do:
   * refused → 409 (audited as refused), no worker in time → pending (202; a later read of the
   * delivery resolves and audits it), accepted → audited once with `detailOf` the result.
   */
  private async decide<R, A extends object>(
    actor: Actor,
    deliveryId: string,
    workflowId: string,
    action: string,
    update: UpdateDefinition<R, [A]>,
    arg: A,
    detailOf: (result: R) => Record<string, unknown>,
  ): Promise<ObligationAnswer<R>> {
    const decision = await this.decisions.open({ id: randomUUID(), deliveryId, action, actor: actor.name, arg: arg as Record<string, unknown>, workflowId });
    try {
      const result = await this.workflows.update(workflowId, update, arg, decision.id);
      await this.decisions.resolve(decision.id, { status: 'accepted', detail: detailOf(result) });
      return { kind: 'decided', result };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        await this.decisions.resolve(decision.id, { status: 'refused', reason: err.cause?.message ?? err.message });
      } else if (err instanceof WorkflowNotFoundError || err instanceof ConflictException) {
        await this.decisions.discard(decision.id); // closed or unknown: the Update never reached a workflow
      } else if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) {
        return { kind: 'pending', decision: toPendingDecision(decision) };
      }
      throw err;
    }
  }

  /**
   * The automated services the delivery's steps run as children (信创's database conversion): each
   * a delivery of its own, shown with its phase, step and progress as the app database has them.
   */
  async childServices(actor: Actor, id: string): Promise<ChildServiceView[]> {
    const parent = await this.deliveries.visible(actor, id);
    const live = ((await this.deliveries.finalStatusOf(parent)) ?? (await this.workflows.query(parent.workflowId, deliveryStatusQuery))) as DeliveryStatus & {
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
