import { ConflictException, Injectable } from '@nestjs/common';
import { isGrpcDeadlineError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { UpdateDefinition, WorkflowNotFoundError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import {
  amendParametersUpdate,
  approvePlanUpdate,
  confirmAcceptanceUpdate,
  DeliveryStatus,
  moveCutoverWindowUpdate,
  rejectAcceptanceUpdate,
  rejectPlanUpdate,
  signContractUpdate,
} from '@sdo/contracts';
import { AuditTrail, DecisionLedger, DeliveryStore } from '@sdo/persistence';
import type { Actor } from '../auth/actor';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorkflows } from './delivery-workflows';
import { toPendingDecision } from './pending-decisions';
import type {
  AcceptanceConfirmationDto,
  AcceptanceRejectionDto,
  CancellationDto,
  ContractSignatureDto,
  CutoverWindowChangeDto,
  ParameterAmendmentDto,
  PlanApprovalDto,
  PlanRejectionDto,
} from './dtos/gates.dto';
import type { CancellationAcceptedDto, PendingDecisionDto } from './dtos/delivery-view.dto';

/** A gate's answer: the workflow took (or refused, → 409) the decision, or it is pending (→ 202). */
export type GateAnswer = { kind: 'decided'; status: DeliveryStatus } | { kind: 'pending'; decision: PendingDecisionDto };

/**
 * The human gates. Each decision is recorded (pending) before its Workflow Update is sent under
 * the decision's ID; the workflow's validator refuses a gate in the wrong phase or for a stale
 * plan revision (→ 409). Whoever learns the outcome first — this request, or a later read that
 * polls the Update by ID — resolves the decision and writes its audit entry, exactly once.
 */
@Injectable()
export class DeliveryGatesService {
  constructor(
    private readonly deliveriesService: DeliveriesService,
    private readonly deliveries: DeliveryStore,
    private readonly workflows: DeliveryWorkflows,
    private readonly audit: AuditTrail,
    private readonly decisions: DecisionLedger,
  ) {}

  signContract(actor: Actor, id: string, dto: ContractSignatureDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'contract.signed', signContractUpdate, () => ({ contractRef: dto.contractRef, signedBy: actor.name }));
  }

  approvePlan(actor: Actor, id: string, dto: PlanApprovalDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'plan.approved', approvePlanUpdate, () => ({
      revision: dto.revision,
      decidedBy: actor.name,
      ...(dto.comment ? { comment: dto.comment } : {}),
      ...(dto.confirmDependents !== undefined ? { confirmDependents: dto.confirmDependents } : {}),
    }));
  }

  rejectPlan(actor: Actor, id: string, dto: PlanRejectionDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'plan.rejected', rejectPlanUpdate, () => ({ revision: dto.revision, decidedBy: actor.name, comment: dto.comment }));
  }

  confirmAcceptance(actor: Actor, id: string, dto: AcceptanceConfirmationDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'acceptance.confirmed', confirmAcceptanceUpdate, () => ({
      confirmedBy: actor.name,
      ...(dto.comment ? { comment: dto.comment } : {}),
    }));
  }

  rejectAcceptance(actor: Actor, id: string, dto: AcceptanceRejectionDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'acceptance.rejected', rejectAcceptanceUpdate, () => ({
      rejectedBy: actor.name,
      reason: dto.reason,
      ...(dto.reopen ? { reopen: dto.reopen } : {}),
    }));
  }

  moveCutoverWindow(actor: Actor, id: string, dto: CutoverWindowChangeDto): Promise<GateAnswer> {
    return this.gate(actor, id, 'cutover-window.moved', moveCutoverWindowUpdate, () => ({
      startsAt: new Date(dto.startsAt).toISOString(),
      ...(dto.durationMinutes ? { durationMinutes: dto.durationMinutes } : {}),
      movedBy: actor.name,
    }));
  }

  /**
   * New parameters for a delivery blocked at assessment or awaiting plan approval, checked exactly
   * as a start's (400, nothing recorded); the workflow refuses them in any other state (409).
   */
  async amendParameters(actor: Actor, id: string, dto: ParameterAmendmentDto): Promise<GateAnswer> {
    const delivery = await this.deliveriesService.visible(actor, id);
    if (delivery.phase !== 'assessment' && delivery.phase !== 'plan') {
      throw new ConflictException({ message: `Parameters can be amended only during assessment or planning; delivery ${id} is in phase ${delivery.phase}.` });
    }
    const environments = { ...delivery.environments, ...(dto.environments ?? {}) };
    await this.deliveriesService.checkRequest({ serviceType: delivery.serviceType, customerId: delivery.customerId, environments, parameters: dto.parameters });
    return this.gate(actor, id, 'parameters.amended', amendParametersUpdate, () => ({
      parameters: dto.parameters,
      ...(dto.environments ? { environments: dto.environments } : {}),
      amendedBy: actor.name,
      ...(dto.comment ? { comment: dto.comment } : {}),
    }));
  }

  /** Records why, then asks Temporal to cancel; the workflow runs the compensations that apply. */
  async cancel(actor: Actor, id: string, dto: CancellationDto): Promise<CancellationAcceptedDto> {
    const delivery = await this.deliveriesService.visible(actor, id);
    if (!(await this.workflows.isRunning(delivery.workflowId))) {
      throw new ConflictException({ message: `Delivery ${id} is no longer running (phase ${delivery.phase}), so it cannot be cancelled.` });
    }
    await this.deliveries.recordCancelRequest(id, dto.reason);
    await this.audit.append({ deliveryId: id, actor: actor.name, action: 'delivery.cancellation-requested', detail: { reason: dto.reason } });
    await this.workflows.cancel(delivery.workflowId);
    this.deliveriesService.forgetLiveStatus(delivery.workflowId);
    return {
      deliveryId: id,
      reason: dto.reason,
      message: 'Cancellation requested: the delivery undoes what applies and stops; follow it with GET /v1/deliveries/{id}.',
    };
  }

  /** Sends an Update under a recorded decision (also used for catalog-flow tasks and ledgers). */
  async gate<Arg extends object>(
    actor: Actor,
    id: string,
    action: string,
    update: UpdateDefinition<DeliveryStatus, [Arg]>,
    argOf: () => Arg,
  ): Promise<GateAnswer> {
    // The caller must see the delivery before anything about the request is looked at.
    const delivery = await this.deliveriesService.visible(actor, id);
    const arg = argOf();
    const decision = await this.decisions.open({ id: randomUUID(), deliveryId: id, action, actor: actor.name, arg: arg as Record<string, unknown> });
    try {
      const status = await this.workflows
        .update(delivery.workflowId, update, arg, decision.id)
        .finally(() => this.deliveriesService.forgetLiveStatus(delivery.workflowId));
      await this.decisions.resolve(decision.id, { status: 'accepted', detail: { phase: status.phase } });
      return { kind: 'decided', status };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        await this.decisions.resolve(decision.id, { status: 'refused', reason: err.cause?.message ?? err.message });
      } else if (err instanceof WorkflowNotFoundError) {
        await this.decisions.discard(decision.id); // not running: the Update never reached a workflow
      } else if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isGrpcDeadlineError(err)) {
        // No worker took it in time: it takes effect when one does. A later read polls the
        // Update by ID, resolves the decision and audits it.
        return { kind: 'pending', decision: toPendingDecision(decision) };
      }
      // Anything else (Temporal unreachable, the app database failing) answers 5xx; the decision
      // stays pending and a later read resolves it — as lost if it never reached the workflow.
      throw err;
    }
  }
}
