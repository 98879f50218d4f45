import type { Client } from 'pg';
import { DeliveryError, DeliveryFailureType, type MappingReconciliation, type MigrationHeartbeat } from '@sdo/contracts';
import { classifyDriverError, quotePg, type SourceConnector } from '@sdo/data-engine';
import { asText, lookupKey, mapRow, passesFilters, type CompiledMapping, type Lookups, type TargetTable } from './mapping';

/** Bookkeeping of the loads in the target database: a chunk's rows, rejects and checkpoint commit together. */
export const MIGRATION_CONTROL_SCHEMA = 'sdo_migration';
const CONTROL = quotePg(MIGRATION_CONTROL_SCHEMA);
export const DEFAULT_CHUNK_ROWS = 2000;

/** The target schema's tables and columns, as the mappings are checked against them. */
export async function readTargetTables(c: Client, schema: string): Promise<Map<string, TargetTable>> {
  const r = await c.query<{
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

/** Creates the load bookkeeping once; concurrent first loads serialise on an advisory lock. */
export async function ensureControl(c: Client): Promise<void> {
  await c.query(`SELECT pg_advisory_lock(hashtext('sdo_migration.control'))`);
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${CONTROL}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${CONTROL}.progress (
      job_id text NOT NULL, mapping text NOT NULL, chunk_no integer NOT NULL DEFAULT 0, last_key jsonb,
      source_rows bigint NOT NULL DEFAULT 0, filtered_out bigint NOT NULL DEFAULT 0, loaded bigint NOT NULL DEFAULT 0, rejected bigint NOT NULL DEFAULT 0,
      done boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, mapping))`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${CONTROL}.reject (
      id bigserial PRIMARY KEY, job_id text NOT NULL, mapping text NOT NULL, chunk_no integer NOT NULL, row_key jsonb NOT NULL, reason text NOT NULL)`);
  } finally {
    await c.query(`SELECT pg_advisory_unlock(hashtext('sdo_migration.control'))`);
  }
}

async function loadLookups(c: Client, schema: string, m: CompiledMapping): Promise<Lookups> {
  const lookups: Lookups = new Map();
  for (const { rule } of m.rules) {
    if (!rule.lookup || lookups.has(lookupKey(rule.lookup))) continue;
    const l = rule.lookup;
    const r = await c.query({
      text: `SELECT ${quotePg(l.match)}::text, ${quotePg(l.returns)}::text FROM ${quotePg(schema)}.${quotePg(l.table)}`,
      rowMode: 'array',
    });
    lookups.set(lookupKey(l), new Map(r.rows.map((row: (string | null)[]) => [row[0] ?? '', row[1] ?? null])));
  }
  return lookups;
}

