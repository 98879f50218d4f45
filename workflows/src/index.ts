/** Every workflow the delivery worker runs. */
export { upgradeDelivery } from './upgrade-delivery';
export { orgSplitDelivery } from './org-split-delivery';
