import { CATALOG_FLOW_CODES, FLOW_STEP_KINDS, TASK_ROLES } from '@sdo/contracts';
import { catalogService, catalogServices } from './catalog';
import { flowParameterProblems, flowPlan } from './flow-input';
import {
  OnsitePackageParametersDto,
  OnsiteServiceParametersDto,
  ResidentServiceParametersDto,
  SecurityProtectionParametersDto,
  SubscriptionParametersDto,
  isIsoDate,
} from './flow-parameters';
import { validateParameters } from './parameters';

const zhFlow = (code: Parameters<typeof catalogService>[0]) => catalogService(code).deliveryFlow.map((s) => s.zh);

describe('the catalog as data', () => {
  it('lists every product of the catalog (~25): the five automated services and every catalog flow', () => {
    expect(catalogServices()).toHaveLength(5 + CATALOG_FLOW_CODES.length);
    expect(CATALOG_FLOW_CODES.length).toBeGreaterThanOrEqual(19);
  });

  it('names the flows exactly as the catalog does (交付流程)', () => {
    expect(zhFlow('performance-optimization')).toEqual(['系统巡检', '性能诊断', '方案设计', '性能优化', '服务保障']);
    expect(zhFlow('cloud-audit')).toEqual(['需求沟通', '服务订阅', '服务开通', '在线使用', '结果确认', '服务评价与反馈']);
    expect(zhFlow('private-deployment-ops')).toEqual(['需求调研', '商机评估', '方案设计', '合同签订', '产品安装', '交付验收', '运维支持']);
    expect(zhFlow('environment-deployment')).toEqual(['需求调研', '商机评估', '方案设计', '合同签订', '产品安装', '验收']);
    expect(zhFlow('xinchuang')).toEqual(['售前支持', '需求调研', '服务签约', '信创方案设计', '服务交付', '验收确认']);
    expect(zhFlow('security-protection')).toEqual(['需求沟通与评估', '服务签约', '服务交付', '验收确认']);
    expect(zhFlow('training')).toEqual(['需求沟通与评估', '服务签约', '方案设计', '正式交付', '验收确认']);
    expect(zhFlow('application-enhancement')).toEqual(['需求沟通与评估', '服务购买', '交付', '结果确认']);
    expect(zhFlow('business-diagnosis')).toEqual(['诊断工具安装', '诊断数据分析', '应用改进建议', '推进商务方案']);
    expect(zhFlow('maintenance-development')).toEqual(['需求沟通与评估', '服务签约', '方案设计', '测试验证', '正式交付', '验收确认']);
    expect(zhFlow('system-migration')).toEqual(zhFlow('maintenance-development'));
    for (const code of ['data-adjustment-cleanup', 'chart-of-accounts-restructuring'] as const) {
      expect(zhFlow(code)).toEqual(['需求沟通与评估', '服务签约', '方案设计', '测试与方案确认', '正式交付', '验收确认']);
    }
  });

  it('types every step (task, gate or automated) with a role, an SLA and unique codes', () => {
    for (const service of catalogServices()) {
      const codes = service.deliveryFlow.map((s) => s.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const step of service.deliveryFlow) {
        expect(FLOW_STEP_KINDS).toContain(step.kind);
        expect(step.automated).toBe(step.kind === 'automated');
        if (!service.automated) {
          expect(TASK_ROLES).toContain(step.role);
          expect(step.dueDays).toBeGreaterThan(0);
          if (step.kind !== 'automated') expect(step.checklist?.length).toBeGreaterThan(0);
        }
      }
    }
    // Automated services: the contract and the acceptance wait for people, the rest SDO does.
    expect(catalogService('upgrade').deliveryFlow.map((s) => s.kind)).toEqual(['automated', 'gate', 'automated', 'automated', 'automated', 'gate']);
    expect(catalogService('onsite-package').deliveryFlow.map((s) => s.kind)).toEqual(['task', 'automated', 'gate']);
  });

  it('gives on-site products the ledger their obligations imply', () => {
    for (const code of ['onsite-package', 'onsite-service'] as const) {
      expect(catalogService(code).obligations).toEqual([{ kind: 'person-day-ledger', step: 'visits' }]);
    }
    expect(catalogService('resident-service').obligations.map((o) => o.kind)).toEqual(['monthly-sla-assessment']);
  });
});

