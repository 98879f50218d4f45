import { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook subscriptions, gate contacts (mail), and the notification outbox with its attempts. */
export class Notifications1764576000000 implements MigrationInterface {
  name = 'Notifications1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id varchar NOT NULL,
        url text NOT NULL,
        event_types jsonb NOT NULL,
        secret_ciphertext text NOT NULL,
        created_by varchar NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_webhook_customer ON webhook_subscriptions (customer_id)`);
    await q.query(`
      CREATE TABLE gate_contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id varchar NOT NULL,
        email text NOT NULL,
        gates jsonb NOT NULL,
        created_by varchar NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_gate_contact UNIQUE (customer_id, email)
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('webhook', 'mail')),
        target text NOT NULL,
        subscription_id uuid REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        delivery_id uuid,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'abandoned')),
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT uq_notification_event_target UNIQUE (event_id, target)
      )`);
    await q.query(`CREATE INDEX ix_notification_source ON notifications (source)`);
    await q.query(`CREATE INDEX ix_notification_subscription ON notifications (subscription_id)`);
    await q.query(`
      CREATE TABLE notification_attempts (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_notification_attempt ON notification_attempts (notification_id, attempt)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notification_attempts`);
    await q.query(`DROP TABLE IF EXISTS notifications`);
    await q.query(`DROP TABLE IF EXISTS gate_contacts`);
    await q.query(`DROP TABLE IF EXISTS webhook_subscriptions`);
  }
}
