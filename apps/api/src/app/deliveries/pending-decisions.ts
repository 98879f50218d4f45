import type { GateName } from '@sdo/contracts';
import type { DeliveryDecisionEntity } from '@sdo/persistence';
import type { PendingDecisionDto } from './dtos/delivery-view.dto';

/** The gate each audited decision belongs to. */
const GATE_OF_ACTION: Record<string, GateName> = {
  'contract.signed': 'contractSignature',
  'plan.approved': 'planApproval',
  'plan.rejected': 'planApproval',
  'acceptance.confirmed': 'acceptance',
  'acceptance.rejected': 'acceptance',
  'cutover-window.moved': 'cutoverWindow',
};

export function toPendingDecision(d: DeliveryDecisionEntity): PendingDecisionDto {
  return { updateId: d.id, gate: GATE_OF_ACTION[d.action] ?? d.action, action: d.action, arg: d.arg, requestedBy: d.actor, requestedAt: d.createdAt };
}
