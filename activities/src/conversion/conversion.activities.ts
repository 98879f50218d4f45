import { createHash } from 'node:crypto';
import { assessmentFailure, reportTrail, savePlanReport, saveRehearsalReport } from '../phase-reports';
import { Client } from 'pg';
import {
  ConversionActivities,
  ConversionTarget,
  DEFAULT_PARALLEL_TABLES,
  DeliveryError,
  OWN_ACTIVITY_ROWS,
  smallCopyJob,
  ROWS_PER_ACTIVITY,
  TABLES_PER_ACTIVITY,
  DeliveryFailureType,
  PhaseReportRef,
  scratchEnvironmentRef,
} from '@sdo/contracts';
import {
  buildCopyPlan,
  createTableSql,
  CONTROL_SCHEMA,
  JOB_TABLES,
  mapColumn,
  onUpdateTriggerName,
  openSource,
  pgName,
  quotePg,
  targetName,
  type CopyPlan,
  type DataReportStore,
  type SchemaInfo,
  type SourceConnector,
} from '@sdo/data-engine';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import { assertCanCreateScratch, createScratchDatabase, pgConnection, ScratchPrefix, scratchName, withClient } from '@sdo/pg-kit';
import { toEngineConnection } from '../environment-connections';

export interface ConversionDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
  /** The data engine's artefacts (introspections, copy plans): drift is measured against them. */
  artifacts: DataReportStore;
}

/** Copy throughput of MariaDB/SQLite → PostgreSQL measured by tools/bench on a 2-core machine (rows/s); parameters can override it. */
export const DEFAULT_THROUGHPUT_ROWS_PER_SECOND = 20_000;
const PG_IDENTIFIER_BYTES = 63;

/** How the copy is split; a small job the order left at the default lanes is one activity (copyUnits' smallJobAlone). */
const lanesText = (lanes: number, small: { tables: number; rows: number } | undefined) =>
  small
    ? `one copy activity for all ${small.tables} table(s): ${small.rows.toLocaleString('en')} rows in all is less than one table of its own (${OWN_ACTIVITY_ROWS.toLocaleString('en')}), so lanes would only add tasks; parallelTables sets lanes`
    : `${lanes > 1 ? `${lanes} copy activities at a time, largest tables first` : 'one copy activity at a time'} (keys and foreign keys come after all data, so order does not matter); ` +
      `a table of ${OWN_ACTIVITY_ROWS.toLocaleString('en')} rows or more has an activity of its own, smaller ones share one (at most ${TABLES_PER_ACTIVITY} tables, ${ROWS_PER_ACTIVITY.toLocaleString('en')} rows)`;

/** Dependents named in a plan's confirmation (it travels in workflow history; the plan report lists every one). */
const CONFIRMATION_NAMES = 10;
const listed = (dependents: string[]) =>
  dependents.length <= CONFIRMATION_NAMES
    ? dependents.join('; ')
    : `${dependents.slice(0, CONFIRMATION_NAMES).join('; ')}; and ${dependents.length - CONFIRMATION_NAMES} more`;

/** PostgreSQL reserved key words: legal only when quoted, which every hand-written query then has to do. */
const PG_RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently constraint create cross ' +
    'current_catalog current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except ' +
    'false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime ' +
    'localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar some ' +
    'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with'
  ).split(' '),
);

interface Finding {
  severity: 'blocking' | 'warning';
  kind:
    | 'unsupported-type'
    | 'table-without-key'
    | 'identifier-too-long'
    | 'reserved-word'
    | 'case-collision'
    | 'missing-table'
    | 'unknown-name'
    | 'invalid-type-override'
    | 'zero-dates';
  object: string;
  detail: string;
}

/** Dropping the scratch database is the shared safety step (activities/src/safety). */
export type OwnConversionActivities = Omit<ConversionActivities, 'dropScratchDatabase'>;

