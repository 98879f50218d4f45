import { Client } from 'pg';
import { createScratchDatabase, withDatabase } from './scratch-database';

describe('scratch databases', () => {
  it('points a server URL at another database, keeping credentials', () => {
    expect(withDatabase('postgres://u:p%40ss@127.0.0.1:5432/postgres', 'erp_1')).toBe('postgres://u:p%40ss@127.0.0.1:5432/erp_1');
  });

  it('creates a uniquely named database, optionally from a template, and drops it', async () => {
    const a = await createScratchDatabase('Scratch Test');
    const b = await createScratchDatabase('scratch_test');
    expect(a.name).toMatch(/^scratch_test_[0-9a-f]{8}$/);
    expect(a.name).not.toBe(b.name);
    const client = new Client({ connectionString: a.url });
    await client.connect();
    await client.query('CREATE TABLE marker (x int); INSERT INTO marker VALUES (7)');
    await client.end();
    const copy = await createScratchDatabase('scratch_copy', a.name);
    const copied = new Client({ connectionString: copy.url });
    await copied.connect();
    expect((await copied.query('SELECT x FROM marker')).rows).toEqual([{ x: 7 }]);
    await copied.end();
    for (const db of [a, b, copy]) await db.drop();
    const server = new Client({ connectionString: withDatabase(a.url, 'postgres') });
    await server.connect();
    const left = await server.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [[a.name, b.name, copy.name]]);
    await server.end();
    expect(left.rows).toEqual([]);
  });
});
