import { MigrationInterface, QueryRunner } from 'typeorm';

export class DataArtifacts1764316800000 implements MigrationInterface {
  name = 'DataArtifacts1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id text NOT NULL,
        kind text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_data_artifact_job ON data_artifacts (job_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS data_artifacts`);
  }
}