describe('per-product parameters', () => {
  it('sells on-site packages of 12 or 24 person-days with a real validity date', () => {
    expect(validateParameters(OnsitePackageParametersDto, { personDays: 12, validUntil: '2027-06-30' }).ok).toBe(true);
    expect(validateParameters(OnsitePackageParametersDto, { personDays: 13, validUntil: '2027-06-30' })).toMatchObject({
      ok: false,
      problems: [{ field: 'parameters.personDays' }],
    });
    expect(validateParameters(OnsitePackageParametersDto, { personDays: 24, validUntil: '2027-02-30' })).toMatchObject({
      ok: false,
      problems: [{ field: 'parameters.validUntil' }],
    });
  });

  it('needs at least one person-day in half-day steps for an on-site service', () => {
    const ok = (personDays: unknown) => validateParameters(OnsiteServiceParametersDto, { personDays, level: 'junior' }).ok;
    expect(ok(1)).toBe(true);
    expect(ok(2.5)).toBe(true);
    expect(ok(0.5)).toBe(false);
    expect(ok(1.25)).toBe(false);
    expect(ok('2')).toBe(false);
  });

  it('needs at least one month of residence', () => {
    const ok = (months: unknown) => validateParameters(ResidentServiceParametersDto, { months, startsOn: '2027-01-04', level: 'senior-and-above' }).ok;
    expect(ok(1)).toBe(true);
    expect(ok(0)).toBe(false);
    expect(ok(1.5)).toBe(false);
  });

  it('takes the contracted security items, each once, from the catalog list', () => {
    expect(validateParameters(SecurityProtectionParametersDto, { items: ['penetration-test'] }).ok).toBe(true);
    expect(validateParameters(SecurityProtectionParametersDto, { items: [] }).ok).toBe(false);
    expect(validateParameters(SecurityProtectionParametersDto, { items: ['edr', 'edr'] }).ok).toBe(false);
    expect(validateParameters(SecurityProtectionParametersDto, { items: ['firewall-wizardry'] }).ok).toBe(false);
  });

  it('refuses a subscription that ends before it starts, and a package already expired', () => {
    expect(validateParameters(SubscriptionParametersDto, { startsOn: '2027-01-01', endsOn: '2027-12-31' }).ok).toBe(true);
    expect(flowParameterProblems('legacy-version-ops', { startsOn: '2027-01-01', endsOn: '2026-12-31' }, '2026-11-30')).toEqual([
      { field: 'parameters.endsOn', reason: 'must be after startsOn' },
    ]);
    expect(flowParameterProblems('onsite-package', { personDays: 12, validUntil: '2026-11-29' }, '2026-11-30')).toMatchObject([
      { field: 'parameters.validUntil' },
    ]);
  });

  it("takes a subscription's case SLAs in hours: positive, bounded, resolution not before response", () => {
    const base = { startsOn: '2027-01-01', endsOn: '2027-12-31' };
    const check = (caseSla: unknown) => validateParameters(SubscriptionParametersDto, { ...base, caseSla });
    expect(check({ respondWithinHours: 4, resolveWithinHours: 40 }).ok).toBe(true);
    expect(check({ respondWithinHours: 0.5, resolveWithinHours: 0.5 }).ok).toBe(true);
    for (const bad of [
      { respondWithinHours: 0, resolveWithinHours: 1 },
      { respondWithinHours: -1, resolveWithinHours: 1 },
      { respondWithinHours: 721, resolveWithinHours: 800 },
      { respondWithinHours: 1, resolveWithinHours: 8761 },
      { respondWithinHours: Number.NaN, resolveWithinHours: 1 },
      { respondWithinHours: '1', resolveWithinHours: 1 },
      { respondWithinHours: 1 },
      [],
      null,
    ]) {
      expect({ bad, ok: check(bad).ok }).toEqual({ bad, ok: false });
    }
    expect(flowParameterProblems('custom-dev-maintenance', { ...base, caseSla: { respondWithinHours: 8, resolveWithinHours: 4 } }, '2026-11-30')).toEqual([
      { field: 'parameters.caseSla.resolveWithinHours', reason: expect.stringMatching(/not be less than respondWithinHours/) },
    ]);
  });

  it('reads calendar dates strictly', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-13-01')).toBe(false);
    expect(isIsoDate('2027-1-01')).toBe(false);
  });
});

describe('flowPlan', () => {
  it('leaves the security items to the task plan of 服务交付, and gives packages a person-day allowance', () => {
    const plan = flowPlan('security-protection', { items: ['vulnerability-scan', 'penetration-test'] });
    expect(plan.flow.find((s) => s.code === 'delivery')?.items).toBeUndefined();
    expect(plan.obligations.find((o) => o.step === 'delivery')?.kind).toBe('security-items');
    expect(flowPlan('onsite-package', { personDays: 24, validUntil: '2027-06-30' }).personDays).toEqual({ total: 24, validUntil: '2027-06-30' });
    expect(flowPlan('training', { courses: ['GL'], sessions: 2, assignees: { trainer: 'zhang.min' } }).assignees).toEqual({ trainer: 'zhang.min' });
  });
});
