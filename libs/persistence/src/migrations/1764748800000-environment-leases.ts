import { MigrationInterface, QueryRunner } from 'typeorm';

/** Who runs heavy work on which customer database now (see EnvironmentLeases). */
export class EnvironmentLeases1764748800000 implements MigrationInterface {
  name = 'EnvironmentLeases1764748800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE environment_leases (
        environment_ref text NOT NULL,
        holder text NOT NULL,
        claim text NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (environment_ref, holder, claim)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS environment_leases`);
  }
}
