import { DataSource } from 'typeorm';
import { AuditTrail, DataArtifactStore, DeliveryStore, EnvironmentDirectory, ReportStore, SecretBox, UpgradePackageStore } from '@sdo/persistence';
import type { ActivityDeps } from '@sdo/activities';

/** The worker's side of dependency injection: activities get stores, never a raw connection string. */
export function buildActivityDeps(dataSource: DataSource, secretsKey: string, options: Pick<ActivityDeps, 'assessmentRetryBudgetMs'> = {}): ActivityDeps {
  return {
    ...options,
    deliveries: new DeliveryStore(dataSource),
    audit: new AuditTrail(dataSource),
    reports: new ReportStore(dataSource),
    environments: new EnvironmentDirectory(dataSource, new SecretBox(secretsKey)),
    packages: new UpgradePackageStore(dataSource),
    artifacts: new DataArtifactStore(dataSource),
  };
}
