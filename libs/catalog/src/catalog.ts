import { DeliveryPhase, ServiceType, SERVICE_TYPES } from '@sdo/contracts';
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
  phase: DeliveryPhase;
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
  /** Whether SDO runs this service as a workflow today; the others are refused at start. */
  automated: boolean;
  /** class-validator DTO of the service's `parameters`; absent while the service is not automated. */
  parameters?: new () => object;
}

const step = (zh: string, en: string, phase: DeliveryPhase): FlowStep => ({ zh, en, phase });

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

/**
 * The special services (专项服务) SDO delivers as durable workflows, as data. Names, flows and
 * delivery modes follow the vendor's catalog dated 2025-07-01 (shared/catalog.md).
 */
export const SERVICE_CATALOG: Readonly<Record<ServiceType, CatalogService>> = {
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
    parameters: CarryoverParametersDto,
  },
};

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
