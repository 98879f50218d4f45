import type { CatalogFlowCode, FlowStepDefinition, ObligationDefinition, TaskRole } from '@sdo/contracts';
import {
  CatalogFlowParametersDto,
  ChildServiceParametersDto,
  OnsitePackageParametersDto,
  OnsiteServiceParametersDto,
  PrivateDeploymentParametersDto,
  ResidentServiceParametersDto,
  SecurityProtectionParametersDto,
  SubscriptionParametersDto,
  TrainingParametersDto,
} from './flow-parameters';

type Mode = 'on-site' | 'remote' | 'online' | 'resident';

/** A catalog-flow product as data: its flow is run by the catalog-flow workflow. */
export interface FlowProduct {
  code: CatalogFlowCode;
  name: { zh: string; en: string };
  category: { zh: string; en: string };
  summary: string;
  deliveryModes: readonly Mode[];
  flow: readonly FlowStepDefinition[];
  obligations: readonly ObligationDefinition[];
  parameters: new () => object;
}

const task = (code: string, zh: string, en: string, role: TaskRole, dueDays: number, checklist: string[]): FlowStepDefinition => ({
  code,
  zh,
  en,
  kind: 'task',
  role,
  dueDays,
  checklist,
});

const gate = (code: string, zh: string, en: string, dueDays: number, checklist: string[], requires?: 'reference'): FlowStepDefinition => ({
  code,
  zh,
  en,
  kind: 'gate',
  role: 'delivery-manager',
  dueDays,
  checklist,
  ...(requires ? { requires } : {}),
});

// The steps the catalog names again and again, with the SLA (days) SDO gives them by default.
const requirements = (role: TaskRole = 'consultant') =>
  task('requirements', '需求沟通与评估', 'Requirements & assessment', role, 5, ['Requirements gathered', 'Feasibility assessed']);
const contract = () => gate('contract', '服务签约', 'Contract', 10, ['Contract signed by the customer'], 'reference');
const design = (role: TaskRole = 'consultant') => task('design', '方案设计', 'Solution design', role, 10, ['Solution documented', 'Schedule agreed']);
const testVerify = () =>
  task('test', '测试验证', 'Test & verification', 'engineer', 10, ['Tested in a test environment', 'Key functions verified with the customer']);
const testConfirm = () =>
  task('test-confirmation', '测试与方案确认', 'Test & plan confirmation', 'engineer', 10, ['Tested in a test environment', 'Plan confirmed by the customer']);
const formalDelivery = (role: TaskRole = 'consultant') => task('delivery', '正式交付', 'Formal delivery', role, 15, ['Delivered as planned', 'Result checked']);
const acceptance = () => gate('acceptance', '验收确认', 'Acceptance', 5, ['Customer signed the acceptance']);

/** 需求沟通与评估 → 服务签约 → 方案设计 → 测试与方案确认 → 正式交付 → 验收确认 */
const sixStep = (role: TaskRole = 'consultant') => [requirements(role), contract(), design(role), testConfirm(), formalDelivery(role), acceptance()];
/** The same with 测试验证 (test & verification) as the fourth step. */
const sixStepVerify = (role: TaskRole = 'consultant') => [requirements(role), contract(), design(role), testVerify(), formalDelivery(role), acceptance()];

const SYSTEM_OPS = { zh: '系统运维服务', en: 'System operations' };
const CUSTOM_DEV = { zh: '定制开发维护', en: 'Custom-development maintenance' };
const APP_ENHANCEMENT = { zh: '应用提升服务', en: 'Application enhancement' };
const ONSITE = { zh: '现场服务', en: 'On-site services' };
const OTHER = { zh: '其他服务', en: 'Other services' };

const ANY_MODE: readonly Mode[] = ['on-site', 'remote', 'online'];

/** Ongoing support: a subscription during which cases are opened and resolved (the cases hang off `support-cases`). */
const ongoingSupport = (role: TaskRole): FlowStepDefinition[] => [
  requirements('delivery-manager'),
  contract(),
  task('onboarding', '服务开通', 'Service activation', role, 5, ['Support channel and contacts agreed', 'Customisations / environment documented']),
  task('support', '运维支持', 'Ongoing support', role, 365, ['Subscription period served']),
  acceptance(),
];

/**
 * Every product the catalog sells that is a flow of human work, with the flow exactly as the catalog
 * names it (交付流程). Products without a flow in the catalog (on-site, resident, ongoing support,
 * PaaS lab) get the one their obligations imply.
 */
