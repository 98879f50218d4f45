import { ConflictException, Injectable } from '@nestjs/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { UpdateDefinition } from '@temporalio/common';
import {
  approvePlanUpdate,
  confirmAcceptanceUpdate,
  DeliveryStatus,
  moveCutoverWindowUpdate,
  rejectAcceptanceUpdate,
  rejectPlanUpdate,
  signContractUpdate,
} from '@sdo/contracts';
import { AuditTrail, DeliveryStore } from '@sdo/persistence';
import type { Actor } from '../auth/actor';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorkflows } from './delivery-workflows';
import type {
  AcceptanceConfirmationDto,
  AcceptanceRejectionDto,
  CancellationDto,
  ContractSignatureDto,
  CutoverWindowChangeDto,
  PlanApprovalDto,
  PlanRejectionDto,
} from './dtos/gates.dto';
import type { CancellationAcceptedDto } from './dtos/delivery-view.dto';

/**
 * The human gates. Each runs the workflow's Update (whose validator refuses a gate in the wrong
 * phase or for a stale plan revision → 409) with the caller as the deciding person, and writes
 * the decision — or its refusal — to the audit trail.
 */
@Injectable()
export class DeliveryGatesService {
  constructor(
    private readonly deliveriesService: DeliveriesService,
    private readonly deliveries: DeliveryStore,
    private readonly workflows: DeliveryWorkflows,
    private readonly audit: AuditTrail,
  ) {}

  signContract(actor: Actor, id: string, dto: ContractSignatureDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'contract.signed', signContractUpdate, { contractRef: dto.contractRef, signedBy: actor.name });
  }

  approvePlan(actor: Actor, id: string, dto: PlanApprovalDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'plan.approved', approvePlanUpdate, { revision: dto.revision, decidedBy: actor.name, ...(dto.comment ? { comment: dto.comment } : {}) });
  }

  rejectPlan(actor: Actor, id: string, dto: PlanRejectionDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'plan.rejected', rejectPlanUpdate, { revision: dto.revision, decidedBy: actor.name, comment: dto.comment });
  }

  confirmAcceptance(actor: Actor, id: string, dto: AcceptanceConfirmationDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'acceptance.confirmed', confirmAcceptanceUpdate, { confirmedBy: actor.name, ...(dto.comment ? { comment: dto.comment } : {}) });
  }

  rejectAcceptance(actor: Actor, id: string, dto: AcceptanceRejectionDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'acceptance.rejected', rejectAcceptanceUpdate, { rejectedBy: actor.name, reason: dto.reason, ...(dto.reopen ? { reopen: dto.reopen } : {}) });
  }

  moveCutoverWindow(actor: Actor, id: string, dto: CutoverWindowChangeDto): Promise<DeliveryStatus> {
    return this.gate(actor, id, 'cutover-window.moved', moveCutoverWindowUpdate, {
      startsAt: new Date(dto.startsAt).toISOString(),
      ...(dto.durationMinutes ? { durationMinutes: dto.durationMinutes } : {}),
      movedBy: actor.name,
    });
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
    return { deliveryId: id, reason: dto.reason, message: 'Cancellation requested: the delivery undoes what applies and stops; follow it with GET /v1/deliveries/{id}.' };
  }

  private async gate<Arg extends object>(actor: Actor, id: string, action: string, update: UpdateDefinition<DeliveryStatus, [Arg]>, arg: Arg): Promise<DeliveryStatus> {
    const delivery = await this.deliveriesService.visible(actor, id);
    try {
      const status = await this.workflows.update(delivery.workflowId, update, arg);
      await this.audit.append({ deliveryId: id, actor: actor.name, action, detail: { ...arg, phase: status.phase } });
      return status;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        await this.audit.append({ deliveryId: id, actor: actor.name, action: `${action}.refused`, detail: { ...arg, reason: err.cause?.message ?? err.message } });
      }
      throw err;
    }
  }
}
