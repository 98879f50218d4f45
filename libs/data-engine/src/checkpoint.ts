import type { ClientBase } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { quotePg } from './identifiers';

/**
 * The one schema in a target database holding every service's bookkeeping: which attempt owns a
 * unit of work (a table, a mapping, a cut-off run), the checkpoints of its committed chunks,
 * rejects, reports and the objects a job created.
 */
export const CONTROL_SCHEMA = 'sdo_copy';
const S = quotePg(CONTROL_SCHEMA);

/** The control schema's tables; every statement is idempotent. */
const CONTROL_DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${S}`,
  `CREATE TABLE IF NOT EXISTS ${S}.table_owner (
     job_id text NOT NULL, table_name text NOT NULL, attempt_id text NOT NULL, attempt_seq bigint NOT NULL,
     state text NOT NULL DEFAULT 'copying', claimed_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz,
     detail jsonb, PRIMARY KEY (job_id, table_name))`,
  `CREATE TABLE IF NOT EXISTS ${S}.checkpoint (
     job_id text NOT NULL, table_name text NOT NULL, chunk_no integer NOT NULL, key_after jsonb, key_upto jsonb,
     rows_loaded bigint NOT NULL, rows_rejected bigint NOT NULL, stats jsonb NOT NULL, checksum text NOT NULL,
     attempt_id text NOT NULL, committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     PRIMARY KEY (job_id, table_name, chunk_no))`,
  `CREATE TABLE IF NOT EXISTS ${S}.reject (
     id bigserial PRIMARY KEY, job_id text NOT NULL, table_name text NOT NULL, chunk_no integer NOT NULL,
     row_key jsonb NOT NULL, column_name text, reason text NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS reject_job_table ON ${S}.reject (job_id, table_name)`,
  `CREATE TABLE IF NOT EXISTS ${S}.report (
     id uuid PRIMARY KEY DEFAULT gen_random_uuid(), job_id text NOT NULL, kind text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL)`,
  // Objects a job created, so that its compensation drops exactly those (newest first).
  `CREATE TABLE IF NOT EXISTS ${S}.created (
     seq bigserial PRIMARY KEY, job_id text NOT NULL, kind text NOT NULL, schema_name text NOT NULL, name text NOT NULL)`,
];

/** The tables whose rows belong to a job (`job_id`). */
export const JOB_TABLES = ['table_owner', 'checkpoint', 'reject', 'report', 'created'] as const;

/**
 * Creates the control schema (concurrent first calls serialise on an advisory lock) and, in the
 * same transaction, runs `adopt` — a service moving its pre-`sdo_copy` bookkeeping in. Must not be
 * called inside an open transaction.
 */
export async function ensureControlSchema(client: ClientBase, adopt?: (c: ClientBase) => Promise<void>): Promise<void> {
  // Nearly every call finds the schema complete: one catalog read instead of a locked transaction of DDL.
  if (!adopt && (await controlSchemaComplete(client))) return;
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('sdo_copy.control'))`);
    for (const ddl of CONTROL_DDL) await client.query(ddl);
    // What a service keeps about a unit beyond its chunks (e.g. a carryover run's archive schema);
    // added to tables of older releases only, as ALTER TABLE locks out every chunk in flight.
    const detail = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'table_owner' AND column_name = 'detail'`,
      [CONTROL_SCHEMA],
    );
    if (!detail.rowCount) await client.query(`ALTER TABLE ${S}.table_owner ADD COLUMN detail jsonb`);
    await adopt?.(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Every control table, the index on rejects and `table_owner.detail` exist (pg_catalog: information_schema costs ~1 ms a read). */
async function controlSchemaComplete(client: ClientBase): Promise<boolean> {
  // A row or none: the answer does not depend on the pool's type parsers (targets read every value as text).
  const { rowCount } = await client.query(
    `SELECT 1 WHERE (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = $1 AND ((c.relkind = 'r' AND c.relname = ANY($2::text[])) OR (c.relkind = 'i' AND c.relname = 'reject_job_table'))) = $3
                AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($4) AND attname = 'detail' AND NOT attisdropped)`,
    [CONTROL_SCHEMA, JOB_TABLES, JOB_TABLES.length + 1, `${S}.table_owner`],
  );
  return rowCount === 1;
}

export async function schemaExists(client: ClientBase, schema: string): Promise<boolean> {
  return (await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema])).rowCount === 1;
}

/** One unit of work of a job: a table of a copy, a mapping of a migration, a cut-off's run. */
export interface WorkUnit {
  jobId: string;
  unit: string;
}

export type UnitState = 'copying' | 'done' | 'undone' | (string & {});

export interface UnitProgress {
  /** null: never claimed. */
  state: UnitState | null;
  detail: Record<string, unknown> | null;
  /** Committed chunks; the next chunk's number. */
  chunks: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** The upper key of the last committed chunk. */
  lastKey: unknown;
  /** Per-chunk counters summed (`stats` of each checkpoint). */
  totals: Record<string, number>;
}

/** Where a unit stands: owner state and the sum of its committed chunks. */
export async function unitProgress(client: ClientBase, u: WorkUnit): Promise<UnitProgress> {
  // json as text, parsed here: the same answer whatever type parsers the client's pool has.
  const owner = await client.query<{ state: string; detail: string | null }>(
    `SELECT state, detail::text AS detail FROM ${S}.table_owner WHERE job_id = $1 AND table_name = $2`,
    [u.jobId, u.unit],
  );
  const agg = await client.query<{ chunks: string; loaded: string; rejected: string; last_key: string | null; totals: string | null }>(
    `SELECT (coalesce(max(chunk_no), -1) + 1)::text AS chunks, coalesce(sum(rows_loaded), 0)::text AS loaded,
            coalesce(sum(rows_rejected), 0)::text AS rejected,
            (SELECT key_upto FROM ${S}.checkpoint l WHERE l.job_id = $1 AND l.table_name = $2 ORDER BY l.chunk_no DESC LIMIT 1)::text AS last_key,
            (SELECT jsonb_object_agg(k, n) FROM (SELECT s.key AS k, sum(s.value::numeric)::text AS n
               FROM ${S}.checkpoint x, jsonb_each_text(x.stats) s WHERE x.job_id = $1 AND x.table_name = $2 GROUP BY s.key) t)::text AS totals
       FROM ${S}.checkpoint WHERE job_id = $1 AND table_name = $2`,
    [u.jobId, u.unit],
  );
  const a = agg.rows[0]!;
  return {
    state: owner.rows[0]?.state ?? null,
    detail: parse(owner.rows[0]?.detail),
    chunks: Number(a.chunks),
    rowsLoaded: Number(a.loaded),
    rowsRejected: Number(a.rejected),
    lastKey: parse(a.last_key),
    totals: Object.fromEntries(Object.entries(parse<Record<string, string>>(a.totals) ?? {}).map(([k, v]) => [k, Number(v)])),
  };
}

function parse<T = Record<string, unknown>>(json: string | null | undefined): T | null {
  return json === null || json === undefined ? null : (JSON.parse(json) as T);
}

/** Claims a unit for `attemptId` if nobody has (a unit already claimed keeps its owner and state). */
export async function claimUnit(client: ClientBase, u: WorkUnit, attemptId: string, detail?: Record<string, unknown>): Promise<void> {
  await client.query(
    `INSERT INTO ${S}.table_owner (job_id, table_name, attempt_id, attempt_seq, detail) VALUES ($1, $2, $3, 0, $4::jsonb) ON CONFLICT (job_id, table_name) DO NOTHING`,
    [u.jobId, u.unit, attemptId, detail === undefined ? null : JSON.stringify(detail)],
  );
}

/** Sets a unit's state (and merges `detail`), claiming it if needed; waits for a chunk in flight. */
export async function setUnitState(client: ClientBase, u: WorkUnit, state: UnitState, detail?: Record<string, unknown>): Promise<void> {
  await client.query(
    `INSERT INTO ${S}.table_owner AS o (job_id, table_name, attempt_id, attempt_seq, state, detail, finished_at)
     VALUES ($1, $2, 'sdo', 0, $3, $4::jsonb, CASE WHEN $3 IN ('done', 'undone') THEN now() END)
     ON CONFLICT (job_id, table_name) DO UPDATE SET state = EXCLUDED.state, finished_at = EXCLUDED.finished_at,
        detail = CASE WHEN EXCLUDED.detail IS NULL THEN o.detail ELSE coalesce(o.detail, '{}'::jsonb) || EXCLUDED.detail END`,
    [u.jobId, u.unit, state, detail === undefined ? null : JSON.stringify(detail)],
  );
}

/** A unit still being copied is done; an undone one stays undone. */
export async function finishUnit(client: ClientBase, u: WorkUnit): Promise<void> {
  await client.query(`UPDATE ${S}.table_owner SET state = 'done', finished_at = now() WHERE job_id = $1 AND table_name = $2 AND state = 'copying'`, [
    u.jobId,
    u.unit,
  ]);
}

export interface ChunkRecord {
  chunkNo: number;
  after?: unknown;
  upTo?: unknown;
  rowsLoaded: number;
  rowsRejected?: number;
  /** Counters summed into `UnitProgress.totals`. */
  stats?: Record<string, number>;
  checksum?: string;
  attemptId: string;
}

/**
 * Records a committed chunk, inside the caller's transaction that wrote it: the unit's owner row is
 * locked and must still be `copying` (an undo or a finish in between fences the attempt out), and
 * the chunk number must be the next one (a concurrent attempt that got there first fences this one
 * out). Either way the caller's transaction rolls back with a StaleAttempt.
 */
export async function commitChunk(client: ClientBase, u: WorkUnit, chunk: ChunkRecord): Promise<void> {
  const owner = await client.query<{ state: string }>(`SELECT state FROM ${S}.table_owner WHERE job_id = $1 AND table_name = $2 FOR UPDATE`, [u.jobId, u.unit]);
  const state = owner.rows[0]?.state;
  if (state !== 'copying') throw staleChunk(u, chunk.chunkNo, state ? `the unit is ${state}` : 'the unit was never claimed');
  const next = await client.query<{ n: number }>(`SELECT coalesce(max(chunk_no), -1) + 1 AS n FROM ${S}.checkpoint WHERE job_id = $1 AND table_name = $2`, [
    u.jobId,
    u.unit,
  ]);
  if (Number(next.rows[0]!.n) !== chunk.chunkNo) throw staleChunk(u, chunk.chunkNo, `chunk ${next.rows[0]!.n} is the next one`);
  await client.query(
    `INSERT INTO ${S}.checkpoint (job_id, table_name, chunk_no, key_after, key_upto, rows_loaded, rows_rejected, stats, checksum, attempt_id)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8::jsonb, $9, $10)`,
    [
      u.jobId,
      u.unit,
      chunk.chunkNo,
      JSON.stringify(chunk.after ?? null),
      JSON.stringify(chunk.upTo ?? null),
      chunk.rowsLoaded,
      chunk.rowsRejected ?? 0,
      JSON.stringify(chunk.stats ?? {}),
      chunk.checksum ?? '',
      chunk.attemptId,
    ],
  );
}

function staleChunk(u: WorkUnit, chunkNo: number, why: string): DeliveryError {
  return new DeliveryError(
    DeliveryFailureType.StaleAttempt,
    `Another attempt moved ${u.unit} of job ${u.jobId} on (${why}); this one stops without writing chunk ${chunkNo}.`,
  );
}

/** Forgets the jobs' bookkeeping; drops the control schema when nothing else is left in it. */
export async function forgetJobs(client: ClientBase, jobIds: string[], options: { dropSchemaIfEmpty?: boolean } = {}): Promise<void> {
  if (!(await schemaExists(client, CONTROL_SCHEMA))) return;
  const tables = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [CONTROL_SCHEMA]);
  const present = tables.rows.map((r) => r.table_name).filter((t): t is (typeof JOB_TABLES)[number] => (JOB_TABLES as readonly string[]).includes(t));
  for (const table of present) await client.query(`DELETE FROM ${S}.${quotePg(table)} WHERE job_id = ANY($1::text[])`, [jobIds]);
  if (!options.dropSchemaIfEmpty) return;
  for (const table of tables.rows.map((r) => r.table_name)) {
    if ((await client.query(`SELECT 1 FROM ${S}.${quotePg(table)} LIMIT 1`)).rowCount) return;
  }
  await client.query(`DROP SCHEMA ${S} CASCADE`);
}