export const FLOW_PRODUCTS: readonly FlowProduct[] = [
  {
    code: 'custom-dev-maintenance',
    name: { zh: '定制开发维护服务', en: 'Custom-development maintenance' },
    category: CUSTOM_DEV,
    summary: 'Daily maintenance of customer-specific functions: fix guidance, data problems caused by customisations, interface problems, consulting.',
    deliveryModes: ['online', 'remote'],
    flow: ongoingSupport('engineer'),
    obligations: [{ kind: 'support-cases', step: 'support' }],
    parameters: SubscriptionParametersDto,
  },
  {
    code: 'maintenance-development',
    name: { zh: '维护性开发服务', en: 'Maintenance development' },
    category: CUSTOM_DEV,
    summary: 'New or improved functions on the standard product during the maintenance phase: requirement analysis, design and development, compliance check.',
    deliveryModes: ANY_MODE,
    flow: sixStepVerify('engineer'),
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'private-deployment-ops',
    name: { zh: '私有部署与运维支持服务', en: 'Private deployment and O&M support' },
    category: SYSTEM_OPS,
    summary: 'Deployment design, installation on customer infrastructure, then ongoing O&M: patches, backups, environment inspections, incident response.',
    deliveryModes: ANY_MODE,
    flow: [
      task('survey', '需求调研', 'Requirements survey', 'consultant', 5, ['Infrastructure surveyed']),
      task('opportunity', '商机评估', 'Opportunity assessment', 'delivery-manager', 5, ['Opportunity assessed']),
      task('design', '方案设计', 'Solution design', 'architect', 10, ['Bill of resources (hardware/software)', 'Deployment architecture']),
      gate('contract', '合同签订', 'Contract', 10, ['Contract signed by the customer'], 'reference'),
      task('installation', '产品安装', 'Installation', 'engineer', 10, ['Product installed', 'Installation verified']),
      gate('acceptance', '交付验收', 'Acceptance', 5, ['Customer signed the acceptance']),
      task('operations', '运维支持', 'Ongoing O&M', 'engineer', 365, ['O&M contract period served']),
    ],
    obligations: [{ kind: 'recurring-operations', step: 'operations', settings: { tasks: ['patch', 'backup-check', 'environment-inspection'] } }],
    parameters: PrivateDeploymentParametersDto,
  },
  {
    code: 'environment-deployment',
    name: { zh: '环境部署服务', en: 'Environment deployment' },
    category: SYSTEM_OPS,
    summary: 'Production/test/dev environment deployment, re-deployment, clustering and high availability.',
    deliveryModes: ANY_MODE,
    flow: [
      task('survey', '需求调研', 'Requirements survey', 'consultant', 5, ['Infrastructure surveyed']),
      task('opportunity', '商机评估', 'Opportunity assessment', 'delivery-manager', 5, ['Opportunity assessed']),
      task('design', '方案设计', 'Solution design', 'architect', 10, ['Deployment architecture']),
      gate('contract', '合同签订', 'Contract', 10, ['Contract signed by the customer'], 'reference'),
      task('installation', '产品安装', 'Installation', 'engineer', 10, ['Environment installed', 'High availability verified where agreed']),
      gate('acceptance', '验收', 'Acceptance', 5, ['Customer signed the acceptance']),
    ],
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'system-migration',
    name: { zh: '系统迁移服务', en: 'System migration' },
    category: SYSTEM_OPS,
    summary: 'Move a running system from environment A to B (public↔private cloud, data-centre move, infrastructure renewal), data integrity guaranteed.',
    deliveryModes: ANY_MODE,
    flow: sixStepVerify('engineer'),
    obligations: [{ kind: 'child-service', step: 'delivery', settings: { serviceType: 'database-conversion' } }],
    parameters: ChildServiceParametersDto,
  },
  {
    code: 'performance-optimization',
    name: { zh: '性能优化服务', en: 'Performance optimisation' },
    category: SYSTEM_OPS,
    summary: 'Diagnose hardware, network, database, OS; database tuning and resource configuration; support at month-end close and reporting peaks.',
    deliveryModes: ANY_MODE,
    flow: [
      task('inspection', '系统巡检', 'System inspection', 'engineer', 5, ['Hardware, network, database and OS inspected']),
      task('diagnosis', '性能诊断', 'Performance diagnosis', 'engineer', 5, ['Bottlenecks identified']),
      task('design', '方案设计', 'Solution design', 'engineer', 5, ['Optimisation plan agreed']),
      task('optimisation', '性能优化', 'Optimisation', 'engineer', 10, ['Tuning applied', 'Improvement measured']),
      task('follow-up', '服务保障', 'Follow-up', 'engineer', 30, ['Month-end close / reporting peak supported']),
    ],
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'xinchuang',
    name: { zh: '信创服务', en: 'Domestic IT stack (信创)' },
    category: SYSTEM_OPS,
    summary:
      'Selection advice, deployment architecture and installation on a domestic stack; migrate the environment and convert its database to a domestic one.',
    deliveryModes: ANY_MODE,
    flow: [
      task('pre-sales', '售前支持', 'Pre-sales support', 'consultant', 5, ['Selection advice given']),
      task('survey', '需求调研', 'Requirements survey', 'consultant', 5, ['Current stack surveyed']),
      contract(),
      task('design', '信创方案设计', 'Domestic-stack solution design', 'architect', 10, ['Deployment architecture on the domestic stack']),
      task('delivery', '服务交付', 'Service delivery', 'engineer', 20, ['Installed on the domestic stack', 'Database converted']),
      acceptance(),
    ],
    obligations: [{ kind: 'child-service', step: 'delivery', settings: { serviceType: 'database-conversion' } }],
    parameters: ChildServiceParametersDto,
  },
  {
    code: 'security-protection',
    name: { zh: '安全防护服务', en: 'Security protection' },
    category: SYSTEM_OPS,
    summary:
      'With partners: patches and hardening, antivirus, EDR, vulnerability scanning, penetration testing with retest, anti-ransomware check (≤ 1 month), inspections, training.',
    deliveryModes: ANY_MODE,
    flow: [
      requirements('security-engineer'),
      contract(),
      task('delivery', '服务交付', 'Service delivery', 'security-engineer', 30, ['Item delivered', 'Report handed over']),
      acceptance(),
    ],
    obligations: [
      { kind: 'security-items', step: 'delivery' },
      { kind: 'time-box', step: 'delivery', settings: { item: 'anti-ransomware-check', atMost: '30 days' } },
      { kind: 'retest', step: 'delivery', settings: { item: 'penetration-test' } },
    ],
    parameters: SecurityProtectionParametersDto,
  },
  {
    code: 'cloud-audit',
    name: { zh: '云审计服务', en: 'Cloud audit' },
    category: APP_ENHANCEMENT,
    summary: 'Extract business data for financial audit by organisation, period and module into an isolated store, wizard-style.',
    deliveryModes: ['online'],
    flow: [
      task('requirements', '需求沟通', 'Requirements', 'consultant', 3, ['Audit scope (organisations, periods, modules) agreed']),
      gate('subscription', '服务订阅', 'Subscription', 5, ['Subscription ordered by the customer'], 'reference'),
      task('activation', '服务开通', 'Activation', 'engineer', 3, ['Isolated audit store provisioned']),
      task('online-use', '在线使用', 'Online use', 'consultant', 30, ['Audit data extracted']),
      gate('result-confirmation', '结果确认', 'Result confirmation', 5, ['Customer confirmed the result']),
      task('feedback', '服务评价与反馈', 'Evaluation & feedback', 'delivery-manager', 5, ['Feedback collected']),
    ],
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'data-adjustment-cleanup',
    name: { zh: '数据调整与清理服务', en: 'Data adjustment and cleanup' },
    category: APP_ENHANCEMENT,
    summary: 'Adjust master data the product cannot change in place keeping documents consistent, or clear business documents keeping configuration.',
    deliveryModes: ANY_MODE,
    flow: sixStep('consultant'),
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'chart-of-accounts-restructuring',
    name: { zh: '科目体系重构服务', en: 'Chart-of-accounts restructuring' },
    category: APP_ENHANCEMENT,
    summary: 'Redesign the chart of accounts, map old to new, convert historical accounting data, adjust reports, train staff.',
    deliveryModes: ANY_MODE,
    flow: sixStep('consultant'),
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'training',
    name: { zh: '培训服务', en: 'Training' },
    category: APP_ENHANCEMENT,
    summary: 'Product and business training, tailored courses, community and online courses.',
    deliveryModes: ANY_MODE,
    flow: [
      requirements('trainer'),
      contract(),
      task('design', '方案设计', 'Course plan', 'trainer', 10, ['Course plan agreed', 'Sessions scheduled']),
      task('delivery', '正式交付', 'Formal delivery (sessions)', 'trainer', 30, ['Sessions held', 'Attendance recorded']),
      acceptance(),
    ],
    obligations: [{ kind: 'training-sessions', step: 'delivery' }],
    parameters: TrainingParametersDto,
  },
  {
    code: 'business-diagnosis',
    name: { zh: '业务应用诊断服务', en: 'Business application diagnosis' },
    category: APP_ENHANCEMENT,
    summary: 'Diagnose completeness, compliance, accuracy, timeliness and effectiveness of use and recommend improvements.',
    deliveryModes: ANY_MODE,
    flow: [
      task('tool-install', '诊断工具安装', 'Diagnosis tool installation', 'engineer', 3, ['Tool downloaded, installed and licensed']),
      task('analysis', '诊断数据分析', 'Diagnosis data analysis', 'consultant', 10, ['Collected data analysed']),
      task('recommendations', '应用改进建议', 'Improvement recommendations', 'consultant', 5, ['Recommendations handed over']),
      task('proposal', '推进商务方案', 'Follow-up proposal', 'delivery-manager', 10, ['Follow-up proposal made']),
    ],
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'application-enhancement',
    name: { zh: '应用提升服务', en: 'Application enhancement' },
    category: APP_ENHANCEMENT,
    summary: 'Data import, reconciliation, data sync, data repair, integration configuration, business design and configuration.',
    deliveryModes: ANY_MODE,
    flow: [
      requirements('consultant'),
      gate('purchase', '服务购买', 'Service purchase', 10, ['Service purchased by the customer'], 'reference'),
      task('delivery', '交付', 'Delivery', 'consultant', 15, ['Configured as agreed']),
      gate('result-confirmation', '结果确认', 'Result confirmation', 5, ['Customer confirmed the result']),
    ],
    obligations: [],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'onsite-package',
    name: { zh: '现场服务包', en: 'On-site service package' },
    category: ONSITE,
    summary: 'A package of 12 or 24 person-days on site, logged visit by visit; it closes when used up or when its validity ends.',
    deliveryModes: ['on-site'],
    flow: [
      task('kickoff', '服务启动', 'Kick-off', 'delivery-manager', 5, ['Consultant assigned', 'Visits planned with the customer']),
      {
        code: 'visits',
        zh: '现场服务',
        en: 'On-site visits',
        kind: 'automated',
        role: 'consultant',
        dueDays: 365,
        checklist: [],
        automation: 'person-day-ledger',
      },
      gate('confirmation', '服务确认', 'Service confirmation', 5, ['Customer confirmed the person-days used']),
    ],
    obligations: [{ kind: 'person-day-ledger', step: 'visits' }],
    parameters: OnsitePackageParametersDto,
  },
  {
    code: 'onsite-service',
    name: { zh: '现场服务', en: 'On-site service' },
    category: ONSITE,
    summary: 'A consultant on site for an agreed number of person-days (at least 1); junior, intermediate or senior-and-above.',
    deliveryModes: ['on-site'],
    flow: [
      task('kickoff', '服务启动', 'Kick-off', 'delivery-manager', 5, ['Consultant of the agreed level assigned', 'Dates agreed']),
      {
        code: 'visits',
        zh: '现场服务',
        en: 'On-site service',
        kind: 'automated',
        role: 'consultant',
        dueDays: 365,
        checklist: [],
        automation: 'person-day-ledger',
      },
      gate('confirmation', '服务确认', 'Service confirmation', 5, ['Customer confirmed the person-days used']),
    ],
    obligations: [{ kind: 'person-day-ledger', step: 'visits' }],
    parameters: OnsiteServiceParametersDto,
  },
  {
    code: 'resident-service',
    name: { zh: '驻场服务', en: 'Resident service' },
    category: ONSITE,
    summary: 'A fixed consultant resident at the customer; at least one month, priced per person-month; assessed monthly against the SLA.',
    deliveryModes: ['resident'],
    flow: [
      task('kickoff', '服务启动', 'Kick-off', 'delivery-manager', 5, ['Resident consultant assigned', 'SLA agreed']),
      task('residence', '驻场服务', 'Residence', 'consultant', 31, ['Contracted months served']),
      gate('acceptance', '服务验收', 'Acceptance', 5, ['Customer signed the acceptance']),
    ],
    obligations: [{ kind: 'monthly-sla-assessment', step: 'residence' }],
    parameters: ResidentServiceParametersDto,
  },
  {
    code: 'paas-lab',
    name: { zh: '苍穹 PaaS 实验室', en: 'Cosmic PaaS lab' },
    category: OTHER,
    summary: 'Joint development on the PaaS platform: early high-level support, technical assurance at each milestone, developer training, certification.',
    deliveryModes: ANY_MODE,
    flow: [
      task('kickoff', '项目前期高阶支持', 'Early high-level support', 'architect', 10, ['Platform and cases presented']),
      // The milestones (需求分析 → 架构设计 → 开发测试 → 部署), each with its technical-assurance review, then 能力评估认证: a task plan.
      task('lab', '联合开发与技术保障', 'Joint development & technical assurance', 'architect', 120, [
        'Milestones reviewed by technical assurance',
        'Developers certified',
      ]),
      acceptance(),
    ],
    obligations: [{ kind: 'paas-milestones', step: 'lab' }],
    parameters: CatalogFlowParametersDto,
  },
  {
    code: 'legacy-version-ops',
    name: { zh: '历史版本基础运维服务', en: 'Legacy-version basic O&M' },
    category: OTHER,
    summary: 'For product versions past end of life: usage guidance, environment diagnosis; no new patches.',
    deliveryModes: ANY_MODE,
    flow: ongoingSupport('engineer'),
    obligations: [{ kind: 'support-cases', step: 'support' }],
    parameters: SubscriptionParametersDto,
  },
];
