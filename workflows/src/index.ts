/** Every workflow the delivery worker runs. */
export { upgradeDelivery } from './upgrade-delivery';
export { databaseConversionDelivery } from './database-conversion-delivery';
export { orgSplitDelivery } from './org-split-delivery';
export { dataCarryoverDelivery } from './data-carryover-delivery';
export { dataMigrationDelivery } from './data-migration-delivery';
export { notificationDelivery } from './notification-delivery';
export * from './obligations';
export { catalogFlowDelivery } from './catalog-flow/catalog-flow-delivery';
