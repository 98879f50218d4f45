import type { CatalogFlowCode, FlowStepDefinition, ObligationDefinition, PersonDayAllowance, TaskRole } from '@sdo/contracts';
import type { FieldProblem } from './parameters';
import { FLOW_PRODUCTS } from './flow-products';
import { SECURITY_ITEMS, SecurityItem } from './flow-parameters';

export const SECURITY_ITEM_NAMES: Record<SecurityItem, { zh: string; en: string }> = {
  'security-patching': { zh: '产品安全补丁与加固', en: 'Security patches and hardening' },
  antivirus: { zh: '防病毒', en: 'Antivirus' },
  edr: { zh: '终端检测与响应', en: 'Endpoint detection & response' },
  'vulnerability-scan': { zh: '漏洞扫描', en: 'Vulnerability scan' },
  'penetration-test': { zh: '渗透测试（含复测）', en: 'Penetration test (with retest)' },
  'anti-ransomware-check': { zh: '防勒索检查', en: 'Anti-ransomware check' },
  'periodic-inspection': { zh: '定期安全巡检', en: 'Periodic security inspection' },
  'security-training': { zh: '安全培训', en: 'Security training' },
  'virtual-patching': { zh: '虚拟补丁', en: 'Virtual patching' },
  'zero-trust': { zh: '零信任', en: 'Zero trust' },
};

/** What the catalog-flow workflow needs of a product, given the (validated) parameters of one order. */
export interface FlowPlan {
  flow: FlowStepDefinition[];
  obligations: ObligationDefinition[];
  assignees: Partial<Record<TaskRole, string>>;
  personDays?: PersonDayAllowance;
}

export function flowProduct(code: CatalogFlowCode) {
  const product = FLOW_PRODUCTS.find((p) => p.code === code);
  if (!product) throw new Error(`${code} is not a catalog flow`);
  return product;
}

/**
 * The flow step that carries an obligation of `kind`, and who its inbox rows go to: the order's
 * assignee for the step's role, else the person who started the delivery. Undefined when no step carries it.
 */
export function obligationOwner(
  code: CatalogFlowCode,
  kind: string,
  delivery: { parameters: Record<string, unknown>; createdBy: string },
): { stepIndex: number; stepCode: string; role: string; assignee: string } | undefined {
  const product = flowProduct(code);
  const stepCode = product.obligations.find((o) => o.kind === kind)?.step;
  const stepIndex = product.flow.findIndex((s) => s.code === stepCode);
  const step = product.flow[stepIndex];
  if (!step) return undefined;
  const assignee = (delivery.parameters['assignees'] as Record<string, unknown> | undefined)?.[step.role];
  return { stepIndex, stepCode: step.code, role: step.role, assignee: typeof assignee === 'string' ? assignee : delivery.createdBy };
}

export function flowPlan(code: CatalogFlowCode, parameters: Record<string, unknown>): FlowPlan {
  const product = flowProduct(code);
  const sla = (parameters['slaDays'] as Record<string, number> | undefined) ?? {};
  const flow = product.flow.map((step) => ({
    ...step,
    dueDays: sla[step.code] ?? step.dueDays,
    checklist: [...step.checklist],
  }));
  const personDays =
    code === 'onsite-package' || code === 'onsite-service'
      ? {
          total: Number(parameters['personDays']),
          ...(typeof parameters['validUntil'] === 'string' ? { validUntil: parameters['validUntil'] } : {}),
        }
      : undefined;
  return {
    flow,
    obligations: product.obligations.map((o) => ({ ...o, ...(o.settings ? { settings: { ...o.settings } } : {}) })),
    assignees: { ...((parameters['assignees'] as Partial<Record<TaskRole, string>> | undefined) ?? {}) },
    ...(personDays ? { personDays } : {}),
  };
}

/** Checks across fields that a DTO cannot express; `today` is YYYY-MM-DD (UTC). */
export function flowParameterProblems(code: CatalogFlowCode, parameters: Record<string, unknown>, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const validUntil = parameters['validUntil'];
  if (typeof validUntil === 'string' && validUntil < today)
    problems.push({ field: 'parameters.validUntil', reason: `must not be in the past (today is ${today})` });
  const { startsOn, endsOn } = parameters as { startsOn?: unknown; endsOn?: unknown };
  if (typeof startsOn === 'string' && typeof endsOn === 'string' && endsOn <= startsOn) {
    problems.push({ field: 'parameters.endsOn', reason: 'must be after startsOn' });
  }
  const caseSla = parameters['caseSla'] as { respondWithinHours?: unknown; resolveWithinHours?: unknown } | undefined;
  if (
    caseSla &&
    typeof caseSla.respondWithinHours === 'number' &&
    typeof caseSla.resolveWithinHours === 'number' &&
    caseSla.resolveWithinHours < caseSla.respondWithinHours
  ) {
    problems.push({
      field: 'parameters.caseSla.resolveWithinHours',
      reason: 'must not be less than respondWithinHours (a case is responded to before it is resolved)',
    });
  }
  const sla = parameters['slaDays'];
  if (sla && typeof sla === 'object') {
    const steps = flowProduct(code).flow.map((s) => s.code);
    for (const step of Object.keys(sla)) {
      if (!steps.includes(step)) problems.push({ field: `parameters.slaDays.${step}`, reason: `is not a step of ${code} (steps: ${steps.join(', ')})` });
    }
  }
  if (code === 'security-protection' && !Array.isArray(parameters['items']))
    problems.push({ field: 'parameters.items', reason: `must list items of ${SECURITY_ITEMS.join(', ')}` });
  return problems;
}
