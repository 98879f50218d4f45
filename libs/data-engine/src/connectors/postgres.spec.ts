import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { pgRows } from '../test-support/fixtures';
import { createPgPool } from './postgres';

describe('PostgreSQL connection pool', () => {
  let pg: ScratchDatabase;
  beforeAll(async () => {
    pg = await createScratchDatabase('pgpool');
  });
  afterAll(async () => {
    await pg?.drop();
  });

  it('survives the session of a checked-out client being terminated between two queries (a server restart): the next query fails, the process does not', async () => {
    const lease = createPgPool(pg.url, 1);
    const client = await lease.pool.connect();
    try {
      const [{ pid }] = (await client.query<{ pid: string }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: string }];
      await pgRows(pg.url, 'SELECT pg_terminate_backend($1::int)', [pid]);
      await new Promise((r) => setTimeout(r, 300)); // the termination reaches the idle client
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release(true);
      await lease.release();
    }
  });
});
