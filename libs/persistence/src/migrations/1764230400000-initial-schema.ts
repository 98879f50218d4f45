import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764230400000 implements MigrationInterface {
  name = 'InitialSchema1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE environments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id text NOT NULL,
        name text NOT NULL,
        engine text NOT NULL CHECK (engine IN ('postgres', 'mysql', 'sqlite')),
        host text,
        port int,
        database text NOT NULL,
        username text,
        secret_ciphertext text,
        ssl boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_environment_customer_name UNIQUE (customer_id, name)
      )`);
    await q.query(`
      CREATE TABLE upgrade_packages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        product text NOT NULL,
        scripts jsonb NOT NULL,
        verifications jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_upgrade_package_name UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_fingerprint text NOT NULL,
        service_type text NOT NULL,
        customer_id text NOT NULL,
        order_no text NOT NULL,
        environments jsonb NOT NULL,
        parameters jsonb NOT NULL,
        cutover_window jsonb NOT NULL,
        contract_ref text,
        phase text NOT NULL,
        step text NOT NULL DEFAULT '',
        progress int NOT NULL DEFAULT 0,
        awaiting text,
        last_failure jsonb,
        cancel_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_delivery_workflow_id ON deliveries (workflow_id)`);
    await q.query(`CREATE UNIQUE INDEX uq_delivery_idempotency_key ON deliveries (idempotency_key)`);
    await q.query(`CREATE INDEX ix_delivery_service_type ON deliveries (service_type)`);
    await q.query(`CREATE INDEX ix_delivery_customer ON deliveries (customer_id)`);
    await q.query(`CREATE INDEX ix_delivery_phase ON deliveries (phase)`);
    await q.query(`
      CREATE TABLE delivery_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        kind text NOT NULL,
        revision int NOT NULL DEFAULT 1,
        summary text NOT NULL,
        body jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_report_delivery ON delivery_reports (delivery_id, created_at)`);
    await q.query(`
      CREATE TABLE audit_entries (
        id bigserial PRIMARY KEY,
        delivery_id uuid REFERENCES deliveries (id) ON DELETE CASCADE,
        actor text NOT NULL,
        action text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_audit_delivery ON audit_entries (delivery_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_entries', 'delivery_reports', 'deliveries', 'upgrade_packages', 'environments']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