export function createConversionActivities({ environments, reports, artifacts }: ConversionDeps): OwnConversionActivities {
  const withSource = async <T>(target: ConversionTarget, fn: (s: SourceConnector) => Promise<T>): Promise<T> => {
    const settings = await environments.connectionFor(target.sourceEnvironmentId);
    if (settings.engine === 'postgres') {
      throw new DeliveryError(
        DeliveryFailureType.InvalidParameters,
        'A database conversion reads a MySQL/MariaDB or SQLite source; this source is already PostgreSQL.',
      );
    }
    const source = openSource(toEngineConnection(settings));
    try {
      return await fn(source);
    } finally {
      await source.close();
    }
  };
  const withTarget = async <T>(conversion: ConversionTarget, fn: (c: Client) => Promise<T>): Promise<T> =>
    withClient(pgConnection(await environments.connectionFor(conversion.targetEnvironmentId), 'target', conversion.targetEnvironmentId), fn);
  const schemaOf = (target: ConversionTarget) => target.parameters.targetSchema ?? 'public';
  const namingOf = (target: ConversionTarget) => target.parameters.naming ?? 'snake';
  const introspect = (target: ConversionTarget, source: SourceConnector) => source.introspect({ tables: target.parameters.tables, exactCounts: true });
  const planFor = (target: ConversionTarget, source: SourceConnector, schema: SchemaInfo) =>
    buildCopyPlan(source, {
      jobId: `${target.deliveryId}/plan`,
      targetSchema: schemaOf(target),
      tables: target.parameters.tables,
      exclude: target.parameters.exclude,
      naming: namingOf(target),
      schema,
      excludeColumns: target.parameters.excludeColumns,
      columnTypes: target.parameters.columnTypes,
      rename: target.parameters.rename,
    });
  const wanted = (target: ConversionTarget, schema: SchemaInfo) =>
    schema.tables.filter(
      (x) => !(target.parameters.exclude ?? []).includes(x.ref.name) && (!target.parameters.tables?.length || target.parameters.tables.includes(x.ref.name)),
    );

  function findings(target: ConversionTarget, schema: SchemaInfo): Finding[] {
    const out: Finding[] = [];
    const naming = namingOf(target);
    const missing = (target.parameters.tables ?? []).filter((n) => !schema.tables.some((x) => x.ref.name === n));
    for (const m of missing)
      out.push({ severity: 'blocking', kind: 'missing-table', object: m, detail: 'parameters.tables names a table the source does not have' });
    // Every name the parameters use must exist in the source: a typo would otherwise be ignored.
    const hasTable = (n: string) => schema.tables.some((x) => x.ref.name === n);
    const hasColumn = (path: string) => {
      const dot = path.indexOf('.');
      const table = schema.tables.find((x) => x.ref.name === path.slice(0, dot));
      return !!table?.columns.some((c) => c.name === path.slice(dot + 1));
    };
    for (const n of target.parameters.exclude ?? [])
      if (!hasTable(n))
        out.push({ severity: 'blocking', kind: 'unknown-name', object: n, detail: 'parameters.exclude names a table the source does not have' });
    for (const [field, paths] of [
      ['excludeColumns', target.parameters.excludeColumns ?? []],
      ['columnTypes', Object.keys(target.parameters.columnTypes ?? {})],
      ['rename', Object.keys(target.parameters.rename ?? {})],
    ] as const) {
      for (const p of paths)
        if (!hasColumn(p))
          out.push({ severity: 'blocking', kind: 'unknown-name', object: p, detail: `parameters.${field} names a column the source does not have` });
    }
    const excludedColumns = new Set(target.parameters.excludeColumns ?? []);
    const tableNames = new Map<string, string>();
    for (const table of wanted(target, schema)) {
      const tName = targetName(table.ref.name, naming);
      const seen = tableNames.get(tName.toLowerCase());
      if (seen) out.push({ severity: 'blocking', kind: 'case-collision', object: table.ref.name, detail: `maps to "${tName}" like ${seen}` });
      tableNames.set(tName.toLowerCase(), table.ref.name);
      if (!table.primaryKey.length && !table.uniqueKeys.length) {
        out.push({
          severity: 'warning',
          kind: 'table-without-key',
          object: table.ref.name,
          detail: 'no primary or unique key: copied as one chunk (one transaction) and verified as a whole',
        });
      }
      const columnNames = new Map<string, string>();
      for (const name of [table.ref.name, ...table.columns.map((c) => c.name)]) {
        const object = name === table.ref.name ? table.ref.name : `${table.ref.name}.${name}`;
        const mapped = targetName(name, naming);
        if (Buffer.byteLength(mapped) > PG_IDENTIFIER_BYTES)
          out.push({
            severity: 'blocking',
            kind: 'identifier-too-long',
            object,
            detail: `"${mapped}" is longer than PostgreSQL's ${PG_IDENTIFIER_BYTES} bytes`,
          });
        if (PG_RESERVED.has(mapped.toLowerCase()))
          out.push({ severity: 'warning', kind: 'reserved-word', object, detail: `"${mapped}" is reserved in PostgreSQL: queries must quote it` });
      }
      for (const c of table.columns.filter((c) => !excludedColumns.has(`${table.ref.name}.${c.name}`))) {
        const path = `${table.ref.name}.${c.name}`;
        const mapped = target.parameters.rename?.[path] ?? targetName(c.name, naming);
        const clash = columnNames.get(mapped.toLowerCase());
        if (clash)
          out.push({ severity: 'blocking', kind: 'case-collision', object: `${table.ref.name}.${c.name}`, detail: `maps to "${mapped}" like ${clash}` });
        columnNames.set(mapped.toLowerCase(), c.name);
        try {
          const col = mapColumn(schema.engine, table, c, naming, { type: target.parameters.columnTypes?.[path], rename: target.parameters.rename?.[path] });
          if (!c.nullable && col.nullable && c.zeroDates) {
            out.push({
              severity: 'warning',
              kind: 'zero-dates',
              object: path,
              detail: `${c.zeroDates} row(s) hold a zero date: they load as NULL and the column loses NOT NULL`,
            });
          }
        } catch (err) {
          const override = target.parameters.columnTypes?.[path] !== undefined;
          out.push({
            severity: 'blocking',
            kind: override ? 'invalid-type-override' : 'unsupported-type',
            object: path,
            detail: err instanceof Error ? err.message : String(err),
          });
        }
      }
    }
    return out;
  }

  /** Schema fingerprint and exact counts of the tables in scope: what drift is measured by. */
  function fingerprint(target: ConversionTarget, schema: SchemaInfo): { hash: string; rows: Record<string, number> } {
    const tables = wanted(target, schema).sort((a, b) => a.ref.name.localeCompare(b.ref.name));
    const shape = tables.map((x) => ({
      table: x.ref.name,
      columns: x.columns.map((c) => [c.name, c.nativeType, c.nullable]),
      primaryKey: x.primaryKey,
      uniqueKeys: x.uniqueKeys.map((u) => u.columns),
      foreignKeys: x.foreignKeys.map((f) => [f.columns, f.references.name, f.referencedColumns]),
    }));
    return { hash: createHash('sha256').update(JSON.stringify(shape)).digest('hex'), rows: Object.fromEntries(tables.map((x) => [x.ref.name, x.rowCount])) };
  }

  const throughput = (target: ConversionTarget) => target.parameters.throughputRowsPerSecond ?? DEFAULT_THROUGHPUT_ROWS_PER_SECOND;

  return {
    async assessConversion(targetRequest) {
      await assertCanCreateScratch(
        pgConnection(await environments.connectionFor(targetRequest.targetEnvironmentId), 'target', targetRequest.targetEnvironmentId),
      );
      const schema = await withSource(targetRequest, (s) => introspect(targetRequest, s));
      const found = findings(targetRequest, schema);
      const tables = wanted(targetRequest, schema);
      const totalRows = tables.reduce((n, x) => n + x.rowCount, 0);
      const totalBytes = tables.reduce((n, x) => n + x.sizeBytes, 0);
      // Copy, then verification (about half a copy again, per the bench).
      const estimatedSeconds = Math.ceil((totalRows / throughput(targetRequest)) * 1.5);
      const blocking = found.filter((f) => f.severity === 'blocking');
      // Views, triggers, routines, events, special indexes and column attributes: what becomes of each.
      const plan = blocking.length ? null : await withSource(targetRequest, (s) => planFor(targetRequest, s, schema));
      const objects = plan?.objects ?? [];
      const actionItems = objects.filter((o) => o.outcome === 'not converted');
      const open = found.length + actionItems.length;
      const summary = blocking.length
        ? `${schema.engine} source cannot be converted as requested: ${blocking.map((f) => `${f.object} (${f.kind})`).join('; ')}`
        : `${schema.engine} → PostgreSQL: ${tables.length} table(s), ${totalRows} row(s), ${(totalBytes / 1048576).toFixed(1)} MiB; ` +
          `${open ? `Incompatibilities: ${found.length} warning(s), ${actionItems.length} object(s) not converted (action items)` : 'Incompatibilities: none'}; ` +
          `estimated ${Math.max(1, Math.ceil(estimatedSeconds / 60))} min per copy at ${throughput(targetRequest)} rows/s`;
      const saved = await reports.save({
        deliveryId: targetRequest.deliveryId,
        kind: 'assessment',
        summary,
        body: {
          sourceEngine: schema.engine,
          targetSchema: schemaOf(targetRequest),
          naming: namingOf(targetRequest),
          tables: tables.map((x) => ({
            table: x.ref.name,
            rows: x.rowCount,
            bytes: x.sizeBytes,
            columns: x.columns.length,
            key: x.primaryKey.join(', ') || (x.uniqueKeys[0]?.columns.join(', ') ?? '—'),
            foreignKeys: x.foreignKeys.length,
          })),
          incompatibilities: found,
          objects,
          actionItems,
          dependents: plan?.dependents ?? [],
          size: { tables: tables.length, rows: totalRows, bytes: totalBytes },
          estimate: {
            throughputRowsPerSecond: throughput(targetRequest),
            copyAndVerifySeconds: estimatedSeconds,
            basis: 'rows ÷ measured throughput, ×1.5 for verification',
          },
        },
      });
      if (blocking.length) {
        const type = blocking.some((f) => f.kind === 'unsupported-type') ? DeliveryFailureType.UnsupportedType : DeliveryFailureType.InvalidParameters;
        throw assessmentFailure(type, `${summary}. See assessment report ${saved.reportId}.`, saved);
      }
      return {
        ...saved,
        engine: schema.engine,
        tableCount: tables.length,
        totalRows,
        totalBytes,
        warnings: found.length,
        estimatedMinutes: Math.max(1, Math.ceil(estimatedSeconds / 60)),
      };
    },

    async draftConversionPlan(request) {
      const { plan, schema } = await withSource(request, async (s) => {
        const schema = await introspect(request, s);
        return { schema, plan: await planFor(request, s, schema) };
      });
      const rows = plan.tables.reduce((n, x) => n + x.source.rowCount, 0);
      const minutes = Math.max(1, Math.ceil(((rows / throughput(request)) * 1.5) / 60));
      const dropped = plan.dependents?.length ? `; ${plan.dependents.length} dependent object(s) NOT created because of exclusions (listed)` : '';
      const items = (plan.objects ?? []).filter((o) => o.outcome === 'not converted').length;
      const summary = `Revision ${request.revision}: ${plan.tables.length} table(s) into schema ${plan.targetSchema} (${namingOf(request)} names), ${rows} row(s), ${(plan.views ?? []).filter((v) => v.sql).length} view(s), copy + verify ≈ ${minutes} min${dropped}${items ? `; ${items} action item(s)` : ''}${request.feedback ? `; responds to: ${request.feedback}` : ''}`;
      const saved = await savePlanReport(reports, request, summary, {
        sourceEngine: schema.engine,
        targetSchema: plan.targetSchema,
        tableOrder: plan.tables.map((x) => ({
          order: x.order,
          source: x.source.ref.name,
          target: x.target.name,
          rows: x.source.rowCount,
          chunkKey: x.keyColumns.join(', ') || 'none (one chunk)',
        })),
        castingRules: plan.tables.flatMap((x) =>
          x.columns.map((c) => ({ column: `${x.target.name}.${c.name}`, source: `${x.source.ref.name}.${c.sourceName}`, pgType: c.pgType, rule: c.rule })),
        ),
        ddl: plan.tables.map(createTableSql),
        afterData:
          'primary keys, unique keys, indexes (FULLTEXT as GIN over to_tsvector, SPATIAL on points as GiST) and foreign keys are added after all rows are copied; identity sequences are moved past max(key); ON UPDATE CURRENT_TIMESTAMP triggers and views are created last',
        views: (plan.views ?? []).map((v) => ({ view: v.sourceName, target: v.name, sql: v.sql ?? null, error: v.error ?? null })),
        objects: plan.objects ?? [],
        actionItems: (plan.objects ?? []).filter((o) => o.outcome === 'not converted'),
        dependents: plan.dependents ?? [],
        dependentsNotice: plan.dependents?.length
          ? `Approving this plan needs confirmDependents: true, which accepts that these ${plan.dependents.length} object(s) are not created: ${plan.dependents.join('; ')}`
          : null,
        parallelism: `${lanesText(
          request.parameters.parallelTables ?? DEFAULT_PARALLEL_TABLES,
          request.parameters.parallelTables === undefined && smallCopyJob(plan.tables.map((x) => ({ rows: x.source.rowCount })))
            ? { tables: plan.tables.length, rows }
            : undefined,
        )}; each table in checkpointed chunks of ${request.parameters.chunkRows ?? 'the engine default'} rows`,
        rehearsal: `full copy into a scratch database ${scratchName(ScratchPrefix.scratch, request.deliveryId, `r${request.revision}`)} on the target's server, every table verified by checksum, then dropped`,
        cutover:
          'inside the window: the source is compared with the rehearsal (schema fingerprint and row counts), the target schema must not hold the tables yet, full copy, verification of every table',
        rollback:
          'compensation drops every table (and the schema, if cutover created it) that the cutover created, and the copy bookkeeping of the cutover job; the source is never written to',
        warnings: plan.warnings,
        estimate: { rows, minutes, throughputRowsPerSecond: throughput(request) },
      });
      const confirmationRequired = plan.dependents?.length ? { dependents: plan.dependents.length, summary: listed(plan.dependents) } : undefined;
      return { ...saved, revision: request.revision, tables: plan.tables.length, ...(confirmationRequired ? { confirmationRequired } : {}) };
    },

    async createScratchDatabase(scratch) {
      const database = scratchName(ScratchPrefix.scratch, scratch.deliveryId, scratch.purpose);
      await createScratchDatabase(pgConnection(await environments.connectionFor(scratch.targetEnvironmentId), 'target', scratch.targetEnvironmentId), database);
      return { database, environmentRef: scratchEnvironmentRef(scratch.targetEnvironmentId, database) };
    },

    async reportConversionRehearsal(facts) {
      const problems = facts.failure ? [facts.failure] : problemsOf(facts.verifications);
      const passed = problems.length === 0 && facts.verifications.length === facts.copies.length && facts.copies.length > 0;
      const rows = facts.copies.reduce((n, c) => n + c.rowsLoaded, 0);
      const rejected = facts.copies.reduce((n, c) => n + c.rowsRejected, 0);
      const failure = passed ? undefined : problems.join('; ') || 'nothing was copied';
      const done = `${facts.copies.length} table(s), ${rows} row(s) copied and verified equal in ${(facts.durationMs / 1000).toFixed(1)} s`;
      return saveRehearsalReport(
        reports,
        facts,
        { failure, done },
        {
          planReportId: facts.planReportId,
          totals: { tables: facts.copies.length, rowsLoaded: rows, rowsRejected: rejected },
          tables: tableRows(facts.copies, facts.verifications),
          sourceIntrospection: facts.snapshotId,
        },
      );
    },

    async checkSourceDrift(target) {
      const baseline = await artifacts.load<SchemaInfo>(target.baselineSnapshotId);
      if (!baseline)
        throw new DeliveryError(DeliveryFailureType.MissingObject, `Rehearsal introspection ${target.baselineSnapshotId} is missing; run the rehearsal again.`);
      const now = await withSource(target, (s) => introspect(target, s));
      const before = fingerprint(target, baseline);
      const after = fingerprint(target, now);
      const changes: string[] = [];
      if (before.hash !== after.hash) {
        const shape = (introspected: SchemaInfo) =>
          new Map(wanted(target, introspected).map((x) => [x.ref.name, JSON.stringify(x.columns.map((c) => [c.name, c.nativeType, c.nullable]))]));
        const a = shape(baseline);
        const b = shape(now);
        for (const [name, cols] of b)
          if (!a.has(name)) changes.push(`table ${name} added`);
          else if (a.get(name) !== cols) changes.push(`columns of ${name} changed`);
        for (const name of a.keys()) if (!b.has(name)) changes.push(`table ${name} removed`);
        if (!changes.length) changes.push('keys or foreign keys changed');
      }
      for (const [table, rows] of Object.entries(after.rows)) {
        if (before.rows[table] !== undefined && before.rows[table] !== rows) changes.push(`${table}: ${before.rows[table]} → ${rows} rows`);
      }
      if (changes.length) {
        throw new DeliveryError(
          DeliveryFailureType.SchemaDrift,
          `The source changed since the rehearsal (${changes.join('; ')}): the rehearsed plan no longer describes it. Freeze the source and plan again.`,
        );
      }
      return { tables: Object.keys(after.rows).length, rows: Object.values(after.rows).reduce((n, r) => n + r, 0) };
    },

    async claimTargetSchema(targetRequest) {
      const plan: CopyPlan = await withSource(targetRequest, async (s) => planFor(targetRequest, s, await introspect(targetRequest, s)));
      const targetSchema = schemaOf(targetRequest);
      const tables = plan.tables.map((x) => x.target.name);
      return withTarget(targetRequest, async (c) => {
        const existing = await c.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2::text[])`,
          [targetSchema, tables],
        );
        if (existing.rowCount) {
          throw new DeliveryError(
            DeliveryFailureType.InvalidParameters,
            `The target schema ${targetSchema} already holds ${existing.rows.map((r) => r.table_name).join(', ')}: a conversion creates its tables and never overwrites. Choose another targetSchema or empty it.`,
          );
        }
        const schemas = await c.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])`, [
          [targetSchema, CONTROL_SCHEMA],
        ]);
        const has = (n: string) => schemas.rows.some((r) => r.nspname === n);
        const functions = [
          ...plan.tables.filter((x) => x.columns.some((c) => c.onUpdateNow)).map((x) => onUpdateTriggerName(x)),
          ...plan.tables.flatMap((x) => (x.triggers ?? []).map((tr) => tr.name)),
        ];
        return {
          targetSchema,
          tables,
          schemaCreated: !has(targetSchema),
          controlSchemaCreated: !has(CONTROL_SCHEMA),
          ...(functions.length ? { functions } : {}),
        };
      });
    },

    async dropCutoverObjects(target) {
      await withTarget(target, async (c) => {
        await c.query('BEGIN');
        try {
          for (const table of target.tables) await c.query(`DROP TABLE IF EXISTS ${quotePg(target.targetSchema)}.${quotePg(table)} CASCADE`);
          for (const fn of target.functions ?? []) await c.query(`DROP FUNCTION IF EXISTS ${quotePg(target.targetSchema)}.${quotePg(fn)}() CASCADE`);
          if (target.schemaCreated && target.targetSchema !== 'public') await c.query(`DROP SCHEMA IF EXISTS ${quotePg(target.targetSchema)} CASCADE`);
          if (target.controlSchemaCreated) {
            await c.query(`DROP SCHEMA IF EXISTS ${quotePg(CONTROL_SCHEMA)} CASCADE`);
          } else {
            const bookkeeping = await c.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
              CONTROL_SCHEMA,
            ]);
            for (const { table_name } of bookkeeping.rows) {
              if ((JOB_TABLES as readonly string[]).includes(table_name)) {
                await c.query(`DELETE FROM ${quotePg(CONTROL_SCHEMA)}.${quotePg(table_name)} WHERE job_id = ANY($1::text[])`, [target.jobIds]);
              }
            }
          }
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    },

    async recordConversionCutover(facts) {
      const problems = problemsOf(facts.verifications);
      const rows = facts.copies.reduce((n, c) => n + c.rowsLoaded, 0);
      const summary = problems.length
        ? `Cutover verification failed: ${problems.join('; ')}`
        : `Converted ${facts.copies.length} table(s), ${rows} row(s) into schema ${schemaOf(facts)}; every table verified equal; copy + verify ${(facts.durationMs / 1000).toFixed(1)} s`;
      const saved = await reports.save({
        deliveryId: facts.deliveryId,
        kind: 'cutover',
        summary,
        body: {
          planReportId: facts.planReportId,
          sourceCheckedAgainst: facts.rehearsalSnapshotId,
          targetSchema: schemaOf(facts),
          switchedAt: new Date().toISOString(),
          durationMs: facts.durationMs,
          verified: problems.length === 0,
          tables: tableRows(facts.copies, facts.verifications),
          resumedCopies: facts.copies.filter((c) => c.resumedAtChunk > 0).map((c) => ({ table: c.table, resumedAtChunk: c.resumedAtChunk })),
        },
      });
      if (problems.length) throw new DeliveryError(DeliveryFailureType.VerificationFailed, `${summary}. See cutover report ${saved.reportId}.`);
      return saved;
    },

    async reportConversionAcceptance(targetRequest) {
      const { trail, cutover } = await reportTrail(reports, targetRequest.reportIds);
      // What the target really holds: a view the plan translated but PostgreSQL refused is an open item too.
      // Objects only: no exact counts needed (no scan of every table at sign-off).
      const plan = await withSource(targetRequest, async (s) => planFor(targetRequest, s, await s.introspect({ tables: targetRequest.parameters.tables })));
      const planned = (plan.views ?? []).filter((v) => v.sql);
      const present = planned.length
        ? await withTarget(
            targetRequest,
            async (c) =>
              new Set(
                (
                  await c.query<{ table_name: string }>(`SELECT table_name FROM information_schema.views WHERE table_schema = $1`, [plan.targetSchema])
                ).rows.map((r) => r.table_name),
              ),
          )
        : new Set<string>();
      const checks = plan.tables.flatMap((x) => (x.checks ?? []).map((c) => ({ table: x, check: c, name: pgName(x.target.name, c.name) })));
      const presentChecks = checks.length
        ? await withTarget(
            targetRequest,
            async (c) =>
              new Set(
                (
                  await c.query<{ conname: string }>(
                    `SELECT conname FROM pg_constraint JOIN pg_namespace n ON n.oid = connamespace WHERE n.nspname = $1 AND contype = 'c'`,
                    [plan.targetSchema],
                  )
                ).rows.map((r) => r.conname),
              ),
          )
        : new Set<string>();
      const actionItems = [
        ...(plan.objects ?? []).filter((o) => o.outcome === 'not converted'),
        ...checks
          .filter((c) => !presentChecks.has(c.name))
          .map((c) => ({
            object: `${c.table.source.ref.name}.${c.check.name}`,
            kind: 'CHECK constraint',
            outcome: 'not converted' as const,
            detail: `translated but not created: CHECK (${c.check.sql})`,
            action: 'find the rows that violate it, then add the constraint by hand',
          })),
        ...planned
          .filter((v) => !present.has(v.name))
          .map((v) => ({
            object: v.sourceName,
            kind: 'view',
            outcome: 'not converted' as const,
            detail: `translated but PostgreSQL refused to create ${plan.targetSchema}.${v.name}`,
            action: 'fix the translated SQL and create the view by hand',
            sourceText: v.sourceText,
          })),
      ];
      const summary = `Database conversion ready for sign-off: ${cutover?.summary ?? 'see the cutover report'}; ${actionItems.length ? `${actionItems.length} open action item(s): ${actionItems.map((a) => `${a.kind} ${a.object}`).join(', ')}` : 'no open action items'}`;
      const saved: PhaseReportRef = await reports.save({
        deliveryId: targetRequest.deliveryId,
        kind: 'acceptance',
        summary,
        body: {
          checklist: [
            { item: 'Every table copied and verified equal by checksum', evidence: cutover?.summary ?? '—' },
            { item: 'Keys, indexes, foreign keys and identities created after the data', evidence: 'cutover finalize step' },
            {
              item: 'Every other source object converted or listed',
              evidence: `${(plan.objects ?? []).length - actionItems.length} converted, ${actionItems.length} open (actionItems)`,
            },
            ...(plan.dependents?.length ? [{ item: 'Objects not created because of exclusions', evidence: plan.dependents.join('; ') }] : []),
            { item: 'Source left untouched', evidence: 'the conversion only reads the source' },
            { item: 'Application connection switched to the PostgreSQL target', evidence: 'customer to confirm' },
          ],
          actionItems,
          objects: plan.objects ?? [],
          reports: trail,
        },
      });
      return saved;
    },
  };
}

