import type {
  CatalogFlowActivities,
  SafetyActivities,
  ConversionActivities,
  DataActivities,
  DataMigrationActivities,
  LifecycleActivities,
  OrgSplitActivities,
  UpgradeActivities,
  CarryoverActivities,
  ObligationActivities,
  ChildServiceActivities,
} from '@sdo/contracts';
import type { DataReportStore } from '@sdo/data-engine';
import { createConversionActivities } from './conversion';
import { withScratchDatabases } from './scratch-environments';
import { createDataActivities } from './data';
import { createMigrationActivities } from './migration';
import { engineConnections } from './environment-connections';
import { classified } from './failures';
import { createLifecycleActivities, LifecycleDeps } from './lifecycle/lifecycle.activities';
import { CatalogFlowDeps, createCatalogFlowActivities } from './catalog-flow/catalog-flow.activities';
import { createOrgSplitActivities } from './org-split';
import { createCarryoverActivities } from './carryover';
import { createUpgradeActivities, UpgradeDeps } from './upgrade/upgrade.activities';
import { createSafetyActivities, legacySafetyAliases } from './safety';
import { createObligationActivities } from './obligations/obligations.activities';
import { ChildDeliveryDeps, createChildServiceActivities } from './obligations/child-deliveries';

export type ActivityDeps = LifecycleDeps &
  ChildDeliveryDeps &
  CatalogFlowDeps &
  UpgradeDeps & {
    /** Where the data engine keeps introspections, copy plans and verification reports. */
    artifacts: DataReportStore;
    /** How long an assessment retries an unreachable server before it is blocked with the reason, waiting for the manager (default 5 minutes). */
    assessmentRetryBudgetMs?: number;
  };

export const DEFAULT_ASSESSMENT_RETRY_BUDGET_MS = 5 * 60_000;

/** Every activity the delivery worker registers, built from injected dependencies. */
export function createActivities(
  deps: ActivityDeps,
): LifecycleActivities &
  CatalogFlowActivities &
  SafetyActivities &
  UpgradeActivities &
  DataActivities &
  ConversionActivities &
  DataMigrationActivities &
  OrgSplitActivities &
  CarryoverActivities &
  ObligationActivities &
  ChildServiceActivities {
  // Data activities may also address rehearsal scratch databases on a registered target's server.
  const environments = withScratchDatabases(deps.environments);
  const budget = deps.assessmentRetryBudgetMs ?? DEFAULT_ASSESSMENT_RETRY_BUDGET_MS;
  const safety = createSafetyActivities(deps);
  const activities = {
    ...createLifecycleActivities(deps),
    ...createCatalogFlowActivities(deps),
    ...safety,
    // Running deliveries still schedule the safety steps by their former per-service names.
    ...legacySafetyAliases(safety),
    ...createUpgradeActivities(deps),
    ...createOrgSplitActivities(deps),
    ...createCarryoverActivities(deps),
    ...createDataActivities({ resolveConnection: engineConnections(environments), reports: deps.artifacts }),
    ...createConversionActivities({ environments: deps.environments, reports: deps.reports, artifacts: deps.artifacts }),
    ...createMigrationActivities({ environments: deps.environments, reports: deps.reports }),
    ...createObligationActivities(deps),
    ...createChildServiceActivities(deps),
  };
  // The assessment of each service: where a delivery first meets the customer's servers.
  const assessments: (keyof typeof activities)[] = ['assessUpgrade', 'assessConversion', 'assessMigration', 'assessOrgSplit', 'assessCarryover'];
  return classified(activities, { retryBudgets: Object.fromEntries(assessments.map((name) => [name, budget])) });
}

export { classified, toActivityFailure } from './failures';
export { toEngineConnection } from './environment-connections';
