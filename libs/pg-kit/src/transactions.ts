import type { ClientBase } from 'pg';

/** Runs `fn` in a transaction (`begin` may set its isolation level); rolls back on any error. */
export async function inTransaction<T>(c: ClientBase, fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
  await c.query(begin);
  try {
    const result = await fn();
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
