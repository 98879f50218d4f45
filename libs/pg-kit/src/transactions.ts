import type { ClientBase } from 'pg';

/** Runs `fn` in a transaction (`begin` may set its isolation level); rolls back on any error. */
export async function inTransaction<T>(client: ClientBase, fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await client.query(begin);
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
