/** The catalog services SDO runs as dedicated durable workflows (codes from shared/catalog.md). */
export const AUTOMATED_SERVICE_TYPES = ['upgrade', 'data-migration', 'database-conversion', 'org-split', 'data-carryover'] as const;
export type AutomatedServiceType = (typeof AUTOMATED_SERVICE_TYPES)[number];

/** The products the catalog-flow workflow delivers from their flow definition: human tasks, gates, obligations. */
export const CATALOG_FLOW_CODES = [
  'custom-dev-maintenance',
  'maintenance-development',
  'private-deployment-ops',
  'environment-deployment',
  'system-migration',
  'performance-optimization',
  'xinchuang',
  'security-protection',
  'cloud-audit',
  'data-adjustment-cleanup',
  'chart-of-accounts-restructuring',
  'training',
  'business-diagnosis',
  'application-enhancement',
  'onsite-package',
  'onsite-service',
  'resident-service',
  'paas-lab',
  'legacy-version-ops',
] as const;
export type CatalogFlowCode = (typeof CATALOG_FLOW_CODES)[number];

/** Every product of the catalog: any of them can be started as a delivery. */
export const SERVICE_TYPES = [...AUTOMATED_SERVICE_TYPES, ...CATALOG_FLOW_CODES] as const;
export type ServiceType = AutomatedServiceType | CatalogFlowCode;

export const CATALOG_FLOW_WORKFLOW_TYPE = 'catalogFlowDelivery';

/** Workflow type name per service: one workflow type per automated service, one for every catalog flow. */
export const DELIVERY_WORKFLOW_TYPES: Record<ServiceType, string> = {
  upgrade: 'upgradeDelivery',
  'data-migration': 'dataMigrationDelivery',
  'database-conversion': 'databaseConversionDelivery',
  'org-split': 'orgSplitDelivery',
  'data-carryover': 'dataCarryoverDelivery',
  ...(Object.fromEntries(CATALOG_FLOW_CODES.map((code) => [code, CATALOG_FLOW_WORKFLOW_TYPE])) as Record<CatalogFlowCode, string>),
};

export function isServiceType(value: unknown): value is ServiceType {
  return typeof value === 'string' && (SERVICE_TYPES as readonly string[]).includes(value);
}

export function isCatalogFlowCode(value: unknown): value is CatalogFlowCode {
  return typeof value === 'string' && (CATALOG_FLOW_CODES as readonly string[]).includes(value);
}
