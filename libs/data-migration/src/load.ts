import type { Client, ClientBase } from 'pg';
import type { MappingReconciliation, MigrationHeartbeat } from '@sdo/contracts';
import {
  claimUnit,
  classifyDriverError,
  commitChunk,
  CONTROL_SCHEMA,
  ensureControlSchema,
  quotePg,
  schemaExists,
  finishUnit,
  unitProgress,
  type SourceConnector,
} from '@sdo/data-engine';
import { asText, lookupKey, mapRow, passesFilters, type CompiledMapping, type Lookups, type TargetTable } from './mapping';

/**
 * The loads keep their bookkeeping in the data engine's control schema (a mapping is a unit of
 * the job); this schema is where releases before that kept it, moved in on first touch.
 */
export const LEGACY_MIGRATION_SCHEMA = 'sdo_migration';
const CONTROL = quotePg(CONTROL_SCHEMA);
export const DEFAULT_CHUNK_ROWS = 2000;

/** The target schema's tables and columns, as the mappings are checked against them. */
export async function readTargetTables(client: Client, schema: string): Promise<Map<string, TargetTable>> {
  const r = await client.query<{
    table_name: string;
    column_name: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
    is_generated: string;
    data_type: string;
  }>(
    `SELECT table_name, column_name, is_nullable, column_default, is_identity, is_generated, data_type
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [schema],
  );
  const tables = new Map<string, TargetTable>();
  for (const row of r.rows) {
    const t = tables.get(row.table_name) ?? { name: row.table_name, columns: new Map() };
    t.columns.set(row.column_name, {
      nullable: row.is_nullable === 'YES',
      hasDefault: row.column_default !== null || row.is_identity === 'YES' || row.is_generated === 'ALWAYS',
      dataType: row.data_type,
    });
    tables.set(row.table_name, t);
  }
  return tables;
}

/** Creates the load bookkeeping once, moving a pre-`sdo_copy` one (`sdo_migration`) into it. */
export async function ensureControl(client: Client): Promise<void> {
  await ensureControlSchema(client, adoptLegacyProgress);
}

/**
 * A load checkpointed by an older release: each `sdo_migration.progress` row becomes the mapping's
 * owner row and one checkpoint carrying its totals (chunk `chunk_no - 1`, so the load resumes at
 * `chunk_no`); a tombstone (chunk -1) becomes an `undone` unit. Runs once, in the schema's creation
 * transaction, and drops the old schema.
 */
async function adoptLegacyProgress(client: ClientBase): Promise<void> {
  if (!(await schemaExists(client, LEGACY_MIGRATION_SCHEMA))) return;
  const legacy = quotePg(LEGACY_MIGRATION_SCHEMA);
  if ((await client.query(`SELECT to_regclass('sdo_migration.progress') AS t`)).rows[0].t) {
    await client.query(
      `INSERT INTO ${CONTROL}.table_owner (job_id, table_name, attempt_id, attempt_seq, state, claimed_at, finished_at)
       SELECT job_id, mapping, '${LEGACY_MIGRATION_SCHEMA}', 0, CASE WHEN chunk_no < 0 THEN 'undone' WHEN done THEN 'done' ELSE 'copying' END,
              updated_at, CASE WHEN done THEN updated_at END
         FROM ${legacy}.progress ON CONFLICT (job_id, table_name) DO NOTHING`,
    );
    await client.query(
      `INSERT INTO ${CONTROL}.checkpoint (job_id, table_name, chunk_no, key_upto, rows_loaded, rows_rejected, stats, checksum, attempt_id, committed_at)
       SELECT job_id, mapping, chunk_no - 1, last_key, loaded, rejected,
              jsonb_build_object('sourceRows', source_rows, 'filteredOut', filtered_out), '', '${LEGACY_MIGRATION_SCHEMA}', updated_at
         FROM ${legacy}.progress WHERE chunk_no > 0 ON CONFLICT DO NOTHING`,
    );
  }
  if ((await client.query(`SELECT to_regclass('sdo_migration.reject') AS t`)).rows[0].t) {
    await client.query(
      `INSERT INTO ${CONTROL}.reject (job_id, table_name, chunk_no, row_key, reason)
       SELECT job_id, mapping, chunk_no - 1, row_key, reason FROM ${legacy}.reject ORDER BY id`,
    );
  }
  await client.query(`DROP SCHEMA ${legacy} CASCADE`);
}

async function loadLookups(client: Client, schema: string, mapping: CompiledMapping): Promise<Lookups> {
  const lookups: Lookups = new Map();
  for (const { rule } of mapping.rules) {
    if (!rule.lookup || lookups.has(lookupKey(rule.lookup))) continue;
    const l = rule.lookup;
    const r = await client.query({
      text: `SELECT ${quotePg(l.match)}::text, ${quotePg(l.returns)}::text FROM ${quotePg(schema)}.${quotePg(l.table)}`,
      rowMode: 'array',
    });
    lookups.set(lookupKey(l), new Map(r.rows.map((row: (string | null)[]) => [row[0] ?? '', row[1] ?? null])));
  }
  return lookups;
}

/** Inserts accepted rows; a row PostgreSQL refuses (data error, class 22/23) becomes a reject with its message. */
async function insertRows(
  client: Client,
  schema: string,
  compiled: CompiledMapping,
  rows: { key: string[]; values: (string | null)[] }[],
): Promise<{ loaded: number; rejects: { key: string[]; reason: string }[] }> {
  if (!rows.length) return { loaded: 0, rejects: [] };
  const columns = compiled.rules.map((r) => quotePg(r.rule.target)).join(', ');
  const table = `${quotePg(schema)}.${quotePg(compiled.mapping.target)}`;
  const width = compiled.rules.length;
  const insert = (batch: typeof rows) =>
    client.query(
      `INSERT INTO ${table} (${columns}) VALUES ${batch.map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')}`,
      batch.flatMap((r) => r.values),
    );
  const isDataError = (err: unknown) => /^(22|23)/.test(String((err as { code?: string }).code ?? ''));
  const perBatch = Math.max(1, Math.floor(30_000 / width));
  let loaded = 0;
  const rejects: { key: string[]; reason: string }[] = [];
  for (let i = 0; i < rows.length; i += perBatch) {
    const batch = rows.slice(i, i + perBatch);
    await client.query('SAVEPOINT batch');
    try {
      await insert(batch);
      await client.query('RELEASE SAVEPOINT batch');
      loaded += batch.length;
      continue;
    } catch (err) {
      await client.query('ROLLBACK TO SAVEPOINT batch');
      if (!isDataError(err)) throw classifyDriverError(err, `Target table ${compiled.mapping.target}`);
    }
    for (const row of batch) {
      await client.query('SAVEPOINT one');
      try {
        await insert([row]);
        await client.query('RELEASE SAVEPOINT one');
        loaded++;
      } catch (err) {
        await client.query('ROLLBACK TO SAVEPOINT one');
        if (!isDataError(err)) throw classifyDriverError(err, `Target table ${compiled.mapping.target}`);
        rejects.push({ key: row.key, reason: `refused by PostgreSQL: ${(err as Error).message}` });
      }
    }
  }
  return { loaded, rejects };
}

export const reconciliationRows = (list: MappingReconciliation[]) =>
  list.map((r) => ({
    mapping: r.mapping,
    target: r.target,
    sourceRows: r.sourceRows,
    filteredOut: r.filteredOut,
    loaded: r.loaded,
    rejected: r.rejected,
    balanced: r.sourceRows === r.filteredOut + r.loaded + r.rejected,
  }));

/** The first rejected rows of a job, with their keys and reasons, for the reports. */
export async function rejectSamples(client: Client, jobId: string): Promise<{ mapping: string; rowKey: string; reason: string }[]> {
  if (await schemaExists(client, LEGACY_MIGRATION_SCHEMA)) await ensureControl(client);
  if (!(await client.query(`SELECT to_regclass('sdo_copy.reject') AS t`)).rows[0].t) return [];
  const r = await client.query<{ mapping: string; row_key: string[]; reason: string }>(
    `SELECT table_name AS mapping, row_key, reason FROM ${CONTROL}.reject WHERE job_id = $1 ORDER BY id LIMIT 200`,
    [jobId],
  );
  return r.rows.map((x) => ({ mapping: x.mapping, rowKey: x.row_key.join(', '), reason: x.reason }));
}

/** Rows in each of the target tables. */
export async function countTargetRows(client: Client, schema: string, tables: Iterable<string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of new Set(tables)) {
    out[table] = (await client.query(`SELECT count(*)::int AS n FROM ${quotePg(schema)}.${quotePg(table)}`)).rows[0].n;
  }
  return out;
}

