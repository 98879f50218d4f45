import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heavy work "unless the plan allows it": a delivery may let others share its environments
 * (`deliveries.concurrent_heavy_work`), and each lease claim says whether it shares and with how
 * many holders at most. Existing rows stay exclusive.
 */
export class SharedHeavyWork1764835200030 implements MigrationInterface {
  name = 'SharedHeavyWork1764835200030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ADD COLUMN concurrent_heavy_work jsonb`);
    await q.query(`ALTER TABLE environment_leases ADD COLUMN shared boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE environment_leases ADD COLUMN max_holders integer NOT NULL DEFAULT 1 CHECK (max_holders >= 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE environment_leases DROP COLUMN max_holders`);
    await q.query(`ALTER TABLE environment_leases DROP COLUMN shared`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN concurrent_heavy_work`);
  }
}
