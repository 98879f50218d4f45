import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Obligation tasks (assessments, O&M, security items, sessions, milestones) share the task inbox with
 * flow tasks; decisions on cases and obligation tasks are sent to the obligation's workflow, named here.
 */
export class ObligationTasksInInbox1764835200050 implements MigrationInterface {
  name = 'ObligationTasksInInbox1764835200050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE delivery_tasks
        ADD COLUMN source text NOT NULL DEFAULT 'flow',
        ADD COLUMN obligation_task_id text,
        ADD COLUMN obligation_kind text`);
    await q.query(`CREATE UNIQUE INDEX ux_task_obligation ON delivery_tasks (delivery_id, obligation_task_id) WHERE obligation_task_id IS NOT NULL`);
    await q.query(`ALTER TABLE delivery_decisions ADD COLUMN workflow_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE delivery_decisions DROP COLUMN workflow_id`);
    await q.query(`DROP INDEX IF EXISTS ux_task_obligation`);
    await q.query(`ALTER TABLE delivery_tasks DROP COLUMN obligation_kind, DROP COLUMN obligation_task_id, DROP COLUMN source`);
  }
}
