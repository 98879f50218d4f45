import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { buildCopyPlan, PgTarget, PostgresConnector, verifyTable } from './index';
import { pgRows, repoRoot } from './test-support/fixtures';

const ROWS = 1_000_000;
const CHUNK_ROWS = 50_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

interface Child {
  start(opts: { killAfterCommit?: number; killAfterMs?: number }): Promise<Run>;
  kill(): void;
}

/**
 * Spawns the copying process itself (node, not a npx/sh wrapper: the pid killed is the pid that
 * copies). It loads its modules at once and waits for `start`, so the next attempt's ~1.5 s of
 * ts-node start-up overlaps the current attempt; it touches no database before `start`.
 * `killAfterMs` SIGKILLs it from outside that long after the start.
 */
function spawnChild(src: string, dst: string, attempt: number, killAfterCommit = 0): Child {
  const root = repoRoot();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(__dirname, 'test-support', 'crash-child.ts')],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(root, 'tsconfig.json'),
        SDO_SRC_URL: src,
        SDO_DST_URL: dst,
        SDO_JOB: 'crash',
        SDO_ATTEMPT: String(attempt),
        SDO_CHUNK_ROWS: String(CHUNK_ROWS),
        SDO_KILL_AFTER_COMMIT: String(killAfterCommit),
        SDO_WAIT_FOR_GO: '1',
      },
    },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<Run>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out: out.replace(/^READY\n/, ''), err })));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => (out.startsWith('READY\n') ? resolve() : undefined);
    child.stdout!.on('data', check);
    void exited.then((r) => reject(new Error(`crash child exited before it was ready: ${r.err.slice(0, 800)}`)));
  });
  ready.catch(() => undefined); // awaited in start()
  return {
    async start(opts) {
      await ready;
      child.stdin!.end('go\n');
      const timer = opts.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : null;
      const r = await exited;
      if (timer) clearTimeout(timer);
      return r;
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

describe('crash safety: a 1M-row copy SIGKILLed at random points', () => {
  let src: ScratchDatabase;
  let dst: ScratchDatabase;
  beforeAll(async () => {
    src = await createScratchDatabase('crash_src');
    dst = await createScratchDatabase('crash_dst');
    const s = new PostgresConnector(src.url);
    await s.query(`CREATE TABLE big (id bigint PRIMARY KEY, qty integer NOT NULL, label text, at timestamptz, amount numeric(18,6))`);
    await s.query(`INSERT INTO big SELECT g, g % 1000, 'row ' || g || E'\\t' || md5(g::text), timestamptz '2020-01-01 00:00:00.000001+00' + g * interval '1.000001 second', g / 7.0
                     FROM generate_series(1, ${ROWS}) g`);
    await s.query('ANALYZE big');
    await s.close();
  }, 120_000);
  afterAll(async () => {
    await src?.drop();
    await dst?.drop();
  });

  it('resumes after every kill and ends equal to the source, without duplicate keys; one corrupted row is named by key', async () => {
    const source = new PostgresConnector(src.url);
    const target = new PgTarget(dst.url);
    let cleanup = () => undefined as void;
    try {
      const plan = await buildCopyPlan(source, { jobId: 'crash', targetSchema: 'public', tables: ['big'] });
      await target.createTables(plan);
      // Kill points: right after a chunk commit (several), and from outside at random moments
      // (before the first chunk, inside a chunk's COPY, between chunks).
      const kills: { killAfterCommit?: number; killAfterMs?: number }[] = [
        // Times count from the start signal (the child has already loaded); a chunk takes ~0.15–0.3 s.
        { killAfterMs: 50 + Math.floor(Math.random() * 500) },
        { killAfterCommit: 1 },
        { killAfterMs: 300 + Math.floor(Math.random() * 900) },
        { killAfterCommit: 1 + Math.floor(Math.random() * 3) },
        { killAfterMs: 300 + Math.floor(Math.random() * 1200) },
        { killAfterCommit: 2 },
      ];
      const children = [...kills, {}].map((k, i) => () => spawnChild(src.url, dst.url, i + 1, (k as { killAfterCommit?: number }).killAfterCommit));
      let next = children[0]!();
      cleanup = () => next.kill();
      let attempt = 0;
      for (const k of kills) {
        const current = next;
        next = children[++attempt]!(); // loads while `current` runs
        const r = await current.start(k);
        // Diagnostics: which attempt committed which chunk, when.
        if (r.err)
          console.log(
            attempt,
            r.err.slice(0, 300),
            JSON.stringify(await pgRows(dst.url, `SELECT chunk_no, attempt_id, to_char(committed_at, 'MI:SS.MS') FROM sdo_copy.checkpoint ORDER BY chunk_no`)),
          );
        if (!r.out.startsWith('DONE')) expect({ signal: r.signal, err: r.err.slice(0, 800) }).toEqual({ signal: 'SIGKILL', err: '' }); // killed, not failed
      }
      const final = await next.start({});
      expect(final.err).toBe('');
      const result = JSON.parse(final.out.replace(/^DONE /, '')) as { rowsLoaded: number; chunks: number };
      expect(result).toMatchObject({ rowsLoaded: ROWS, chunks: ROWS / CHUNK_ROWS });

      const [[count, distinct]] = (await pgRows(dst.url, 'SELECT count(*)::text, count(DISTINCT id)::text FROM big')) as [[string, string]];
      expect([count, distinct]).toEqual([String(ROWS), String(ROWS)]);
      const writers = await pgRows(dst.url, `SELECT count(DISTINCT attempt_id)::text FROM sdo_copy.checkpoint WHERE job_id = 'crash'`);
      expect(Number(writers[0]![0])).toBeGreaterThan(1); // retries are visible in the checkpoints

      const verified = await verifyTable(source, target, { plan, table: 'big' });
      expect(verified).toMatchObject({ equal: true, sourceRows: ROWS, targetRows: ROWS });

      const victim = 1 + Math.floor(Math.random() * ROWS);
      await target.conn.query(`UPDATE big SET label = label || ' ' WHERE id = $1`, [victim]);
      const corrupted = await verifyTable(source, target, { plan, table: 'big' });
      expect(corrupted).toMatchObject({ equal: false, mismatchedKeyCount: 1, mismatchedKeys: [{ key: [String(victim)], issue: 'different' }] });
      expect(corrupted.mismatchedRanges).toHaveLength(1);
    } finally {
      cleanup();
      await source.close();
      await target.close();
    }
  }, 120_000);
});
