import { DataSource } from 'typeorm';
import {
  AuditTrail,
  DataArtifactStore,
  DeliveryStore,
  EnvironmentDirectory,
  EnvironmentPolicy,
  ReportStore,
  SecretBox,
  TaskStore,
  UpgradePackageStore,
} from '@sdo/persistence';
import type { ActivityDeps } from '@sdo/activities';

/**
 * The worker's side of dependency injection: activities get stores, never a raw connection string.
 * Every connection goes through the environment policy (SDO's own servers are protected from it).
 */
export function buildActivityDeps(
  dataSource: DataSource,
  secretsKey: string,
  { policy, ...options }: { policy: EnvironmentPolicy } & Pick<ActivityDeps, 'assessmentRetryBudgetMs'>,
): ActivityDeps {
  return {
    ...options,
    deliveries: new DeliveryStore(dataSource),
    audit: new AuditTrail(dataSource),
    tasks: new TaskStore(dataSource),
    reports: new ReportStore(dataSource),
    environments: new EnvironmentDirectory(dataSource, new SecretBox(secretsKey), policy),
    packages: new UpgradePackageStore(dataSource),
    artifacts: new DataArtifactStore(dataSource),
  };
}
