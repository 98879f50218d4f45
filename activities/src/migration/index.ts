export { createMigrationActivities, type MigrationDeps } from './migration.activities';