/** Per target table: rows there = rows the mappings loaded into it. */
export function countProblems(reconciliations: MappingReconciliation[], counts: Record<string, number>): string[] {
  const loaded = new Map<string, number>();
  for (const r of reconciliations) loaded.set(r.target, (loaded.get(r.target) ?? 0) + r.loaded);
  return [...loaded].filter(([table, n]) => counts[table] !== n).map(([table, n]) => `${table} holds ${counts[table]} row(s), the mappings loaded ${n}`);
}

export interface LoadJob {
  jobId: string;
  /** Target schema. */
  schema: string;
  mapping: CompiledMapping;
  chunkRows: number;
  /** Aborting stops before the next chunk with the signal's reason; the chunk in flight rolls back. */
  signal?: AbortSignal;
  /** Names the attempt in its checkpoints (default: the job ID). */
  attemptId?: string;
  /** After every committed chunk: where the load stands. */
  onChunk?: (progress: MigrationHeartbeat) => void;
}

/**
 * Loads one mapping in key order, chunk by chunk: each chunk's rows, its rejects and the checkpoint
 * commit in one transaction (the data engine's checkpoint), fenced by the chunk number, so a retried attempt resumes after the
 * last committed chunk and a concurrent one stops without writing.
 */
export async function loadMapping(source: SourceConnector, client: Client, job: LoadJob): Promise<MappingReconciliation> {
  const { schema, mapping: m, chunkRows } = job;
  const name = m.mapping.name;
  const started = Date.now();
  await ensureControl(client);
  const unit = { jobId: job.jobId, unit: name };
  await claimUnit(client, unit, job.attemptId ?? job.jobId);
  const p = await unitProgress(client, unit);
  // An undone load (the delivery was cancelled) is a tombstone at chunk -1: a late attempt writes nothing.
  const undone = p.state === 'undone';
  const resumedAtChunk = undone ? -1 : p.chunks;
  let chunkNo = resumedAtChunk;
  let after = (p.lastKey as string[] | null) ?? null;
  const totals = {
    sourceRows: p.totals['sourceRows'] ?? 0,
    filteredOut: p.totals['filteredOut'] ?? 0,
    loaded: p.rowsLoaded,
    rejected: p.rowsRejected,
  };
  const result = (): MappingReconciliation => ({
    mapping: name,
    target: m.mapping.target,
    ...totals,
    chunks: chunkNo,
    resumedAtChunk,
    durationMs: Date.now() - started,
  });
  if (p.state === 'done' || undone) return result();
  const lookups = await loadLookups(client, schema, m);
  const cols = m.readColumns.map((n) => m.source.columns.find((x) => x.name === n)!);
  const keyCols = m.keyColumns.map((n) => m.source.columns.find((x) => x.name === n)!);
  const keyIdx = m.keyColumns.map((k) => m.readColumns.indexOf(k));
  for (;;) {
    if (job.signal?.aborted) throw job.signal.reason ?? new Error('loadMapping cancelled');
    const upTo = await source.nextChunkBound(m.source.ref, keyCols, after, chunkRows);
    if (!upTo) break;
    const accepted: { key: string[]; values: (string | null)[] }[] = [];
    const rejects: { key: string[]; reason: string }[] = [];
    let seen = 0;
    let filtered = 0;
    for await (const raw of source.readRows(
      m.source.ref,
      cols.map((col) => ({ source: col, kind: 'text' as const })),
      keyCols,
      { after, upTo },
    )) {
      seen++;
      const text = raw.map(asText);
      const row = (column: string) => text[m.readColumns.indexOf(column)] ?? null;
      const key = keyIdx.map((i) => text[i] ?? '');
      if (!passesFilters(m.mapping.source.filter, row)) {
        filtered++;
        continue;
      }
      const mapped = mapRow(m, row, lookups);
      if ('reject' in mapped) rejects.push({ key, reason: mapped.reject });
      else accepted.push({ key, values: mapped.values });
    }
    await client.query('BEGIN');
    try {
      const written = await insertRows(client, schema, m, accepted);
      rejects.push(...written.rejects);
      for (const r of rejects) {
        await client.query(`INSERT INTO ${CONTROL}.reject (job_id, table_name, chunk_no, row_key, reason) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
          job.jobId,
          name,
          chunkNo,
          JSON.stringify(r.key),
          r.reason,
        ]);
      }
      // Fenced by the chunk number: a concurrent attempt that committed this chunk first makes this one stop.
      await commitChunk(client, unit, {
        chunkNo,
        after,
        upTo,
        rowsLoaded: written.loaded,
        rowsRejected: rejects.length,
        stats: { sourceRows: seen, filteredOut: filtered },
        attemptId: job.attemptId ?? job.jobId,
      });
      await client.query('COMMIT');
      chunkNo++;
      after = upTo;
      totals.sourceRows += seen;
      totals.filteredOut += filtered;
      totals.loaded += written.loaded;
      totals.rejected += rejects.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    job.onChunk?.({ mapping: name, chunkNo, loaded: totals.loaded, rejected: totals.rejected });
  }
  await finishUnit(client, unit);
  return result();
}

/**
 * Empties the mapped target tables (they were empty before the load) and turns the jobs'
 * checkpoints into tombstones, in one transaction.
 */
export async function undoLoad(client: Client, job: { schema: string; jobIds: string[]; mappings: string[]; tables: string[] }): Promise<void> {
  await ensureControl(client);
  await client.query('BEGIN');
  try {
    // The job's mappings become tombstones (`undone`) rather than disappearing: a load attempt still
    // running when the delivery was cancelled cannot commit its chunk (the owner row is no longer
    // `copying`) and rolls it back, and one that starts late finds its mapping undone. Taking the
    // owner rows waits for a chunk in flight to commit, so the TRUNCATE below also removes that chunk.
    await client.query(
      `INSERT INTO ${CONTROL}.table_owner AS o (job_id, table_name, attempt_id, attempt_seq, state, finished_at)
       SELECT j, m, 'undo', 0, 'undone', now() FROM unnest($1::text[]) j, unnest($2::text[]) m
       ON CONFLICT (job_id, table_name) DO UPDATE SET state = 'undone', finished_at = now()`,
      [job.jobIds, job.mappings],
    );
    await client.query(`DELETE FROM ${CONTROL}.checkpoint WHERE job_id = ANY($1::text[])`, [job.jobIds]);
    await client.query(`DELETE FROM ${CONTROL}.reject WHERE job_id = ANY($1::text[])`, [job.jobIds]);
    if (job.tables.length) await client.query(`TRUNCATE ${job.tables.map((x) => `${quotePg(job.schema)}.${quotePg(x)}`).join(', ')}`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
