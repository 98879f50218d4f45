import type { LifecycleActivities, UpgradeActivities } from '@sdo/contracts';
import { classified } from './failures';
import { createLifecycleActivities, LifecycleDeps } from './lifecycle/lifecycle.activities';
import { createUpgradeActivities, UpgradeDeps } from './upgrade/upgrade.activities';

export type ActivityDeps = LifecycleDeps & UpgradeDeps;

/** Every activity the delivery worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps): LifecycleActivities & UpgradeActivities {
  return classified({ ...createLifecycleActivities(deps), ...createUpgradeActivities(deps) });
}

export { toActivityFailure, classified } from './failures';
