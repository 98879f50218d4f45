import { Context } from '@temporalio/activity';
import { heartbeat } from '../keep-alive';
import { reportTrail, savePlanReport, saveRehearsalReport } from '../phase-reports';
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import {
  DataMigrationActivities,
  DeliveryError,
  DeliveryFailureType,
  isQuerySource,
  MigrationMapping,
  MigrationTarget,
  PhaseReportRef,
  queryProblem,
  scratchEnvironmentRef,
  sourceLabel,
  SourceSnapshot,
} from '@sdo/contracts';
import { classifyDriverError, openSource, sourceQueryProblem, type SourceConnector, type TableInfo } from '@sdo/data-engine';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import { assertCanCloneDatabase, cloneToScratch, pgConnection, ScratchPrefix, scratchName, withClient } from '@sdo/pg-kit';
import { toEngineConnection } from '../environment-connections';
import { withScratchDatabases } from '../scratch-environments';
import {
  compileMappings,
  countProblems,
  countTargetRows,
  DEFAULT_CHUNK_ROWS,
  loadMapping,
  readTargetTables,
  reconciliationRows,
  rejectSamples,
  sourceKey,
  undoLoad,
  type SourceRelation,
} from '@sdo/data-migration';

export interface MigrationDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

const DEFAULT_SOURCE_STATEMENT_TIMEOUT_S = 300;

/** Dropping the scratch database is the shared safety step (activities/src/safety). */
export type OwnMigrationActivities = Omit<DataMigrationActivities, 'dropMigrationScratch'>;

