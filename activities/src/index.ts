import type { ConversionActivities, DataActivities, DataMigrationActivities, LifecycleActivities, OrgSplitActivities, UpgradeActivities, CarryoverActivities } from '@sdo/contracts';
import type { DataReportStore } from '@sdo/data-engine';
import { createConversionActivities, withScratchDatabases } from './conversion';
import { createDataActivities } from './data';
import { createMigrationActivities } from './migration';
import { engineConnections } from './environment-connections';
import { classified } from './failures';
import { createLifecycleActivities, LifecycleDeps } from './lifecycle/lifecycle.activities';
import { createOrgSplitActivities } from './org-split';
import { createCarryoverActivities } from './carryover';
import { createUpgradeActivities, UpgradeDeps } from './upgrade/upgrade.activities';

export type ActivityDeps = LifecycleDeps &
  UpgradeDeps & {
    /** Where the data engine keeps introspections, copy plans and verification reports. */
    artifacts: DataReportStore;
  };

/** Every activity the delivery worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps): LifecycleActivities & UpgradeActivities & DataActivities & ConversionActivities & DataMigrationActivities & OrgSplitActivities & CarryoverActivities {
  // Data activities may also address rehearsal scratch databases on a registered target's server.
  const environments = withScratchDatabases(deps.environments);
  return classified({
    ...createLifecycleActivities(deps),
    ...createUpgradeActivities(deps),
    ...createOrgSplitActivities(deps),
    ...createCarryoverActivities(deps),
    ...createDataActivities({ resolveConnection: engineConnections(environments), reports: deps.artifacts }),
    ...createConversionActivities({ environments: deps.environments, reports: deps.reports, artifacts: deps.artifacts }),
    ...createMigrationActivities({ environments: deps.environments, reports: deps.reports }),
  });
}

export { classified, toActivityFailure } from './failures';
export { toEngineConnection } from './environment-connections';
