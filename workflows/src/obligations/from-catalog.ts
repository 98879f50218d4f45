import {
  CatalogFlowInput,
  ChildDeliveryClaim,
  childOrderNo,
  ChildServiceRequest,
  DeliveryInput,
  DELIVERY_WORKFLOW_TYPES,
  deliveryWorkflowId,
  isServiceType,
  ObligationDefinition,
  OBLIGATION_WORKFLOW_TYPES,
  obligationWorkflowId,
  PeriodLength,
  RecurringServiceInput,
  SupportSubscriptionInput,
} from '@sdo/contracts';

/** Support SLAs when the contract names none: a first response within a working day, a resolution within a week. */
export const DEFAULT_CASE_SLA = { respondWithin: '1 day', resolveWithin: '5 days' } as const;

export interface ObligationChild {
  kind: string;
  workflowType: string;
  workflowId: string;
  args: [SupportSubscriptionInput | RecurringServiceInput | DeliveryInput];
  /** Child services only: their own delivery record, claimed before the child starts (its ID goes into the input). */
  claim?: ChildDeliveryClaim;
}

/**
 * The child workflow that carries a step's obligation (support cases, monthly SLA assessments,
 * recurring O&M), with its input from the order's parameters; undefined when the step has none.
 * Named after the delivery (not the run), so replays and the API find it under the same ID.
 */
export function obligationChild(input: CatalogFlowInput, stepCode: string, now: number): ObligationChild | undefined {
  const definition = input.obligations.find((o) => o.step === stepCode && CHILD_KINDS.includes(o.kind));
  if (!definition) return undefined;
  const deliveryWfId = deliveryWorkflowId(input.serviceType, input.customerId, input.orderNo);
  const base = { workflowId: obligationWorkflowId(deliveryWfId), kind: definition.kind };
  const p = input.parameters;
  const periodLength = (definition.settings?.['periodLength'] as PeriodLength | undefined) ?? 'month';
  switch (definition.kind) {
    case 'support-cases':
      return {
        ...base,
        workflowType: OBLIGATION_WORKFLOW_TYPES.supportSubscription,
        args: [
          {
            deliveryId: input.deliveryId,
            deliveryWorkflowId: deliveryWfId,
            serviceType: input.serviceType,
            customerId: input.customerId,
            period: { startsAt: startOfDay(String(p['startsOn'])), endsAt: endOfDay(String(p['endsOn'])) },
            sla: slaOf(definition),
            gatePolicy: input.gatePolicy,
          },
        ],
      };
    case 'monthly-sla-assessment':
      return {
        ...base,
        workflowType: OBLIGATION_WORKFLOW_TYPES.recurringService,
        args: [
          { deliveryId: input.deliveryId, kind: 'resident-service', startsAt: startOfDay(String(p['startsOn'])), periods: Number(p['months']), periodLength },
        ],
      };
    case 'recurring-operations': {
      // O&M starts when the step does (after installation and acceptance) and runs until the contract ends.
      const until = endOfDay(String(p['operationsUntil']));
      const periods = periodLength === 'month' ? Math.max(1, monthsBetween(now, Date.parse(until))) : Number(p['operationsPeriods'] ?? 12);
      return {
        ...base,
        workflowType: OBLIGATION_WORKFLOW_TYPES.recurringService,
        args: [{ deliveryId: input.deliveryId, kind: 'private-deployment-ops', startsAt: new Date(now).toISOString(), periods, periodLength }],
      };
    }
    case 'child-service': {
      // Without the child's request (environments, parameters) the step stays a task people do.
      const request = p['conversion'] as ChildServiceRequest | undefined;
      const serviceType = definition.settings?.['serviceType'];
      if (!request || !isServiceType(serviceType)) return undefined;
      const orderNo = childOrderNo(input.orderNo, stepCode);
      const workflowId = deliveryWorkflowId(serviceType, input.customerId, orderNo);
      const cutoverWindow = request.cutoverWindow ?? { startsAt: new Date(now).toISOString(), durationMinutes: 240 };
      const contractRef = input.contractRef ?? `${input.orderNo} (${input.serviceType})`;
      return {
        kind: definition.kind,
        workflowType: DELIVERY_WORKFLOW_TYPES[serviceType],
        workflowId,
        args: [
          {
            deliveryId: '',
            serviceType,
            customerId: input.customerId,
            orderNo,
            environments: { ...request.environments },
            parameters: { ...request.parameters },
            contractRef,
            cutoverWindow,
            gatePolicy: input.gatePolicy,
          },
        ],
        claim: {
          parentDeliveryId: input.deliveryId,
          stepCode,
          workflowId,
          serviceType,
          customerId: input.customerId,
          orderNo,
          environments: { ...request.environments },
          parameters: { ...request.parameters },
          cutoverWindow,
          contractRef,
        },
      };
    }
    default:
      return undefined;
  }
}

const CHILD_KINDS = ['support-cases', 'monthly-sla-assessment', 'recurring-operations', 'child-service'];

function slaOf(definition: ObligationDefinition): SupportSubscriptionInput['sla'] {
  const sla = definition.settings?.['sla'] as Partial<SupportSubscriptionInput['sla']> | undefined;
  return { respondWithin: sla?.respondWithin ?? DEFAULT_CASE_SLA.respondWithin, resolveWithin: sla?.resolveWithin ?? DEFAULT_CASE_SLA.resolveWithin };
}

function startOfDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toISOString();
}

function endOfDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 24 * 3600 * 1000).toISOString();
}

/** Whole calendar months from one instant to another, rounded up (a started month is served). */
function monthsBetween(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return b.getUTCDate() > a.getUTCDate() ? months + 1 : months;
}
