import {
  AutomatedServiceType,
  DeliveryPhase,
  FlowStepDefinition,
  FlowStepKind,
  ObligationDefinition,
  ServiceType,
  SERVICE_TYPES,
  TaskRole,
} from '@sdo/contracts';
import { FLOW_PRODUCTS } from './flow-products';
import { UpgradeParametersDto } from './parameters';
import { OrgSplitParametersDto } from './org-split-parameters';
import { CarryoverParametersDto } from './carryover-parameters';
import { DatabaseConversionParametersDto } from './conversion-parameters';
import { DataMigrationParametersDto } from './migration-parameters';

/** How the vendor may deliver a service (交付方式). */
export const DELIVERY_MODES = ['on-site', 'remote', 'online', 'resident'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** The part an environment plays in a delivery. */
export const ENVIRONMENT_ROLES = ['source', 'target'] as const;
export type EnvironmentRole = (typeof ENVIRONMENT_ROLES)[number];

export type DatabaseEngineName = 'postgres' | 'mysql' | 'sqlite';

export interface LocalisedName {
  zh: string;
  en: string;
}

/** One step of the catalog's delivery flow (交付流程) and the lifecycle phase that carries it out. */
export interface FlowStep extends LocalisedName {
  /** Machine name, unique in the flow. */
  code: string;
  phase: DeliveryPhase;
  /** Human task, customer gate, or done by SDO. */
  kind: FlowStepKind;
  automated: boolean;
  /** Catalog flows: who works the step, its SLA in days and its checklist. */
  role?: TaskRole;
  dueDays?: number;
  checklist?: readonly string[];
}

export interface EnvironmentRoleSpec {
  role: EnvironmentRole;
  description: string;
  /** Engines the automation can work on in this role. */
  engines: readonly DatabaseEngineName[];
}

export interface CatalogService {
  code: ServiceType;
  name: LocalisedName;
  /** Catalog section the service is sold under. */
  category: LocalisedName;
  summary: string;
  deliveryFlow: readonly FlowStep[];
  deliveryModes: readonly DeliveryMode[];
  /** Whether the flow has a contract gate (服务签约) before planning. */
  contractGate: boolean;
  environmentRoles: readonly EnvironmentRoleSpec[];
  /** Whether SDO runs this service as its own automated workflow; the others run as catalog flows of human tasks. */
  automated: boolean;
  /** What the product promises beyond its flow (person-day ledger, monthly assessments, support cases …). */
  obligations: readonly ObligationDefinition[];
  /** The flow the catalog-flow workflow runs (absent for automated services). */
  taskFlow?: readonly FlowStepDefinition[];
  /** class-validator DTO of the service's `parameters`. */
  parameters: new () => object;
}

const PHASE_CODES: Partial<Record<DeliveryPhase, string>> = {
  assessment: 'assessment',
  contract: 'contract',
  plan: 'plan',
  cutover: 'cutover',
  acceptance: 'acceptance',
};

/** A step of an automated service: the gates wait for people, the rest SDO does. */
const step = (zh: string, en: string, phase: DeliveryPhase): FlowStep => {
  const kind: FlowStepKind = phase === 'contract' || phase === 'acceptance' ? 'gate' : 'automated';
  const code = PHASE_CODES[phase] ?? (zh === '方案确认' ? 'plan-confirmation' : 'test');
  return { code, zh, en, phase, kind, automated: kind === 'automated' };
};

/** 需求沟通与评估 → 服务签约 → 方案设计 → 测试与方案确认 → 正式交付 → 验收确认 */
const SIX_STEP_FLOW: readonly FlowStep[] = [
  step('需求沟通与评估', 'Requirements & assessment', 'assessment'),
  step('服务签约', 'Contract', 'contract'),
  step('方案设计', 'Solution design', 'plan'),
  step('测试与方案确认', 'Test & plan confirmation', 'test'),
  step('正式交付', 'Formal delivery (cutover)', 'cutover'),
  step('验收确认', 'Acceptance', 'acceptance'),
];

const ALL_ENGINES: readonly DatabaseEngineName[] = ['postgres', 'mysql', 'sqlite'];
const SERVER_ENGINES: readonly DatabaseEngineName[] = ['postgres', 'mysql'];

const sourceAndTarget = (source: string, target: string, sourceEngines = ALL_ENGINES, targetEngines = SERVER_ENGINES): EnvironmentRoleSpec[] => [
  { role: 'source', description: source, engines: sourceEngines },
  { role: 'target', description: target, engines: targetEngines },
];

/** The five services SDO delivers with their own automated workflows. */
const AUTOMATED_CATALOG: Readonly<Record<AutomatedServiceType, CatalogService>> = {
  upgrade: {
    code: 'upgrade',
    name: { zh: '升级服务', en: 'Upgrade' },
    category: { zh: '升级服务', en: 'Upgrade services' },
    summary:
      'Upgrade a product from a low to a high version with a checksummed upgrade package: assessment including customisations, plan, rehearsal on a clone, cutover in a maintenance window, acceptance.',
    deliveryFlow: SIX_STEP_FLOW,
    deliveryModes: ['on-site', 'remote'],
    contractGate: true,
    environmentRoles: [{ role: 'target', description: 'The ERP database to upgrade', engines: ['postgres'] }],
    automated: true,
    obligations: [],
    parameters: UpgradeParametersDto,
  },
  'data-migration': {
    code: 'data-migration',
    name: { zh: '数据迁移服务', en: 'Data migration' },
    category: { zh: '升级服务', en: 'Upgrade services' },
    summary: 'Move data from an old system into a target system until it is complete and accurate.',
    deliveryFlow: SIX_STEP_FLOW,
    deliveryModes: ['on-site', 'remote', 'online'],
    contractGate: true,
    environmentRoles: sourceAndTarget(
      'The old system the data comes from',
      'The PostgreSQL database of the system the data moves to',
      ['postgres', 'mysql', 'sqlite'],
      ['postgres'],
    ),
    automated: true,
    obligations: [],
    parameters: DataMigrationParametersDto,
  },
  'database-conversion': {
    code: 'database-conversion',
    name: { zh: '数据库转换服务', en: 'Database conversion' },
    category: { zh: '系统运维服务', en: 'System operations' },
    summary: 'Convert an ERP database between heterogeneous database engines, keeping the converted system running.',
    deliveryFlow: [
      step('需求评估', 'Requirements assessment', 'assessment'),
      step('服务签约', 'Contract', 'contract'),
      step('方案设计', 'Solution design', 'plan'),
      step('测试验证', 'Test & verification', 'test'),
      step('方案确认', 'Plan confirmation', 'test'),
      step('正式交付', 'Formal delivery (cutover)', 'cutover'),
      step('验收确认', 'Acceptance', 'acceptance'),
    ],
    deliveryModes: ['on-site', 'remote'],
    contractGate: true,
    environmentRoles: sourceAndTarget(
      'The MySQL/MariaDB or SQLite database to convert',
      'The PostgreSQL database it is converted into',
      ['mysql', 'sqlite'],
      ['postgres'],
    ),
    automated: true,
    obligations: [],
    parameters: DatabaseConversionParametersDto,
  },
  'org-split': {
    code: 'org-split',
    name: { zh: '组织拆分服务', en: 'Organisation split' },
    category: { zh: '应用提升服务', en: 'Application enhancement' },
    summary: 'Split a data centre (账套) by organisation into a new data centre that keeps operating.',
    deliveryFlow: SIX_STEP_FLOW,
    deliveryModes: ['on-site', 'remote'],
    contractGate: true,
    environmentRoles: sourceAndTarget('The data centre (account set) to split', 'The new, empty database of the organisation', ['postgres'], ['postgres']),
    automated: true,
    obligations: [],
    parameters: OrgSplitParametersDto,
  },
  'data-carryover': {
    code: 'data-carryover',
    name: { zh: '数据结转服务', en: 'Data carryover' },
    category: { zh: '应用提升服务', en: 'Application enhancement' },
    summary: 'Carry historical business data of given periods out of the live database into an archive, keeping balances unchanged.',
    deliveryFlow: SIX_STEP_FLOW,
    deliveryModes: ['on-site', 'remote'],
    contractGate: true,
    environmentRoles: sourceAndTarget('The live database to shrink', 'The archive that receives the carried-over data', ['postgres'], ['postgres']),
    automated: true,
    obligations: [],
    parameters: CarryoverParametersDto,
  },
};

/** Catalog flows: run by the catalog-flow workflow; no environments, a flow of tasks, gates and automated steps. */
const FLOW_CATALOG = Object.fromEntries(
  FLOW_PRODUCTS.map((p): [string, CatalogService] => [
    p.code,
    {
      code: p.code,
      name: p.name,
      category: p.category,
      summary: p.summary,
      deliveryFlow: p.flow.map((s) => ({
        code: s.code,
        zh: s.zh,
        en: s.en,
        phase: 'delivering',
        kind: s.kind,
        automated: s.kind === 'automated',
        role: s.role,
        dueDays: s.dueDays,
        checklist: s.checklist,
      })),
      deliveryModes: p.deliveryModes,
      contractGate: p.flow.some((s) => s.code === 'contract'),
      environmentRoles: [],
      automated: false,
      obligations: p.obligations,
      taskFlow: p.flow,
      parameters: p.parameters,
    },
  ]),
) as Record<Exclude<ServiceType, AutomatedServiceType>, CatalogService>;

/**
 * Every product of the special-services catalog (专项服务), as data. Names, flows and delivery
 * modes follow the vendor's catalog dated 2025-07-01 (shared/catalog.md).
 */
export const SERVICE_CATALOG: Readonly<Record<ServiceType, CatalogService>> = { ...AUTOMATED_CATALOG, ...FLOW_CATALOG };

export function catalogService(serviceType: ServiceType): CatalogService {
  return SERVICE_CATALOG[serviceType];
}

export function catalogServices(): CatalogService[] {
  return SERVICE_TYPES.map((t) => SERVICE_CATALOG[t]);
}

/** "升级服务 (Upgrade)": how people name a service. */
export function serviceDisplayName(serviceType: ServiceType): string {
  const { name } = SERVICE_CATALOG[serviceType];
  return `${name.zh} (${name.en})`;
}
