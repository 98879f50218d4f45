import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createScratchDatabase as createTestDatabase, ScratchDatabase } from '@sdo/testing';
import { withClient } from './connection';
import { cloneToScratch, dropScratchDatabase } from './databases';
import { scratchName, ScratchPrefix } from './scratch-names';
import { closeAllIdlePools, idlePoolCount, leasePool, placeOfUrl, SHARED_POOL_IDLE } from './shared-pools';
import { targetConnectionOf } from './test-support/connections';

/** Against the real PostgreSQL of the test stack. */

let db: ScratchDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pgk_pools');
});
afterEach(async () => {
  await closeAllIdlePools();
});
afterAll(async () => {
  await db.drop();
});

const lease = (url: string, extra: Record<string, unknown> = {}) => {
  const config = { connectionString: url, max: 2, ...SHARED_POOL_IDLE, ...extra };
  return leasePool(config, placeOfUrl(url), () => new Pool(config).on('error', () => undefined).on('connect', (client) => client.on('error', () => undefined)));
};
const backendPid = async (pool: Pool) => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

describe('shared pools', () => {
  it('places a URL as a connection spells its host, so closing idle pools finds it', () => {
    expect(placeOfUrl('postgres://u:p@[::1]:5433/erp%20db')).toEqual({ host: '::1', port: 5433, database: 'erp db' });
    expect(placeOfUrl('postgres://u:p@DB.Example.com/erp')).toEqual({ host: 'db.example.com', port: 5432, database: 'erp' });
  });

  it('hands a released pool to the next lease with the same settings: the same session, no new connection', async () => {
    const first = lease(db.url);
    const pid = await backendPid(first.pool);
    await first.release();
    expect(idlePoolCount()).toBe(1);

    const second = lease(db.url);
    expect(second.pool).toBe(first.pool);
    expect(await backendPid(second.pool)).toBe(pid);
    await second.release();
  });

  it('never shares a pool between leases held at once, nor across different settings', async () => {
    const a = lease(db.url);
    const b = lease(db.url);
    expect(b.pool).not.toBe(a.pool);
    await a.release();
    const other = lease(db.url, { application_name: 'other-settings' });
    expect(other.pool).not.toBe(a.pool);
    await Promise.all([b.release(), other.release()]);
    expect(idlePoolCount()).toBe(3);
  });

  it('ends a pool released with a session still checked out, or released as not reusable', async () => {
    const held = lease(db.url);
    const client = await held.pool.connect();
    await held.release();
    expect(held.pool.ending).toBe(true);
    client.release();
    expect(idlePoolCount()).toBe(0);

    const spent = lease(db.url);
    await backendPid(spent.pool);
    await spent.release(false);
    expect(spent.pool.ended).toBe(true);
    expect(idlePoolCount()).toBe(0);
  });

  it('closes its idle sessions before the database is copied as a template, so the rehearsal clone takes the fast path', async () => {
    const used = lease(db.url, { application_name: 'sdo-pools-clone' });
    await backendPid(used.pool);
    await used.release();
    expect(idlePoolCount()).toBe(1);
    const sessions = () =>
      withClient(
        targetConnectionOf(db.url),
        async (c) =>
          (
            await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [
              'sdo-pools-clone',
            ])
          ).rows[0]!.n,
      );
    expect(await sessions()).toBe(1);

    const conn = targetConnectionOf(db.url);
    const scratch = scratchName(ScratchPrefix.rehearsal, randomUUID(), 'clone');
    try {
      // Without closing them, CREATE DATABASE … TEMPLATE is refused (55006) and the slow online copy runs instead.
      expect(await cloneToScratch(conn, scratch)).toBe('template');
      expect(idlePoolCount()).toBe(0);
      expect(await sessions()).toBe(0);
    } finally {
      await dropScratchDatabase(conn, scratch);
    }
  });
});
