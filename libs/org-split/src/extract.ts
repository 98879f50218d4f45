import type { Client, ClientBase } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import {
  classifySqlError,
  connect,
  copyableColumns,
  copyRows,
  createSequenceDdl,
  createTableDdl,
  inTransaction,
  PgSchema,
  quoteIdent as q,
  quoteQualified as qq,
  readSchema,
  TargetConnection,
  withClient,
} from '@sdo/pg-kit';
import {
  claimUnit,
  commitChunk,
  CONTROL_SCHEMA,
  ensureControlSchema,
  finishUnit,
  forgetJobs,
  schemaExists,
  setUnitState,
  unitProgress,
} from '@sdo/data-engine';
import { materialiseSelection, SplitPlan } from './split-plan';

/**
 * The extraction keeps its bookkeeping in the target's control schema (the data engine's) until
 * sign-off, as job `org-split` (the target is a new database for one organisation): what it created,
 * one checkpoint per copied table, and the `prepare`/`finalize` steps as done units.
 */
export const SPLIT_JOB = 'org-split';
/** Where releases before that kept it; moved in on first touch. */
export const LEGACY_SPLIT_SCHEMA = 'sdo_org_split';
const PREPARED = { jobId: SPLIT_JOB, unit: '(prepare)' };
const FINALIZED = { jobId: SPLIT_JOB, unit: '(finalize)' };
const ctl = q(CONTROL_SCHEMA);

/** The control schema, with a pre-`sdo_copy` extraction's bookkeeping moved into it. */
async function ensureControl(dst: Client): Promise<void> {
  await ensureControlSchema(dst, adoptLegacySplit);
}

/**
 * An extraction begun by an older release: `created` keeps its order, each `checkpoints` row
 * becomes the table's one chunk, `finalized` the finalize step; the old schema is dropped.
 */
async function adoptLegacySplit(dst: ClientBase): Promise<void> {
  if (!(await schemaExists(dst, LEGACY_SPLIT_SCHEMA))) return;
  const legacy = q(LEGACY_SPLIT_SCHEMA);
  await dst.query(`INSERT INTO ${ctl}.created (job_id, kind, schema_name, name) SELECT $1, kind, schema_name, name FROM ${legacy}.created ORDER BY seq`, [
    SPLIT_JOB,
  ]);
  await dst.query(
    `INSERT INTO ${ctl}.table_owner (job_id, table_name, attempt_id, attempt_seq, state, finished_at) VALUES ($1, $2, $3, 0, 'done', now()) ON CONFLICT DO NOTHING`,
    [SPLIT_JOB, PREPARED.unit, LEGACY_SPLIT_SCHEMA],
  );
  await dst.query(
    `INSERT INTO ${ctl}.table_owner (job_id, table_name, attempt_id, attempt_seq, state, finished_at)
     SELECT $1, table_name, $2, 0, 'done', copied_at FROM ${legacy}.checkpoints ON CONFLICT DO NOTHING`,
    [SPLIT_JOB, LEGACY_SPLIT_SCHEMA],
  );
  await dst.query(
    `INSERT INTO ${ctl}.checkpoint (job_id, table_name, chunk_no, rows_loaded, rows_rejected, stats, checksum, attempt_id, committed_at)
     SELECT $1, table_name, 0, rows, 0, '{}', '', $2, copied_at FROM ${legacy}.checkpoints ON CONFLICT DO NOTHING`,
    [SPLIT_JOB, LEGACY_SPLIT_SCHEMA],
  );
  if ((await dst.query(`SELECT 1 FROM ${legacy}.finalized`)).rowCount) await setUnitState(dst, FINALIZED, 'done');
  await dst.query(`DROP SCHEMA ${legacy} CASCADE`);
}

export interface TableResult {
  table: string;
  rows: number;
  ms: number;
  resumed: boolean;
}

async function open(conn: TargetConnection): Promise<Client> {
  return connect(conn);
}

/** Creates the source schema's tables (with keys and checks, without foreign keys) in the target, once. */
export async function prepareTarget(source: TargetConnection, target: TargetConnection, plan: SplitPlan): Promise<{ ms: number }> {
  const t0 = Date.now();
  const [src, dst] = [await open(source), await open(target)];
  try {
    const schema = await readSchema(src, plan.schema);
    await createTargetObjects(dst, schema).catch((err) => {
      throw classifySqlError(err, 'Creating the tables in the target', target.database);
    });
    return { ms: Date.now() - t0 };
  } finally {
    await src.end().catch(() => undefined);
    await dst.end().catch(() => undefined);
  }
}

/**
 * Copies the chosen rows of the tables in turn, over one session per server and one read of the
 * source catalog. Each table's selection is computed in a REPEATABLE READ snapshot of the source,
 * streamed with COPY, and committed in the target together with the table's checkpoint, so a
 * retried or repeated call skips the tables already copied. An aborted `signal` (the activity's
 * cancellation, also when its worker shuts down) cancels the running statements on both servers,
 * so nothing more commits, and its reason is thrown.
 */
