import { ApplicationFailure } from '@temporalio/common';
import type { ChildServiceActivities, ServiceType } from '@sdo/contracts';
import type { AuditTrail, DeliveryStore } from '@sdo/persistence';

export interface ChildDeliveryDeps {
  deliveries: Pick<DeliveryStore, 'claim' | 'markStarted'>;
  audit: Pick<AuditTrail, 'append'>;
}

/** A child service is a delivery of its own in the app database: listed, steered and audited like any other. */
export function createChildServiceActivities({ deliveries, audit }: ChildDeliveryDeps): ChildServiceActivities {
  return {
    async claimChildDelivery(c) {
      // One key per parent step: a retried activity finds the claim it made.
      const claim = await deliveries.claim({
        workflowId: c.workflowId,
        idempotencyKey: `child:${c.parentDeliveryId}:${c.stepCode}`,
        requestFingerprint: `child:${c.parentDeliveryId}:${c.stepCode}`,
        serviceType: c.serviceType as ServiceType,
        customerId: c.customerId,
        orderNo: c.orderNo,
        environments: c.environments,
        parameters: c.parameters,
        cutoverWindow: c.cutoverWindow,
        contractRef: c.contractRef ?? null,
        createdBy: 'sdo',
      });
      if (claim.kind === 'key-reused' || claim.kind === 'order-taken') {
        throw ApplicationFailure.nonRetryable(`order ${c.orderNo} already has another ${c.serviceType} delivery (${claim.delivery.id})`, 'ChildDeliveryTaken');
      }
      if (claim.kind === 'created') {
        await audit.append({
          deliveryId: claim.delivery.id,
          actor: 'sdo',
          action: 'delivery.requested',
          detail: { parentDeliveryId: c.parentDeliveryId, step: c.stepCode, serviceType: c.serviceType },
        });
      }
      // The workflow starts the child right after; marking it now keeps the API from releasing the claim.
      await deliveries.markStarted(claim.delivery.id);
      return { deliveryId: claim.delivery.id };
    },
  };
}
