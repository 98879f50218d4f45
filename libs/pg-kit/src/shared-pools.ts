import { createHash } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';

/**
 * Pools kept between activities. A delivery's dozen activities on one customer database each
 * opened and closed their own pool: ~10 sessions per delivery, each a server fork, an
 * authentication and cold catalog caches (~8 ms of server CPU before the first statement). A
 * released pool now waits, idle, for the next activity with the same address and session
 * settings; its sessions close after `IDLE_MS` unused, and the pool with them.
 *
 * A lease is exclusive, as a pool of one's own was: concurrent activities on one database get
 * separate pools, so none waits for another's sessions. Idle sessions would block
 * `CREATE DATABASE … TEMPLATE` of their database: `closeIdlePools` ends them first.
 */

const IDLE_MS = 10_000;

/** Where a pool's sessions are: what `closeIdlePools` matches on. */
export interface PoolPlace {
  host: string;
  port: number;
  database: string;
}

interface IdlePool {
  pool: Pool;
  place: PoolPlace;
  timer: NodeJS.Timeout;
}

const idle = new Map<string, IdlePool[]>();

export interface PoolLease {
  pool: Pool;
  /** Returns the pool for reuse (or ends it, when `reusable` is false). */
  release(reusable?: boolean): Promise<void>;
}

/** The place a `postgres://` URL names, spelled as a connection's host is: lower case, an IPv6 address without brackets, port 5432 by default. */
export function placeOfUrl(url: string): PoolPlace {
  const u = new URL(url);
  return { host: u.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)) };
}

/**
 * A pool for `config`: an idle one made earlier for the same settings, or a new one from `make`.
 * The key covers every setting (credentials included, hashed), so a changed password or session
 * option never reuses an older pool.
 */
export function leasePool(config: PoolConfig, place: PoolPlace, make: () => Pool): PoolLease {
  const key = createHash('sha256')
    .update(JSON.stringify(config, (_k, v: unknown) => (typeof v === 'function' ? String(v) : v)))
    .digest('hex');
  const waiting = idle.get(key);
  const reused = waiting?.pop();
  if (waiting && !waiting.length) idle.delete(key);
  if (reused) clearTimeout(reused.timer);
  const pool = reused?.pool ?? make();
  let released = false;
  return {
    pool,
    async release(reusable = true) {
      if (released) return;
      released = true;
      // A pool with a session checked out (a lost release) or ended is not handed to anyone else.
      if (!reusable || pool.ended || pool.totalCount !== pool.idleCount) {
        // end() waits for checked-out sessions: do not make the activity wait on a lost release.
        const ending = pool.ended ? Promise.resolve() : pool.end().catch(() => undefined);
        if (pool.totalCount === pool.idleCount) await ending;
        return;
      }
      const entry: IdlePool = {
        pool,
        place,
        timer: setTimeout(() => void forget(key, entry), IDLE_MS + 1_000).unref(),
      };
      idle.set(key, [...(idle.get(key) ?? []), entry]);
    },
  };
}

async function forget(key: string, entry: IdlePool): Promise<void> {
  const left = (idle.get(key) ?? []).filter((e) => e !== entry);
  if (left.length) idle.set(key, left);
  else idle.delete(key);
  clearTimeout(entry.timer);
  await entry.pool.end().catch(() => undefined);
}

/** Ends this process's idle pools on a database (before it is copied as a template, or dropped). */
export async function closeIdlePools(place: PoolPlace): Promise<void> {
  const host = place.host.toLowerCase();
  const matching = [...idle].flatMap(([key, entries]) =>
    entries.filter((e) => e.place.host === host && e.place.port === place.port && e.place.database === place.database).map((e) => [key, e] as const),
  );
  await Promise.all(matching.map(([key, entry]) => forget(key, entry)));
}

/** Ends every idle pool (worker shutdown, tests). */
export async function closeAllIdlePools(): Promise<void> {
  await Promise.all([...idle].flatMap(([key, entries]) => entries.map((entry) => forget(key, entry))));
}

/** Idle pools held now (tests). */
export function idlePoolCount(): number {
  let n = 0;
  for (const entries of idle.values()) n += entries.length;
  return n;
}

/** Settings every shared pool gets: idle sessions close on their own and never keep the process alive. */
export const SHARED_POOL_IDLE = { idleTimeoutMillis: IDLE_MS, allowExitOnIdle: true } as const;
