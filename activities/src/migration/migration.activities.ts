import { Context } from '@temporalio/activity';
import { heartbeat } from '../keep-alive';
import { reportTrail, savePlanReport, saveRehearsalReport } from '../phase-reports';
import { CancelledFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import {
  DataMigrationActivities,
  DeliveryError,
  DeliveryFailureType,
  isQuerySource,
  MappingReconciliation,
  MigrationMapping,
  MigrationHeartbeat,
  MigrationTarget,
  PhaseReportRef,
  queryProblem,
  scratchEnvironmentRef,
  sourceLabel,
  SourceSnapshot,
} from '@sdo/contracts';
import { classifyDriverError, openSource, quotePg, sourceQueryProblem, type SourceConnector, type TableInfo } from '@sdo/data-engine';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import { assertCanCloneDatabase, cloneToScratch, pgConnection, ScratchPrefix, scratchName, withClient } from '@sdo/pg-kit';
import { toEngineConnection } from '../environment-connections';
import { withScratchDatabases } from '../scratch-environments';
import {
  asText,
  compileMappings,
  lookupKey,
  mapRow,
  passesFilters,
  sourceKey,
  type CompiledMapping,
  type Lookups,
  type SourceRelation,
  type TargetTable,
} from '@sdo/data-migration';

export interface MigrationDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

/** Bookkeeping of the loads in the target database: a chunk's rows, rejects and checkpoint commit together. */
export const MIGRATION_CONTROL_SCHEMA = 'sdo_migration';
const CONTROL = quotePg(MIGRATION_CONTROL_SCHEMA);
const DEFAULT_CHUNK_ROWS = 2000;
const DEFAULT_SOURCE_STATEMENT_TIMEOUT_S = 300;

/** Dropping the scratch database is the shared safety step (activities/src/safety). */
export type OwnMigrationActivities = Omit<DataMigrationActivities, 'dropMigrationScratch'>;

export function createMigrationActivities(deps: MigrationDeps): OwnMigrationActivities {
  const environments = withScratchDatabases(deps.environments);
  const { reports } = deps;
  const schemaOf = (t: MigrationTarget) => t.parameters.targetSchema ?? 'public';

  /** The migration only ever reads the source: every read is a rolled-back READ ONLY transaction with a statement timeout. */
  const withSource = async <T>(t: MigrationTarget, fn: (s: SourceConnector) => Promise<T>): Promise<T> => {
    const s = openSource(toEngineConnection(await environments.connectionFor(t.sourceEnvironmentId)), {
      readOnly: true,
      statementTimeoutMs: (t.parameters.sourceStatementTimeoutSeconds ?? DEFAULT_SOURCE_STATEMENT_TIMEOUT_S) * 1000,
    });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  const withPg = async <T>(environmentId: string, fn: (c: Client) => Promise<T>): Promise<T> =>
    withClient(pgConnection(await environments.connectionFor(environmentId), 'target', environmentId), fn);

  async function targetTables(c: Client, schema: string): Promise<Map<string, TargetTable>> {
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

  /** A query source's columns, with `scan` its rows and key health; a query that cannot run is the mapping's fault (non-retryable, named). */
  async function describeQuery(s: SourceConnector, m: MigrationMapping & { source: { query: string; key: string[] } }, scan: boolean): Promise<SourceRelation> {
    // Vetted again here (an old delivery may predate the API's check): refused before it reaches the source.
    const problem = queryProblem(m.source.query) ?? (await sourceQueryProblem(m.source.query, s.engine));
    if (problem) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Mapping "${m.name}", source query: ${problem}.`);
    const ref = { name: sourceLabel(m), query: m.source.query };
    try {
      const q = await s.describeQuery(ref, m.source.key, scan);
      const info: TableInfo = {
        ref,
        columns: q.columns,
        primaryKey: [],
        uniqueKeys: [],
        foreignKeys: [],
        indexes: [],
        rowCount: q.rowCount ?? 0,
        rowCountExact: q.rowCount !== undefined,
        sizeBytes: 0,
      };
      return { info, keyHealth: q.keyHealth };
    } catch (err) {
      const e = classifyDriverError(err, 'source query');
      if (e.type === DeliveryFailureType.Unreachable) throw e;
      throw new DeliveryError(e.type, `Mapping "${m.name}", source query: ${e.message}`);
    }
  }

  /**
   * Every mapping's source: the tables introspected in one pass, each query described. `scan` counts
   * rows exactly and checks query keys (full scans): assessment and drift snapshots need that, the
   * schema checks before planning and each load do not.
   */
  async function readSources(t: MigrationTarget, s: SourceConnector, scan: boolean): Promise<(m: MigrationMapping) => SourceRelation | undefined> {
    const tables = [...new Set(t.parameters.mappings.flatMap((m) => (isQuerySource(m.source) ? [] : [m.source.table])))];
    const introspected = tables.length ? (await s.introspect({ tables, exactCounts: scan })).tables : [];
    const queries = new Map<string, SourceRelation>();
    for (const m of t.parameters.mappings) if (isQuerySource(m.source)) queries.set(m.name, await describeQuery(s, { ...m, source: m.source }, scan));
    return (m) => {
      if (isQuerySource(m.source)) return queries.get(m.name);
      const table = m.source.table;
      const info = introspected.find((x) => x.ref.name === table);
      return info && { info };
    };
  }

  /** Both schemas read, every mapping checked (with `scan`, query keys too). */
  async function compile(t: MigrationTarget, scan: boolean, targetEnvironmentId = t.targetEnvironmentId) {
    const sources = await withSource(t, (s) => readSources(t, s, scan));
    const targets = await withPg(targetEnvironmentId, (c) => targetTables(c, schemaOf(t)));
    return compileMappings(t.parameters, sources, targets);
  }

  /** Shape (columns, keys) and row count of every mapped source, tables and queries alike. */
  async function snapshot(t: MigrationTarget): Promise<SourceSnapshot> {
    const sourceOf = await withSource(t, (s) => readSources(t, s, true));
    const relations = new Map<string, TableInfo>();
    for (const m of t.parameters.mappings) {
      const r = sourceOf(m);
      if (!r) continue;
      sourceKey(m, r); // a query key that stopped being unique would make the keyset load skip rows
      relations.set(r.info.ref.name, r.info);
    }
    const sorted = [...relations.values()].sort((a, b) => a.ref.name.localeCompare(b.ref.name));
    const shape = sorted.map((x) => [x.ref.name, x.columns.map((c) => [c.name, c.nativeType, c.nullable]), x.primaryKey]);
    return {
      fingerprint: createHash('sha256').update(JSON.stringify(shape)).digest('hex'),
      rows: Object.fromEntries(sorted.map((x) => [x.ref.name, x.rowCount])),
    };
  }

  async function ensureControl(c: Client): Promise<void> {
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

  const reconciliationRows = (list: MappingReconciliation[]) =>
    list.map((r) => ({
      mapping: r.mapping,
      target: r.target,
      sourceRows: r.sourceRows,
      filteredOut: r.filteredOut,
      loaded: r.loaded,
      rejected: r.rejected,
      balanced: r.sourceRows === r.filteredOut + r.loaded + r.rejected,
    }));

  async function rejectSamples(loadInto: string, jobId: string): Promise<{ mapping: string; rowKey: string; reason: string }[]> {
    return withPg(loadInto, async (c) => {
      const exists = await c.query(`SELECT to_regclass('sdo_migration.reject') AS t`);
      if (!exists.rows[0].t) return [];
      const r = await c.query<{ mapping: string; row_key: string[]; reason: string }>(
        `SELECT mapping, row_key, reason FROM ${CONTROL}.reject WHERE job_id = $1 ORDER BY id LIMIT 200`,
        [jobId],
      );
      return r.rows.map((x) => ({ mapping: x.mapping, rowKey: x.row_key.join(', '), reason: x.reason }));
    });
  }

  async function targetCounts(loadInto: string, t: MigrationTarget): Promise<Record<string, number>> {
    return withPg(loadInto, async (c) => {
      const out: Record<string, number> = {};
      for (const table of new Set(t.parameters.mappings.map((m) => m.target))) {
        out[table] = (await c.query(`SELECT count(*)::int AS n FROM ${quotePg(schemaOf(t))}.${quotePg(table)}`)).rows[0].n;
      }
      return out;
    });
  }

  /** Per target table: rows there = rows the mappings loaded into it. */
  function countProblems(reconciliations: MappingReconciliation[], counts: Record<string, number>): string[] {
    const loaded = new Map<string, number>();
    for (const r of reconciliations) loaded.set(r.target, (loaded.get(r.target) ?? 0) + r.loaded);
    return [...loaded].filter(([table, n]) => counts[table] !== n).map(([table, n]) => `${table} holds ${counts[table]} row(s), the mappings loaded ${n}`);
  }

  return {
    async assessMigration(t) {
      // The rehearsal loads into a clone of the target (CREATE DATABASE … TEMPLATE): CREATEDB and ownership.
      await assertCanCloneDatabase(pgConnection(await environments.connectionFor(t.targetEnvironmentId), 'target', t.targetEnvironmentId));
      const compiled = await compile(t, true);
      const sourceRows = compiled.reduce((n, m) => n + m.source.rowCount, 0);
      const summary = `${compiled.length} mapping(s) valid against both schemas; ${sourceRows} source row(s) to map`;
      const saved = await reports.save({
        deliveryId: t.deliveryId,
        kind: 'assessment',
        summary,
        body: {
          targetSchema: schemaOf(t),
          mappings: compiled.map((m) => ({
            mapping: m.mapping.name,
            target: m.mapping.target,
            source: sourceLabel(m.mapping),
            ...(isQuerySource(m.mapping.source)
              ? { query: m.mapping.source.query, returns: m.source.columns.map((c) => `${c.name} ${c.nativeType}`).join(', ') }
              : {}),
            orderedBy: m.keyColumns.join(', '),
            sourceRows: m.source.rowCount,
            filters: (m.mapping.source.filter ?? []).length,
            columns: m.rules.length,
            valueMaps: m.rules.filter((r) => r.rule.valueMap).length,
            lookups: m.rules.filter((r) => r.rule.lookup).length,
          })),
        },
      });
      return { ...saved, mappings: compiled.length, sourceRows };
    },

    async draftMigrationPlan(request) {
      const compiled = await compile(request, false);
      const summary = `Revision ${request.revision}: ${compiled.map((m) => `${sourceLabel(m.mapping)} → ${m.mapping.target}`).join(', ')}, in this order${request.feedback ? `; responds to: ${request.feedback}` : ''}`;
      const saved = await savePlanReport(reports, request, summary, {
        order: compiled.map((m, i) => ({
          step: i + 1,
          mapping: m.mapping.name,
          source: sourceLabel(m.mapping),
          target: m.mapping.target,
          orderedBy: m.keyColumns.join(', '),
        })),
        columnRules: compiled.flatMap((m) =>
          m.rules.map(({ rule }) => ({
            mapping: m.mapping.name,
            target: `${m.mapping.target}.${rule.target}`,
            expression: rule.expr ?? '—',
            valueMap: rule.valueMap
              ? `${Object.keys(rule.valueMap.map).length} value(s)${rule.valueMap.otherwise !== undefined ? `, otherwise ${JSON.stringify(rule.valueMap.otherwise)}` : ', unmapped values rejected'}`
              : '—',
            lookup: rule.lookup
              ? `${rule.lookup.table}.${rule.lookup.returns} where ${rule.lookup.match} = value${rule.lookup.optional ? ' (optional)' : ''}`
              : '—',
            default: rule.default === undefined ? '—' : JSON.stringify(rule.default),
          })),
        ),
        filters: compiled.flatMap((m) =>
          (m.mapping.source.filter ?? []).map((f) => ({ mapping: m.mapping.name, column: f.column, op: f.op, value: f.value ?? null })),
        ),
        rejects: `rows a rule cannot map, or that PostgreSQL refuses, are rejected with their source key and reason; a rehearsal passes with at most ${request.parameters.maxRejectedRows ?? 0} reject(s)`,
        rehearsal: `every mapping loaded into ${scratchName(ScratchPrefix.scratch, request.deliveryId, `m${request.revision}`)}, a copy of the target database, then reconciled and dropped`,
        cutover:
          'source compared with the rehearsal (schema fingerprint and row counts); the mapped target tables must be empty; mappings loaded in order in checkpointed chunks',
        rollback: 'compensation empties the mapped target tables (they were empty before) and removes the load bookkeeping; the source is never written to',
      });
      return { ...saved, revision: request.revision };
    },

    async createMigrationScratch(t) {
      const database = scratchName(ScratchPrefix.scratch, t.deliveryId, t.purpose);
      // A copy of the target: the rehearsal loads into the new product's real schema.
      await cloneToScratch(pgConnection(await environments.connectionFor(t.targetEnvironmentId), 'target', t.targetEnvironmentId), database);
      return { database, environmentRef: scratchEnvironmentRef(t.targetEnvironmentId, database) };
    },

    async snapshotSource(t) {
      return snapshot(t);
    },

    async loadMapping(input) {
      const ctx = Context.current();
      const schema = schemaOf(input);
      const compiled = await compile(input, false, input.loadInto);
      const m = compiled[input.mappingIndex];
      if (!m) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `There is no mapping number ${input.mappingIndex + 1}.`);
      const name = m.mapping.name;
      const chunkRows = input.parameters.chunkRows ?? DEFAULT_CHUNK_ROWS;
      const started = Date.now();
      return withSource(input, (source) =>
        withPg(input.loadInto, async (c) => {
          await ensureControl(c);
          await c.query(`INSERT INTO ${CONTROL}.progress (job_id, mapping) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [input.jobId, name]);
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
                input.jobId,
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
            if (ctx.cancellationSignal.aborted) throw new CancelledFailure('loadMapping cancelled');
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
                  input.jobId,
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
                [input.jobId, name, JSON.stringify(upTo), seen, filtered, written.loaded, rejects.length, chunkNo],
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
            const hb: MigrationHeartbeat = { mapping: name, chunkNo, loaded: totals.loaded, rejected: totals.rejected };
            heartbeat(hb);
          }
          await c.query(`UPDATE ${CONTROL}.progress SET done = true WHERE job_id = $1 AND mapping = $2`, [input.jobId, name]);
          return result();
        }),
      );
    },

    async reportMigrationRehearsal(f) {
      const max = f.parameters.maxRejectedRows ?? 0;
      const rejected = f.reconciliations.reduce((n, r) => n + r.rejected, 0);
      const problems: string[] = [];
      if (f.failure) problems.push(f.failure);
      else {
        if (f.reconciliations.length !== f.parameters.mappings.length) problems.push('not every mapping was loaded');
        if (rejected > max)
          problems.push(
            `${rejected} row(s) rejected, more than the ${max} allowed (${f.reconciliations
              .filter((r) => r.rejected)
              .map((r) => `${r.mapping}: ${r.rejected}`)
              .join(', ')})`,
          );
        problems.push(...countProblems(f.reconciliations, await targetCounts(f.loadInto, f)));
      }
      const failure = problems.length ? problems.join('; ') : undefined;
      const loaded = f.reconciliations.reduce((n, r) => n + r.loaded, 0);
      const done = `${loaded} row(s) loaded, ${rejected} rejected, in ${(f.durationMs / 1000).toFixed(1)} s`;
      return saveRehearsalReport(
        reports,
        f,
        { failure, done },
        {
          reconciliation: reconciliationRows(f.reconciliations),
          rejectedRows: await rejectSamples(f.loadInto, f.jobId),
          resumedLoads: f.reconciliations
            .filter((r) => r.resumedAtChunk > 0)
            .map((r) => ({ mapping: r.mapping, resumedAtChunk: r.resumedAtChunk, chunks: r.chunks })),
        },
      );
    },

    async checkMigrationDrift(t) {
      const now = await snapshot(t);
      const changes: string[] = [];
      if (now.fingerprint !== t.baseline.fingerprint) changes.push('the columns or keys of a mapped source table or query changed');
      for (const [table, rows] of Object.entries(now.rows))
        if (t.baseline.rows[table] !== rows) changes.push(`${table}: ${t.baseline.rows[table]} → ${rows} rows`);
      if (changes.length) {
        throw new DeliveryError(
          DeliveryFailureType.SchemaDrift,
          `The source changed since the rehearsal (${changes.join('; ')}): freeze the old system and plan again.`,
        );
      }
      return now;
    },

    async claimMigrationTarget(t) {
      await compile(t, false);
      const tables = [...new Set(t.parameters.mappings.map((m) => m.target))];
      const counts = await targetCounts(t.targetEnvironmentId, t);
      const used = tables.filter((x) => counts[x]! > 0);
      if (used.length) {
        throw new DeliveryError(
          DeliveryFailureType.InvalidParameters,
          `Target table(s) ${used.map((x) => `${x} (${counts[x]} rows)`).join(', ')} already hold data: a migration loads into empty tables so that its rollback can empty them again.`,
        );
      }
      return { tables };
    },

    async undoMigrationLoad(t) {
      await withPg(t.targetEnvironmentId, async (c) => {
        await ensureControl(c);
        await c.query('BEGIN');
        try {
          // The job's checkpoints become tombstones (done, at chunk -1) rather than disappearing: a load
          // attempt still running when the delivery was cancelled cannot move its checkpoint and rolls its
          // chunk back, and one that starts late finds its mapping done. Taking the rows waits for a chunk
          // in flight to commit, so the TRUNCATE below also removes that chunk.
          const names = t.parameters.mappings.map((m) => m.name);
          await c.query(
            `INSERT INTO ${CONTROL}.progress (job_id, mapping, chunk_no, done) SELECT j, m, -1, true FROM unnest($1::text[]) j, unnest($2::text[]) m
             ON CONFLICT (job_id, mapping) DO UPDATE SET chunk_no = -1, done = true, last_key = NULL, source_rows = 0, filtered_out = 0, loaded = 0, rejected = 0, updated_at = now()`,
            [t.jobIds, names],
          );
          await c.query(`DELETE FROM ${CONTROL}.reject WHERE job_id = ANY($1::text[])`, [t.jobIds]);
          if (t.tables.length) await c.query(`TRUNCATE ${t.tables.map((x) => `${quotePg(schemaOf(t))}.${quotePg(x)}`).join(', ')}`);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    },

    async recordMigrationCutover(f) {
      const max = f.parameters.maxRejectedRows ?? 0;
      const rejected = f.reconciliations.reduce((n, r) => n + r.rejected, 0);
      const problems = [...countProblems(f.reconciliations, await targetCounts(f.loadInto, f))];
      if (rejected > max) problems.push(`${rejected} row(s) rejected, more than the ${max} allowed`);
      const loaded = f.reconciliations.reduce((n, r) => n + r.loaded, 0);
      const summary = problems.length
        ? `Cutover reconciliation failed: ${problems.join('; ')}`
        : `Migrated ${loaded} row(s) through ${f.reconciliations.length} mapping(s), ${rejected} rejected with reasons; every mapping reconciled; ${(f.durationMs / 1000).toFixed(1)} s`;
      const saved: PhaseReportRef = await reports.save({
        deliveryId: f.deliveryId,
        kind: 'cutover',
        summary,
        body: {
          switchedAt: new Date().toISOString(),
          durationMs: f.durationMs,
          reconciled: problems.length === 0,
          reconciliation: reconciliationRows(f.reconciliations),
          rejectedRows: await rejectSamples(f.loadInto, f.jobId),
          resumedLoads: f.reconciliations.filter((r) => r.resumedAtChunk > 0).map((r) => ({ mapping: r.mapping, resumedAtChunk: r.resumedAtChunk })),
        },
      });
      if (problems.length) throw new DeliveryError(DeliveryFailureType.VerificationFailed, `${summary}. See cutover report ${saved.reportId}.`);
      return saved;
    },

    async reportMigrationAcceptance(t) {
      const { trail, cutover } = await reportTrail(reports, t.reportIds);
      return reports.save({
        deliveryId: t.deliveryId,
        kind: 'acceptance',
        summary: `Data migration ready for sign-off: ${cutover?.summary ?? 'see the cutover report'}`,
        body: {
          checklist: [
            { item: 'Every mapping reconciled: source = filtered out + loaded + rejected', evidence: cutover?.summary ?? '—' },
            { item: 'Rejected rows reviewed with their reasons', evidence: 'cutover report, rejected rows' },
            { item: 'Old system left untouched', evidence: 'the migration only reads the source' },
          ],
          reports: trail,
        },
      });
    },
  };
}
