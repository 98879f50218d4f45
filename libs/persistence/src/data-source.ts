import { DataSource } from 'typeorm';
import { AuditEntryEntity } from './entities/audit-entry.entity';
import { DataArtifactEntity } from './entities/data-artifact.entity';
import { DeliveryReportEntity } from './entities/delivery-report.entity';
import { DeliveryDecisionEntity } from './entities/delivery-decision.entity';
import { DeliveryEntity } from './entities/delivery.entity';
import { DeliveryFinalStatusEntity } from './entities/delivery-final-status.entity';
import { DeliveryTaskEntity, TaskEvidenceEntity } from './entities/delivery-task.entity';
import { EnvironmentEntity } from './entities/environment.entity';
import { UpgradePackageEntity } from './entities/upgrade-package.entity';
import { GateContactEntity, NotificationAttemptEntity, NotificationEntity, WebhookSubscriptionEntity } from './entities/notification.entity';
import { InitialSchema1764230400000 } from './migrations/1764230400000-initial-schema';
import { DataArtifacts1764316800000 } from './migrations/1764316800000-data-artifacts';
import { CustomerScopeAndDecisions1764489600000 } from './migrations/1764489600000-customer-scope-and-decisions';
import { Notifications1764576000000 } from './migrations/1764576000000-notifications';
import { CatalogTasks1764662400000 } from './migrations/1764662400000-catalog-tasks';
import { EnvironmentLeases1764748800000 } from './migrations/1764748800000-environment-leases';
import { SharedHeavyWork1764835200030 } from './migrations/1764835200030-shared-heavy-work';
import { ObligationTasksInInbox1764835200050 } from './migrations/1764835200050-obligation-tasks-in-inbox';
import { CustomerTimeZoneAndMailContacts1764835200060 } from './migrations/1764835200060-customer-time-zone-and-mail-contacts';
import { DeliveryFinalStatus1764835200070 } from './migrations/1764835200070-delivery-final-status';

// Listed explicitly: globs match nothing once code is bundled.
export const APP_ENTITIES = [
  EnvironmentEntity,
  UpgradePackageEntity,
  DeliveryEntity,
  DeliveryFinalStatusEntity,
  DeliveryReportEntity,
  AuditEntryEntity,
  DataArtifactEntity,
  DeliveryDecisionEntity,
  WebhookSubscriptionEntity,
  GateContactEntity,
  NotificationEntity,
  NotificationAttemptEntity,
  DeliveryTaskEntity,
  TaskEvidenceEntity,
];
export const APP_MIGRATIONS = [
  InitialSchema1764230400000,
  DataArtifacts1764316800000,
  CustomerScopeAndDecisions1764489600000,
  Notifications1764576000000,
  CatalogTasks1764662400000,
  EnvironmentLeases1764748800000,
  SharedHeavyWork1764835200030,
  ObligationTasksInInbox1764835200050,
  CustomerTimeZoneAndMailContacts1764835200060,
  DeliveryFinalStatus1764835200070,
];

export function appDataSourceOptions(url: string) {
  return {
    type: 'postgres' as const,
    url,
    entities: APP_ENTITIES,
    migrations: APP_MIGRATIONS,
    migrationsTableName: 'sdo_migrations',
    synchronize: false,
    extra: { max: 10, application_name: 'sdo' },
  };
}

export function createAppDataSource(url: string): DataSource {
  return new DataSource(appDataSourceOptions(url));
}

/** Arbitrary constant: every SDO process that migrates takes this lock first. */
const MIGRATION_LOCK = 0x5d0_0001;

/** Applies pending migrations under a PostgreSQL advisory lock, so concurrent starts migrate once. */
export async function migrateAppDatabase(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
