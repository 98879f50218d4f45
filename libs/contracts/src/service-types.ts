/** The catalog services SDO runs as durable workflows (codes from shared/catalog.md). */
export const SERVICE_TYPES = ['upgrade', 'data-migration', 'database-conversion', 'org-split', 'data-carryover'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** Workflow type name per service: one workflow type per service, all on the shared lifecycle. */
export const DELIVERY_WORKFLOW_TYPES: Record<ServiceType, string> = {
  upgrade: 'upgradeDelivery',
  'data-migration': 'dataMigrationDelivery',
  'database-conversion': 'databaseConversionDelivery',
  'org-split': 'orgSplitDelivery',
  'data-carryover': 'dataCarryoverDelivery',
};

export function isServiceType(value: unknown): value is ServiceType {
  return typeof value === 'string' && (SERVICE_TYPES as readonly string[]).includes(value);
}
