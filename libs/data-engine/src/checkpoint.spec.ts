import type { ClientBase } from 'pg';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { CONTROL_SCHEMA, ensureControlSchema } from './checkpoint';
import { createPgPool } from './connectors/postgres';

/** The control schema, as every data activity finds it: created once, then confirmed by one catalog read. */
describe('ensureControlSchema', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase('control_schema');
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Statements `fn` sends through a client of a target pool (every value read as text, as targets do). */
  async function statements(fn: (c: ClientBase) => Promise<void>): Promise<string[]> {
    const lease = createPgPool(db.url, 1);
    const client = await lease.pool.connect();
    const sent: string[] = [];
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
      return query(...args);
    };
    try {
      await fn(client);
    } finally {
      client.release();
      await lease.release(false);
    }
    return sent;
  }

  it('creates the schema once; later calls read the catalog once and change nothing', async () => {
    const first = await statements((c) => ensureControlSchema(c));
    expect(first.filter((s) => /CREATE TABLE/.test(s))).toHaveLength(5);
    const later = await statements((c) => ensureControlSchema(c));
    expect(later).toHaveLength(1);
    expect(later[0]).toMatch(/pg_class/);
  });

  it('repairs a schema missing a piece (a dropped index, the detail column of older releases)', async () => {
    await statements(async (c) => {
      await c.query(`DROP INDEX ${CONTROL_SCHEMA}.reject_job_table`);
    });
    expect((await statements((c) => ensureControlSchema(c))).some((s) => /CREATE INDEX/.test(s))).toBe(true);
    await statements(async (c) => {
      await c.query(`ALTER TABLE ${CONTROL_SCHEMA}.table_owner DROP COLUMN detail`);
    });
    expect((await statements((c) => ensureControlSchema(c))).some((s) => /ADD COLUMN detail/.test(s))).toBe(true);
    expect(await statements((c) => ensureControlSchema(c))).toHaveLength(1);
  });

  it('always takes the full path when a service adopts older bookkeeping', async () => {
    let adopted = 0;
    await statements((c) =>
      ensureControlSchema(c, async () => {
        adopted++;
      }),
    );
    expect(adopted).toBe(1);
  });
});
