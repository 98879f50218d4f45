import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Catalog flows: their human tasks and the evidence attached to them. Catalog flows have no cutover
 * window, so a delivery's window may be absent.
 */
export class CatalogTasks1764576000000 implements MigrationInterface {
  name = 'CatalogTasks1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE deliveries ALTER COLUMN cutover_window DROP NOT NULL`);
    await q.query(`
      CREATE TABLE delivery_tasks (
        id uuid PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        service_type text NOT NULL,
        step_index int NOT NULL,
        step_code text NOT NULL,
        item_code text,
        name_zh text NOT NULL,
        name_en text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('task', 'gate', 'automated')),
        role text NOT NULL,
        assignee text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'open', 'done')),
        opened_at timestamptz,
        due_at timestamptz,
        checklist jsonb NOT NULL,
        completed_at timestamptz,
        completed_by text,
        signed_by text,
        reference text,
        reopened int NOT NULL DEFAULT 0,
        escalated boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_task_delivery ON delivery_tasks (delivery_id)`);
    await q.query(`CREATE INDEX ix_task_customer ON delivery_tasks (customer_id)`);
    await q.query(`CREATE INDEX ix_task_assignee ON delivery_tasks (assignee)`);
    await q.query(`CREATE INDEX ix_task_open_due ON delivery_tasks (status, due_at)`);
    await q.query(`
      CREATE TABLE task_evidence (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES delivery_tasks (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('note', 'link', 'file')),
        note text,
        url text,
        file_name text,
        content_type text,
        size int,
        content bytea,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_evidence_task ON task_evidence (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS task_evidence`);
    await q.query(`DROP TABLE IF EXISTS delivery_tasks`);
    await q.query(`UPDATE deliveries SET cutover_window = '{}'::jsonb WHERE cutover_window IS NULL`);
    await q.query(`ALTER TABLE deliveries ALTER COLUMN cutover_window SET NOT NULL`);
  }
}