export async function copyTables(
  source: TargetConnection,
  target: TargetConnection,
  plan: SplitPlan,
  tables: string[],
  options: { signal?: AbortSignal; onTable?: (table: string) => void; attemptId?: string } = {},
): Promise<TableResult[]> {
  const { signal } = options;
  const [src, dst] = [await open(source), await open(target)];
  let unwatch: () => void = () => undefined;
  try {
    unwatch = await cancelOnAbort(signal, [
      [source, src],
      [target, dst],
    ]);
    await ensureControl(dst);
    const schema = await readSchema(src, plan.schema);
    const results: TableResult[] = [];
    for (const table of tables) {
      options.onTable?.(table);
      const started = Date.now();
      const unit = { jobId: SPLIT_JOB, unit: table };
      const progress = await unitProgress(dst, unit);
      if (progress.chunks) {
        results.push({ table, rows: progress.rowsLoaded, ms: 0, resumed: true });
        continue;
      }
      await claimUnit(dst, unit, options.attemptId ?? SPLIT_JOB);
      const info = schema.tables.find((x) => x.name === table);
      if (!info) throw new DeliveryError(DeliveryFailureType.SchemaDrift, `Table ${table} no longer exists in the source.`);
      await src.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const selection = await materialiseSelection(src, schema, plan, { counts: false, dangling: false });
      const columns = copyableColumns(info);
      throwIfAborted(signal);
      const rows = await inTransaction(dst, async () => {
        const n = await copyRows(src, selection.select(table, columns), dst, plan.schema, table, columns);
        // The table's one chunk: a concurrent attempt that committed it first rolls this copy back.
        await commitChunk(dst, unit, { chunkNo: 0, rowsLoaded: n, attemptId: options.attemptId ?? SPLIT_JOB });
        await finishUnit(dst, unit);
        return n;
      }).catch(async (err) => {
        throwIfAborted(signal);
        // Another attempt committed this table first: its copy stands.
        if (err instanceof DeliveryError && err.type === DeliveryFailureType.StaleAttempt) return null;
        throw classifySqlError(err, `Copying table ${table}`, target.database);
      });
      await src.query('COMMIT');
      if (rows === null) results.push({ table, rows: (await unitProgress(dst, unit)).rowsLoaded, ms: 0, resumed: true });
      else results.push({ table, rows, ms: Date.now() - started, resumed: false });
    }
    return results;
  } catch (err) {
    throwIfAborted(signal);
    throw err;
  } finally {
    unwatch();
    await src.end().catch(() => undefined);
    await dst.end().catch(() => undefined);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('The table copy was cancelled.');
}

/**
 * Until the returned function is called, an abort of `signal` cancels whatever statement the given
 * sessions run, from a second connection to their server (best effort, as pg_cancel_backend is):
 * a COPY waiting for a lock or streaming rows stops and its transaction rolls back.
 */
async function cancelOnAbort(signal: AbortSignal | undefined, sessions: [TargetConnection, Client][]): Promise<() => void> {
  if (!signal) return () => undefined;
  const pids = await Promise.all(sessions.map(async ([, c]) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid));
  const cancel = () => {
    sessions.forEach(([conn], i) => void withClient(conn, (c) => c.query('SELECT pg_cancel_backend($1)', [pids[i]])).catch(() => undefined));
  };
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/** Indexes, validated foreign keys and sequence positions, once. */
export async function finalizeSplit(source: TargetConnection, target: TargetConnection, plan: SplitPlan): Promise<{ ms: number }> {
  const t0 = Date.now();
  const [src, dst] = [await open(source), await open(target)];
  try {
    const schema = await readSchema(src, plan.schema);
    await finalizeTarget(dst, schema).catch((err) => {
      throw classifySqlError(err, 'Adding keys and foreign keys in the target', target.database);
    });
    return { ms: Date.now() - t0 };
  } finally {
    await src.end().catch(() => undefined);
    await dst.end().catch(() => undefined);
  }
}

async function createTargetObjects(dst: Client, schema: PgSchema): Promise<void> {
  if ((await schemaExists(dst, CONTROL_SCHEMA)) || (await schemaExists(dst, LEGACY_SPLIT_SCHEMA))) {
    await ensureControl(dst);
    if ((await unitProgress(dst, PREPARED)).state === 'done') return; // a previous attempt created everything in one transaction
  }
  const clashes = await dst.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
    [schema.schema, [...schema.tables.map((t) => t.name), ...schema.sequences.map((s) => s.name)]],
  );
  if (clashes.rowCount) {
    throw new DeliveryError(
      DeliveryFailureType.SchemaDrift,
      `The target already holds ${clashes.rows.map((r) => r.name).join(', ')} in schema ${schema.schema}; the split creates those itself. Empty the target or choose another one; nothing was changed.`,
    );
  }
  await ensureControl(dst);
  await inTransaction(dst, async () => {
    const record = (kind: string, name: string) =>
      dst.query(`INSERT INTO ${ctl}.created (job_id, kind, schema_name, name) VALUES ($1, $2, $3, $4)`, [SPLIT_JOB, kind, schema.schema, name]);
    const schemaThere = await dst.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema.schema]);
    if (!schemaThere.rowCount) {
      await dst.query(`CREATE SCHEMA ${q(schema.schema)}`);
      await record('schema', schema.schema);
    }
    for (const s of schema.sequences.filter((s) => s.ownership !== 'i')) {
      await dst.query(createSequenceDdl(schema.schema, s));
      await record('sequence', s.name);
    }
    await dst.query(`SELECT set_config('search_path', $1, true)`, [q(schema.schema)]);
    for (const t of schema.tables) {
      await dst.query(createTableDdl(schema.schema, t));
      await record('table', t.name);
    }
    await setUnitState(dst, PREPARED, 'done');
  });
}