/** Inserts accepted rows; a row PostgreSQL refuses (data error, class 22/23) becomes a reject with its message. */
async function insertRows(
  c: Client,
  schema: string,
  m: CompiledMapping,
  rows: { key: string[]; values: (string | null)[] }[],
): Promise<{ loaded: number; rejects: { key: string[]; reason: string }[] }> {
  if (!rows.length) return { loaded: 0, rejects: [] };
  const columns = m.rules.map((r) => quotePg(r.rule.target)).join(', ');
  const table = `${quotePg(schema)}.${quotePg(m.mapping.target)}`;
  const width = m.rules.length;
  const insert = (batch: typeof rows) =>
    c.query(
      `INSERT INTO ${table} (${columns}) VALUES ${batch.map((_, i) => `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')}`,
      batch.flatMap((r) => r.values),
    );
  const isDataError = (err: unknown) => /^(22|23)/.test(String((err as { code?: string }).code ?? ''));
  const perBatch = Math.max(1, Math.floor(30_000 / width));
  let loaded = 0;
  const rejects: { key: string[]; reason: string }[] = [];
  for (let i = 0; i < rows.length; i += perBatch) {
    const batch = rows.slice(i, i + perBatch);
    await c.query('SAVEPOINT batch');
    try {
      await insert(batch);
      await c.query('RELEASE SAVEPOINT batch');
      loaded += batch.length;
      continue;
    } catch (err) {
      await c.query('ROLLBACK TO SAVEPOINT batch');
      if (!isDataError(err)) throw classifyDriverError(err, `Target table ${m.mapping.target}`);
    }
    for (const row of batch) {
      await c.query('SAVEPOINT one');
      try {
        await insert([row]);
        await c.query('RELEASE SAVEPOINT one');
        loaded++;
      } catch (err) {
        await c.query('ROLLBACK TO SAVEPOINT one');
        if (!isDataError(err)) throw classifyDriverError(err, `Target table ${m.mapping.target}`);
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
export async function rejectSamples(c: Client, jobId: string): Promise<{ mapping: string; rowKey: string; reason: string }[]> {
  const exists = await c.query(`SELECT to_regclass('sdo_migration.reject') AS t`);
  if (!exists.rows[0].t) return [];
  const r = await c.query<{ mapping: string; row_key: string[]; reason: string }>(
    `SELECT mapping, row_key, reason FROM ${CONTROL}.reject WHERE job_id = $1 ORDER BY id LIMIT 200`,
    [jobId],
  );
  return r.rows.map((x) => ({ mapping: x.mapping, rowKey: x.row_key.join(', '), reason: x.reason }));
}

/** Rows in each of the target tables. */
export async function countTargetRows(c: Client, schema: string, tables: Iterable<string>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of new Set(tables)) {
    out[table] = (await c.query(`SELECT count(*)::int AS n FROM ${quotePg(schema)}.${quotePg(table)}`)).rows[0].n;
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
  /** After every committed chunk: where the load stands. */
  onChunk?: (progress: MigrationHeartbeat) => void;
}

/**
 * Loads one mapping in key order, chunk by chunk: each chunk's rows, its rejects and the checkpoint
 * commit in one transaction, fenced by the chunk number, so a retried attempt resumes after the
 * last committed chunk and a concurrent one stops without writing.
 */
export async function loadMapping(source: SourceConnector, c: Client, job: LoadJob): Promise<MappingReconciliation> {
  const { schema, mapping: m, chunkRows } = job;
  const name = m.mapping.name;
  const started = Date.now();
  await ensureControl(c);
  await c.query(`INSERT INTO ${CONTROL}.progress (job_id, mapping) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [job.jobId, name]);
  const read = async () =>
    (
      await c.query<{
        chunk_no: number;
        last_key: string[] | null;
        source_rows: string;
        filtered_out: string;
        loaded: string;
        rejected: string;
        done: boolean;
      }>(`SELECT chunk_no, last_key, source_rows, filtered_out, loaded, rejected, done FROM ${CONTROL}.progress WHERE job_id = $1 AND mapping = $2`, [
        job.jobId,
        name,
      ])
    ).rows[0]!;
  const p = await read();
  const resumedAtChunk = p.chunk_no;
  let chunkNo = p.chunk_no;
  let after = p.last_key;
  const totals = { sourceRows: Number(p.source_rows), filteredOut: Number(p.filtered_out), loaded: Number(p.loaded), rejected: Number(p.rejected) };
  const result = (): MappingReconciliation => ({
    mapping: name,
    target: m.mapping.target,
    ...totals,
    chunks: chunkNo,
    resumedAtChunk,
    durationMs: Date.now() - started,
  });
  if (p.done) return result();
  const lookups = await loadLookups(c, schema, m);
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
    await c.query('BEGIN');
    try {
      const written = await insertRows(c, schema, m, accepted);
      rejects.push(...written.rejects);
      for (const r of rejects) {
        await c.query(`INSERT INTO ${CONTROL}.reject (job_id, mapping, chunk_no, row_key, reason) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
          job.jobId,
          name,
          chunkNo + 1,
          JSON.stringify(r.key),
          r.reason,
        ]);
      }
      // The checkpoint moves only from the chunk this attempt read: a concurrent attempt makes this one stop.
      const moved = await c.query(
        `UPDATE ${CONTROL}.progress SET chunk_no = chunk_no + 1, last_key = $3::jsonb, source_rows = source_rows + $4, filtered_out = filtered_out + $5,
                loaded = loaded + $6, rejected = rejected + $7, updated_at = now() WHERE job_id = $1 AND mapping = $2 AND chunk_no = $8`,
        [job.jobId, name, JSON.stringify(upTo), seen, filtered, written.loaded, rejects.length, chunkNo],
      );
      if (moved.rowCount !== 1)
        throw new DeliveryError(
          DeliveryFailureType.StaleAttempt,
          `Another attempt already loaded chunk ${chunkNo + 1} of mapping ${name}; this one stops without writing.`,
        );
      await c.query('COMMIT');
      chunkNo++;
      after = upTo;
      totals.sourceRows += seen;
      totals.filteredOut += filtered;
      totals.loaded += written.loaded;
      totals.rejected += rejects.length;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    job.onChunk?.({ mapping: name, chunkNo, loaded: totals.loaded, rejected: totals.rejected });
  }
  await c.query(`UPDATE ${CONTROL}.progress SET done = true WHERE job_id = $1 AND mapping = $2`, [job.jobId, name]);
  return result();
}

/**
 * Empties the mapped target tables (they were empty before the load) and turns the jobs'
 * checkpoints into tombstones, in one transaction.
 */
export async function undoLoad(c: Client, job: { schema: string; jobIds: string[]; mappings: string[]; tables: string[] }): Promise<void> {
  await ensureControl(c);
  await c.query('BEGIN');
  try {
    // The job's checkpoints become tombstones (done, at chunk -1) rather than disappearing: a load
    // attempt still running when the delivery was cancelled cannot move its checkpoint and rolls its
    // chunk back, and one that starts late finds its mapping done. Taking the rows waits for a chunk
    // in flight to commit, so the TRUNCATE below also removes that chunk.
    await c.query(
      `INSERT INTO ${CONTROL}.progress (job_id, mapping, chunk_no, done) SELECT j, m, -1, true FROM unnest($1::text[]) j, unnest($2::text[]) m
       ON CONFLICT (job_id, mapping) DO UPDATE SET chunk_no = -1, done = true, last_key = NULL, source_rows = 0, filtered_out = 0, loaded = 0, rejected = 0, updated_at = now()`,
      [job.jobIds, job.mappings],
    );
    await c.query(`DELETE FROM ${CONTROL}.reject WHERE job_id = ANY($1::text[])`, [job.jobIds]);
    if (job.tables.length) await c.query(`TRUNCATE ${job.tables.map((x) => `${quotePg(job.schema)}.${quotePg(x)}`).join(', ')}`);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
