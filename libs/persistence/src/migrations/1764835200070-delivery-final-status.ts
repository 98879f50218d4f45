import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each ended delivery's final status, which outlives the workflow's retention in Temporal. */
export class DeliveryFinalStatus1764835200070 implements MigrationInterface {
  name = 'DeliveryFinalStatus1764835200070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_final_status (
        delivery_id uuid PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
        status jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS delivery_final_status`);
  }
}
