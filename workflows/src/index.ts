/** Every workflow the delivery worker runs. */
export { upgradeDelivery } from './upgrade-delivery';