export function createMigrationActivities(deps: MigrationDeps): OwnMigrationActivities {
  const environments = withScratchDatabases(deps.environments);
  const { reports } = deps;
  const schemaOf = (target: MigrationTarget) => target.parameters.targetSchema ?? 'public';

  /** The migration only ever reads the source: every read is a rolled-back READ ONLY transaction with a statement timeout. */
  const withSource = async <T>(target: MigrationTarget, fn: (s: SourceConnector) => Promise<T>): Promise<T> => {
    const s = openSource(toEngineConnection(await environments.connectionFor(target.sourceEnvironmentId)), {
      readOnly: true,
      statementTimeoutMs: (target.parameters.sourceStatementTimeoutSeconds ?? DEFAULT_SOURCE_STATEMENT_TIMEOUT_S) * 1000,
    });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  const withPg = async <T>(environmentId: string, fn: (c: Client) => Promise<T>): Promise<T> =>
    withClient(pgConnection(await environments.connectionFor(environmentId), 'target', environmentId), fn);

  /** A query source's columns, with `scan` its rows and key health; a query that cannot run is the mapping's fault (non-retryable, named). */
  async function describeQuery(
    connector: SourceConnector,
    mapping: MigrationMapping & { source: { query: string; key: string[] } },
    scan: boolean,
  ): Promise<SourceRelation> {
    // Vetted again here (an old delivery may predate the API's check): refused before it reaches the source.
    const problem = queryProblem(mapping.source.query) ?? (await sourceQueryProblem(mapping.source.query, connector.engine));
    if (problem) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Mapping "${mapping.name}", source query: ${problem}.`);
    const ref = { name: sourceLabel(mapping), query: mapping.source.query };
    try {
      const q = await connector.describeQuery(ref, mapping.source.key, scan);
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
      throw new DeliveryError(e.type, `Mapping "${mapping.name}", source query: ${e.message}`);
    }
  }

  /**
   * Every mapping's source: the tables introspected in one pass, each query described. `scan` counts
   * rows exactly and checks query keys (full scans): assessment and drift snapshots need that, the
   * schema checks before planning and each load do not.
   */
  async function readSources(target: MigrationTarget, connector: SourceConnector, scan: boolean): Promise<(m: MigrationMapping) => SourceRelation | undefined> {
    const tables = [...new Set(target.parameters.mappings.flatMap((m) => (isQuerySource(m.source) ? [] : [m.source.table])))];
    const introspected = tables.length ? (await connector.introspect({ tables, exactCounts: scan })).tables : [];
    const queries = new Map<string, SourceRelation>();
    for (const m of target.parameters.mappings)
      if (isQuerySource(m.source)) queries.set(m.name, await describeQuery(connector, { ...m, source: m.source }, scan));
    return (m) => {
      if (isQuerySource(m.source)) return queries.get(m.name);
      const table = m.source.table;
      const info = introspected.find((x) => x.ref.name === table);
      return info && { info };
    };
  }

  /** Both schemas read, every mapping checked (with `scan`, query keys too). */
  async function compile(target: MigrationTarget, scan: boolean, targetEnvironmentId = target.targetEnvironmentId) {
    const sources = await withSource(target, (s) => readSources(target, s, scan));
    const targets = await withPg(targetEnvironmentId, (c) => readTargetTables(c, schemaOf(target)));
    return compileMappings(target.parameters, sources, targets);
  }

  /** Shape (columns, keys) and row count of every mapped source, tables and queries alike. */
  async function snapshot(target: MigrationTarget): Promise<SourceSnapshot> {
    const sourceOf = await withSource(target, (s) => readSources(target, s, true));
    const relations = new Map<string, TableInfo>();
    for (const m of target.parameters.mappings) {
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

  const targetCounts = (loadInto: string, migration: MigrationTarget) =>
    withPg(loadInto, (c) =>
      countTargetRows(
        c,
        schemaOf(migration),
        migration.parameters.mappings.map((m) => m.target),
      ),
    );
  const rejectsOf = (loadInto: string, jobId: string) => withPg(loadInto, (c) => rejectSamples(c, jobId));

  return {
    async assessMigration(targetRequest) {
      // The rehearsal loads into a clone of the target (CREATE DATABASE … TEMPLATE): CREATEDB and ownership.
      await assertCanCloneDatabase(
        pgConnection(await environments.connectionFor(targetRequest.targetEnvironmentId), 'target', targetRequest.targetEnvironmentId),
      );
      const compiled = await compile(targetRequest, true);
      const sourceRows = compiled.reduce((n, m) => n + m.source.rowCount, 0);
      const summary = `${compiled.length} mapping(s) valid against both schemas; ${sourceRows} source row(s) to map`;
      const saved = await reports.save({
        deliveryId: targetRequest.deliveryId,
        kind: 'assessment',
        summary,
        body: {
          targetSchema: schemaOf(targetRequest),
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

    async createMigrationScratch(scratch) {
      const database = scratchName(ScratchPrefix.scratch, scratch.deliveryId, scratch.purpose);
      // A copy of the target: the rehearsal loads into the new product's real schema.
      await cloneToScratch(pgConnection(await environments.connectionFor(scratch.targetEnvironmentId), 'target', scratch.targetEnvironmentId), database);
      return { database, environmentRef: scratchEnvironmentRef(scratch.targetEnvironmentId, database) };
    },

    async snapshotSource(target) {
      return snapshot(target);
    },

    async loadMapping(input) {
      const compiled = await compile(input, false, input.loadInto);
      const mapping = compiled[input.mappingIndex];
      if (!mapping) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `There is no mapping number ${input.mappingIndex + 1}.`);
      const chunkRows = input.parameters.chunkRows ?? DEFAULT_CHUNK_ROWS;
      const { cancellationSignal } = Context.current();
      return withSource(input, (source) =>
        withPg(input.loadInto, (c) =>
          loadMapping(source, c, { jobId: input.jobId, schema: schemaOf(input), mapping, chunkRows, signal: cancellationSignal, onChunk: heartbeat }),
        ),
      );
    },

    async reportMigrationRehearsal(facts) {
      const max = facts.parameters.maxRejectedRows ?? 0;
      const rejected = facts.reconciliations.reduce((n, r) => n + r.rejected, 0);
      const problems: string[] = [];
      if (facts.failure) problems.push(facts.failure);
      else {
        if (facts.reconciliations.length !== facts.parameters.mappings.length) problems.push('not every mapping was loaded');
        if (rejected > max)
          problems.push(
            `${rejected} row(s) rejected, more than the ${max} allowed (${facts.reconciliations
              .filter((r) => r.rejected)
              .map((r) => `${r.mapping}: ${r.rejected}`)
              .join(', ')})`,
          );
        problems.push(...countProblems(facts.reconciliations, await targetCounts(facts.loadInto, facts)));
      }
      const failure = problems.length ? problems.join('; ') : undefined;
      const loaded = facts.reconciliations.reduce((n, r) => n + r.loaded, 0);
      const done = `${loaded} row(s) loaded, ${rejected} rejected, in ${(facts.durationMs / 1000).toFixed(1)} s`;
      return saveRehearsalReport(
        reports,
        facts,
        { failure, done },
        {
          reconciliation: reconciliationRows(facts.reconciliations),
          rejectedRows: await rejectsOf(facts.loadInto, facts.jobId),
          resumedLoads: facts.reconciliations
            .filter((r) => r.resumedAtChunk > 0)
            .map((r) => ({ mapping: r.mapping, resumedAtChunk: r.resumedAtChunk, chunks: r.chunks })),
        },
      );
    },

    async checkMigrationDrift(target) {
      const now = await snapshot(target);
      const changes: string[] = [];
      if (now.fingerprint !== target.baseline.fingerprint) changes.push('the columns or keys of a mapped source table or query changed');
      for (const [table, rows] of Object.entries(now.rows))
        if (target.baseline.rows[table] !== rows) changes.push(`${table}: ${target.baseline.rows[table]} → ${rows} rows`);
      if (changes.length) {
        throw new DeliveryError(
          DeliveryFailureType.SchemaDrift,
          `The source changed since the rehearsal (${changes.join('; ')}): freeze the old system and plan again.`,
        );
      }
      return now;
    },

    async claimMigrationTarget(targetRequest) {
      await compile(targetRequest, false);
      const tables = [...new Set(targetRequest.parameters.mappings.map((m) => m.target))];
      const counts = await targetCounts(targetRequest.targetEnvironmentId, targetRequest);
      const used = tables.filter((x) => counts[x]! > 0);
      if (used.length) {
        throw new DeliveryError(
          DeliveryFailureType.InvalidParameters,
          `Target table(s) ${used.map((x) => `${x} (${counts[x]} rows)`).join(', ')} already hold data: a migration loads into empty tables so that its rollback can empty them again.`,
        );
      }
      return { tables };
    },

    async undoMigrationLoad(target) {
      await withPg(target.targetEnvironmentId, (c) =>
        undoLoad(c, { schema: schemaOf(target), jobIds: target.jobIds, mappings: target.parameters.mappings.map((m) => m.name), tables: target.tables }),
      );
    },

    async recordMigrationCutover(facts) {
      const max = facts.parameters.maxRejectedRows ?? 0;
      const rejected = facts.reconciliations.reduce((n, r) => n + r.rejected, 0);
      const problems = [...countProblems(facts.reconciliations, await targetCounts(facts.loadInto, facts))];
      if (rejected > max) problems.push(`${rejected} row(s) rejected, more than the ${max} allowed`);
      const loaded = facts.reconciliations.reduce((n, r) => n + r.loaded, 0);
      const summary = problems.length
        ? `Cutover reconciliation failed: ${problems.join('; ')}`
        : `Migrated ${loaded} row(s) through ${facts.reconciliations.length} mapping(s), ${rejected} rejected with reasons; every mapping reconciled; ${(facts.durationMs / 1000).toFixed(1)} s`;
      const saved: PhaseReportRef = await reports.save({
        deliveryId: facts.deliveryId,
        kind: 'cutover',
        summary,
        body: {
          switchedAt: new Date().toISOString(),
          durationMs: facts.durationMs,
          reconciled: problems.length === 0,
          reconciliation: reconciliationRows(facts.reconciliations),
          rejectedRows: await rejectsOf(facts.loadInto, facts.jobId),
          resumedLoads: facts.reconciliations.filter((r) => r.resumedAtChunk > 0).map((r) => ({ mapping: r.mapping, resumedAtChunk: r.resumedAtChunk })),
        },
      });
      if (problems.length) throw new DeliveryError(DeliveryFailureType.VerificationFailed, `${summary}. See cutover report ${saved.reportId}.`);
      return saved;
    },

    async reportMigrationAcceptance(target) {
      const { trail, cutover } = await reportTrail(reports, target.reportIds);
      return reports.save({
        deliveryId: target.deliveryId,
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
