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
  ANTI_RANSOMWARE_MAX,
  paasLabPlan,
  PeriodLength,
  PlannedTask,
  RecurringServiceInput,
  SECURITY_ITEMS,
  SecurityItem,
  securityPlan,
  SupportSubscriptionInput,
  TaskPlanInput,
  trainingPlan,
} from '@sdo/contracts';

/** Support SLAs when the contract names none: a first response within a working day, a resolution within a week. */
export const DEFAULT_CASE_SLA = { respondWithin: '1 day', resolveWithin: '5 days' } as const;

export interface ObligationChild {
  kind: string;
  workflowType: string;
  workflowId: string;
  args: [SupportSubscriptionInput | RecurringServiceInput | TaskPlanInput | DeliveryInput];
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
            sla: slaOf(definition, p),
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
    case 'security-items':
    case 'training-sessions':
    case 'paas-milestones':
      return {
        ...base,
        workflowType: OBLIGATION_WORKFLOW_TYPES.taskPlan,
        args: [{ deliveryId: input.deliveryId, plan: planOf(definition.kind, p, periodLength) }],
      };
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

const CHILD_KINDS = [
  'support-cases',
  'monthly-sla-assessment',
  'recurring-operations',
  'security-items',
  'training-sessions',
  'paas-milestones',
  'child-service',
];

/** Task-plan obligations: run by the task-plan workflow, which completes when every planned task is closed. */
export const TASK_PLAN_KINDS = ['security-items', 'training-sessions', 'paas-milestones'];

/**
 * The plan of a task-plan obligation from the order's parameters: the contracted security items
 * (the anti-ransomware check boxed to a month, or to a configured shorter "month"), a training's
 * course plan and one task per session, the PaaS lab's milestones and reviews then certification.
 */
function planOf(kind: string, p: Record<string, unknown>, month: PeriodLength): PlannedTask[] {
  if (kind === 'security-items') {
    const items = (Array.isArray(p['items']) ? p['items'] : []).filter((i): i is SecurityItem => (SECURITY_ITEMS as readonly unknown[]).includes(i));
    return securityPlan(items, month === 'month' ? ANTI_RANSOMWARE_MAX : month);
  }
  if (kind === 'training-sessions') {
    const courses = (Array.isArray(p['courses']) ? p['courses'] : []).map(String);
    const sessions = Math.max(1, Number(p['sessions']) || 1);
    return trainingPlan(Array.from({ length: sessions }, (_, i) => `Session ${i + 1}${courses.length ? `: ${courses[i % courses.length]}` : ''}`));
  }
  return paasLabPlan();
}

/** The order's case SLAs (parameters.caseSla, validated by the API), else the product's, else the defaults. */
function slaOf(definition: ObligationDefinition, p: Record<string, unknown>): SupportSubscriptionInput['sla'] {
  const ordered = p['caseSla'] as { respondWithinHours?: unknown; resolveWithinHours?: unknown } | undefined;
  if (ordered && typeof ordered.respondWithinHours === 'number' && typeof ordered.resolveWithinHours === 'number') {
    return { respondWithin: `${ordered.respondWithinHours} hours`, resolveWithin: `${ordered.resolveWithinHours} hours` };
  }
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