type Verification = ConversionActivitiesVerifications[number];
type ConversionActivitiesVerifications = Parameters<ConversionActivities['recordConversionCutover']>[0]['verifications'];
type Copy = Parameters<ConversionActivities['recordConversionCutover']>[0]['copies'][number];

function problemsOf(verifications: Verification[]): string[] {
  return verifications
    .filter((v) => !v.equal || v.rejectedRows > 0)
    .map((v) =>
      `${v.table}: ${v.equal ? '' : `not equal (source ${v.sourceRows}, target ${v.targetRows}, ${v.mismatchedKeys} differing key(s)); `}${v.rejectedRows ? `${v.rejectedRows} row(s) rejected` : ''}`.replace(
        /; $/,
        '',
      ),
    );
}

function tableRows(copies: Copy[], verifications: Verification[]) {
  return copies.map((c) => {
    const v = verifications.find((x) => x.table === c.table);
    return {
      table: c.table,
      rowsLoaded: c.rowsLoaded,
      rowsRejected: c.rowsRejected,
      chunks: c.chunks,
      resumedAtChunk: c.resumedAtChunk,
      zeroDates: c.zeroDates,
      coerced: c.coerced,
      copyMs: c.durationMs,
      verified: v ? (v.equal ? 'equal' : 'NOT EQUAL') : 'not verified',
      verificationReport: v?.reportId ?? null,
    };
  });
}
