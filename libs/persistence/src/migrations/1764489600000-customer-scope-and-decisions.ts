import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order numbers and idempotency keys belong to a customer (two customers may use the same ones);
 * a delivery records when its workflow was started (a claim without one is repaired or
 * released); gate decisions are recorded before their Update is sent, and their audit entry is
 * written once per decision.
 */
export class CustomerScopeAndDecisions1764489600000 implements MigrationInterface {
  name = 'CustomerScopeAndDecisions1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_delivery_idempotency_key`);
    await q.query(`CREATE UNIQUE INDEX uq_delivery_idempotency_key ON deliveries (customer_id, idempotency_key)`);
    // Existing workflow IDs (`<service>:<orderNo>`) stay as stored; new ones carry the customer.
    await q.query(`CREATE UNIQUE INDEX uq_delivery_order ON deliveries (customer_id, service_type, order_no)`);
    await q.query(`ALTER TABLE deliveries ADD COLUMN started_at timestamptz`);
    await q.query(`UPDATE deliveries SET started_at = created_at`);
    await q.query(`CREATE INDEX ix_delivery_unstarted ON deliveries (created_at) WHERE started_at IS NULL`);
    await q.query(`
      CREATE TABLE delivery_decisions (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        action text NOT NULL,
        actor text NOT NULL,
        arg jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused', 'lost')),
        outcome jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_decision_pending ON delivery_decisions (delivery_id, created_at) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE audit_entries ADD COLUMN decision_id uuid`);
    await q.query(`CREATE UNIQUE INDEX uq_audit_decision ON audit_entries (decision_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS uq_audit_decision`);
    await q.query(`ALTER TABLE audit_entries DROP COLUMN IF EXISTS decision_id`);
    await q.query(`DROP TABLE IF EXISTS delivery_decisions`);
    await q.query(`DROP INDEX IF EXISTS ix_delivery_unstarted`);
    await q.query(`ALTER TABLE deliveries DROP COLUMN IF EXISTS started_at`);
    await q.query(`DROP INDEX IF EXISTS uq_delivery_order`);
    await q.query(`DROP INDEX IF EXISTS uq_delivery_idempotency_key`);
    await q.query(`CREATE UNIQUE INDEX uq_delivery_idempotency_key ON deliveries (idempotency_key)`);
  }
}