async function finalizeTarget(dst: Client, schema: PgSchema): Promise<void> {
  await ensureControl(dst);
  if ((await unitProgress(dst, FINALIZED)).state === 'done') return;
  await inTransaction(dst, async () => {
    await dst.query(`SELECT set_config('search_path', $1, true)`, [q(schema.schema)]);
    for (const t of schema.tables) for (const ddl of t.indexes) await dst.query(ddl);
    // ADD CONSTRAINT … FOREIGN KEY validates every row: a dangling reference fails the split here.
    for (const t of schema.tables)
      for (const fk of t.foreignKeys) await dst.query(`ALTER TABLE ${qq(schema.schema, t.name)} ADD CONSTRAINT ${q(fk.name)} ${fk.definition}`);
    for (const s of schema.sequences) {
      if (s.ownership === 'a' && s.ownerTable && s.ownerColumn) {
        await dst.query(`ALTER SEQUENCE ${qq(schema.schema, s.name)} OWNED BY ${qq(schema.schema, s.ownerTable)}.${q(s.ownerColumn)}`);
      }
      if (s.lastValue === null) continue;
      // Continue where the source is, so new keys never collide with the source's (or the copied) ones.
      const seq =
        s.ownership === 'i'
          ? `pg_get_serial_sequence('${qq(schema.schema, s.ownerTable!).replace(/'/g, "''")}', '${s.ownerColumn!.replace(/'/g, "''")}')`
          : `'${qq(schema.schema, s.name).replace(/'/g, "''")}'`;
      await dst.query(`SELECT setval(${seq}, $1::bigint, true)`, [s.lastValue]);
    }
    await setUnitState(dst, FINALIZED, 'done');
  });
}

/** Compensation: drops what the extraction recorded as created, then its bookkeeping. Idempotent. */
export async function dropExtracted(target: TargetConnection): Promise<string[]> {
  const dst = await open(target);
  try {
    if (!(await schemaExists(dst, CONTROL_SCHEMA)) && !(await schemaExists(dst, LEGACY_SPLIT_SCHEMA))) return [];
    await ensureControl(dst);
    const created = (
      await dst.query<{ kind: string; schema: string; name: string }>(
        `SELECT kind, schema_name AS schema, name FROM ${ctl}.created WHERE job_id = $1 ORDER BY seq DESC`,
        [SPLIT_JOB],
      )
    ).rows;
    return await inTransaction(dst, async () => {
      const dropped: string[] = [];
      for (const c of created) {
        if (c.kind === 'table') await dst.query(`DROP TABLE IF EXISTS ${qq(c.schema, c.name)} CASCADE`);
        if (c.kind === 'sequence') await dst.query(`DROP SEQUENCE IF EXISTS ${qq(c.schema, c.name)} CASCADE`);
        if (c.kind === 'schema') await dst.query(`DROP SCHEMA IF EXISTS ${q(c.name)} CASCADE`);
        dropped.push(`${c.kind} ${c.schema}.${c.name}`);
      }
      await forgetJobs(dst, [SPLIT_JOB], { dropSchemaIfEmpty: true });
      return dropped;
    });
  } finally {
    await dst.end().catch(() => undefined);
  }
}

/** After sign-off the new database keeps only the organisation's data. */
export async function dropControlSchema(target: TargetConnection): Promise<void> {
  const dst = await open(target);
  try {
    await dst.query(`DROP SCHEMA IF EXISTS ${q(LEGACY_SPLIT_SCHEMA)} CASCADE`);
    await forgetJobs(dst, [SPLIT_JOB], { dropSchemaIfEmpty: true });
  } finally {
    await dst.end().catch(() => undefined);
  }
}
