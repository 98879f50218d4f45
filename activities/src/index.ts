import { ApplicationFailure } from '@temporalio/activity';
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
  NotificationActivities,
  ObligationActivities,
  ChildServiceActivities,
} from '@sdo/contracts';
import type { DataReportStore } from '@sdo/data-engine';
import type { DeliveryStore, EnvironmentLeases } from '@sdo/persistence';
import { createConversionActivities } from './conversion';
import { withScratchDatabases } from './scratch-environments';
import { createDataActivities } from './data';
import { createMigrationActivities } from './migration';
import { engineConnections } from './environment-connections';
import { classified } from './failures';
import { withEnvironmentLeases } from './environment-leases';
import { createLifecycleActivities, LifecycleDeps } from './lifecycle/lifecycle.activities';
import { CatalogFlowDeps, createCatalogFlowActivities } from './catalog-flow/catalog-flow.activities';
import { createOrgSplitActivities } from './org-split';
import { createCarryoverActivities } from './carryover';
import { createUpgradeActivities, UpgradeDeps } from './upgrade/upgrade.activities';
import { createSafetyActivities, legacySafetyAliases } from './safety';
import { createNotificationActivities, NotificationDeps } from './notifications/notification.activities';
import { createObligationActivities, ObligationDeps } from './obligations/obligations.activities';
import { ChildDeliveryDeps, createChildServiceActivities } from './obligations/child-deliveries';

export type ActivityDeps = LifecycleDeps &
  ChildDeliveryDeps &
  CatalogFlowDeps &
  ObligationDeps &
  UpgradeDeps & {
    /** Where the data engine keeps introspections, copy plans and verification reports. */
    artifacts: DataReportStore;
    /** How long an assessment retries an unreachable server before it is blocked with the reason, waiting for the manager (default 5 minutes). */
    assessmentRetryBudgetMs?: number;
    /** Webhooks and gate mails; absent in tools that deliver without notifying. */
    notify?: NotificationDeps;
    /** Per-environment leases of heavy work (data activities), shared by every worker. */
    leases: EnvironmentLeases;
    /** Whether a delivery's order lets others share its environments' heavy work. */
    deliveries: Pick<DeliveryStore, 'concurrentHeavyWorkOf'>;
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
  NotificationActivities &
  ObligationActivities &
  ChildServiceActivities {
  // Data activities may also address rehearsal scratch databases on a registered target's server.
  const environments = withScratchDatabases(deps.environments);
  const budget = deps.assessmentRetryBudgetMs ?? DEFAULT_ASSESSMENT_RETRY_BUDGET_MS;
  const safety = createSafetyActivities(deps);
  const activities = {
    ...createLifecycleActivities({
      ...deps,
      notifications: deps.notify && {
        outbox: deps.notify.notifications,
        mailEnabled: deps.notify.mailer !== undefined,
        startNotifications: deps.notify.startNotifications,
      },
    }),
    ...(deps.notify ? createNotificationActivities(deps.notify) : notificationsOff),
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
  const leased = withEnvironmentLeases(activities, { leases: deps.leases, plans: deps.artifacts, deliveries: deps.deliveries });
  return classified(leased, { retryBudgets: Object.fromEntries(assessments.map((name) => [name, budget])) });
}

/**
 * Registered even without notification deps (tools, specs that do not notify), which write no
 * outbox rows; should such a worker still get a notification's task, it hands it back to be retried elsewhere.
 */
const notificationsOff: NotificationActivities = {
  async sendNotification() {
    throw ApplicationFailure.retryable('this worker does not send notifications', 'NotificationsOff');
  },
  async abandonNotification() {
    throw ApplicationFailure.retryable('this worker does not send notifications', 'NotificationsOff');
  },
};

export { classified, toActivityFailure } from './failures';
export type { NotificationDeps, GateMail } from './notifications/notification.activities';
export { gateMail } from './notifications/notification.activities';
export { eventIdOf } from './notifications/events';
export { toEngineConnection } from './environment-connections';
export { environmentRefsOf, withEnvironmentLeases } from './environment-leases';
