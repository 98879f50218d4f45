import { Context } from '@temporalio/activity';
import { heartbeat } from '../keep-alive';
import {
  DeliveryError,
  DeliveryFailureType,
  type CopyHeartbeat,
  type CopyTableInput,
  type CopyTableResult,
  type CopyTablesInput,
  type DataActivities,
  type FinalizeTargetResult,
  type IntrospectSourceInput,
  type IntrospectSourceResult,
  type PlanCopyInput,
  type PlanCopyResult,
  type PlanRef,
  type PrepareCopyInput,
  type PrepareCopyResult,
  type PrepareTargetResult,
  type VerifyTableInput,
  type VerifyTableResult,
  type VerifyTablesInput,
} from '@sdo/contracts';
import {
  buildCopyPlan,
  copyTable,
  openSource,
  PgTarget,
  verifyTable,
  type ConnectionSettings,
  type CopyPlan,
  type DataReportStore,
  type SchemaInfo,
  type SourceConnector,
} from '@sdo/data-engine';
import { toActivityFailure } from '../failures';

export interface DataActivityDeps {
  /** Resolves an environment ID to connection settings (secrets stay in the worker, never in Temporal payloads). */
  resolveConnection(environmentId: string): Promise<ConnectionSettings>;
  /** Stores plans, introspections and verification reports; activities return their IDs. */
  reports: DataReportStore;
  /** Defaults for chunk sizes. */
  copyChunkRows?: number;
  verifyChunkRows?: number;
}

/** What a plan report holds: the plan plus where its source and target are. */
interface StoredPlan {
  plan: CopyPlan;
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
}

/** Runs one activity body; library errors leave as the project's typed Temporal failures (failures.ts). */
async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** Current attempt's identity: a Temporal-assigned, increasing timestamp orders attempts across workers. */
function currentAttempt(): { id: string; seq: number } {
  const info = Context.current().info;
  return {
    id: `${info.workflowExecution?.workflowId ?? info.activityType}/${info.activityId}/${info.attempt}`,
    seq: info.currentAttemptScheduledTimestampMs ?? Date.now(),
  };
}

/**
 * The data engine's activities. Each call opens its connections and closes them; results are
 * IDs and totals; long calls heartbeat and stop on cancellation.
 */
export function createDataActivities(deps: DataActivityDeps): DataActivities {
  const withSource = async <T>(environmentId: string, fn: (s: SourceConnector) => Promise<T>): Promise<T> => {
    const s = openSource(await deps.resolveConnection(environmentId));
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  const withTarget = async <T>(environmentId: string, fn: (t: PgTarget) => Promise<T>): Promise<T> => {
    const settings = await deps.resolveConnection(environmentId);
    if (settings.engine !== 'postgres') {
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The target environment must be PostgreSQL (it is ${settings.engine}).`);
    }
    const t = new PgTarget(settings);
    try {
      return await fn(t);
    } finally {
      await t.close();
    }
  };
  const loadPlan = async (ref: PlanRef): Promise<StoredPlan> => {
    const p = await deps.reports.load<StoredPlan>(ref.planId);
    if (!p || p.plan.jobId !== ref.jobId)
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Copy plan ${ref.planId} does not exist for job ${ref.jobId}.`);
    return p;
  };

  /** Plans the copy (from `snapshot` when given) and stores the plan; the result names it. */
  async function planAndStore(
    source: SourceConnector,
    input: PrepareCopyInput,
    snapshot: SchemaInfo | undefined,
  ): Promise<{ plan: CopyPlan; result: PlanCopyResult }> {
    const plan = await buildCopyPlan(source, {
      jobId: input.jobId,
      targetSchema: input.targetSchema,
      sourceSchema: input.source.schema,
      tables: input.tables,
      exclude: input.exclude,
      naming: input.naming,
      schema: snapshot,
      excludeColumns: input.excludeColumns,
      columnTypes: input.columnTypes,
      rename: input.rename,
    });
    const stored: StoredPlan = { plan, sourceEnvironmentId: input.source.environmentId, targetEnvironmentId: input.targetEnvironmentId };
    const planId = await deps.reports.save(input.jobId, 'copy-plan', stored);
    return {
      plan,
      result: {
        planId,
        tables: plan.tables.map((t) => ({
          table: t.target.name,
          sourceTable: t.source.ref.name,
          estimatedRows: t.source.rowCount,
          keyless: t.keyColumns.length === 0,
          order: t.order,
        })),
        cycles: plan.cycles,
        warnings: plan.warnings,
      },
    };
  }

  /** Runs `step` for each table of `input` in turn, over one source and one target connection. */
  async function eachTable<R>(
    input: PlanRef & { tables: string[] },
    step: (source: SourceConnector, target: PgTarget, plan: CopyPlan, table: string) => Promise<R>,
  ): Promise<R[]> {
    const { plan, sourceEnvironmentId, targetEnvironmentId } = await loadPlan(input);
    return withSource(sourceEnvironmentId, (source) =>
      withTarget(targetEnvironmentId, async (target) => {
        const results: R[] = [];
        for (const table of input.tables) results.push(await step(source, target, plan, table));
        return results;
      }),
    );
  }

  /** A finished table re-run writes nothing: a retried call skips what it already copied. */
  function copyTables(input: CopyTablesInput): Promise<CopyTableResult[]> {
    const ctx = Context.current();
    // Exported with the SDK's series on the worker's metrics port: rows copied (rate() of it is rows/s) and the last chunk's pace.
    const rowsCopied = ctx.metricMeter.createCounter('sdo_copy_rows', 'rows', 'Rows copied into targets');
    const pace = ctx.metricMeter.createGauge('sdo_copy_rows_per_second', 'float', 'rows/s', "Pace of the running copy since its attempt's start");
    return eachTable(input, async (source, target, plan, table) => {
      let counted = 0;
      const r = await copyTable(source, target, {
        plan,
        table,
        attempt: currentAttempt(),
        chunkRows: input.chunkRows ?? deps.copyChunkRows,
        signal: ctx.cancellationSignal,
        onProgress: (p) => {
          const hb: CopyHeartbeat = {
            table: p.table,
            chunkNo: p.chunkNo,
            rowsLoaded: p.rowsLoaded,
            rowsRejected: p.rowsRejected,
            rowsPerSecond: Math.round(p.rate),
            lastKey: p.lastKey,
          };
          heartbeat(hb);
          const rows = p.rowsLoaded + p.rowsRejected;
          rowsCopied.add(Math.max(0, rows - counted));
          counted = rows;
          pace.set(p.rate);
        },
      });
      return {
        table: r.table,
        rowsLoaded: r.rowsLoaded,
        rowsRejected: r.rowsRejected,
        chunks: r.chunks,
        chunksThisAttempt: r.chunksThisAttempt,
        rowsThisAttempt: r.rowsThisAttempt,
        resumedAtChunk: r.resumedAtChunk,
        zeroDates: r.stats.zeroDates,
        coerced: r.stats.coerced,
        epochDates: r.stats.epochDates,
        durationMs: r.durationMs,
      };
    });
  }

  /** Each full report goes to the report store; the results carry its ID. */
  function verifyTables(input: VerifyTablesInput): Promise<VerifyTableResult[]> {
    const ctx = Context.current();
    return eachTable(input, async (source, target, plan, table) => {
      const attempt = currentAttempt();
      const r = await verifyTable(source, target, {
        plan,
        table,
        chunkRows: input.chunkRows ?? deps.verifyChunkRows,
        signal: ctx.cancellationSignal,
        // A retry of this activity (another worker after a crash) resumes after the last verified chunk.
        resume: { scope: attempt.id.replace(/\/\d+$/, ''), attempt },
        onProgress: (p) => heartbeat(p),
      });
      const reportId = await deps.reports.save(input.jobId, 'verification', r);
      return {
        table: r.table,
        equal: r.equal,
        sourceRows: r.sourceRows,
        targetRows: r.targetRows,
        rejectedRows: r.rejectedRows,
        mismatchedRanges: r.mismatchedRanges.length,
        mismatchedKeys: r.mismatchedKeyCount,
        reportId,
      };
    });
  }

  return {
    introspectSource: (input: IntrospectSourceInput) =>
      classified(async (): Promise<IntrospectSourceResult> => {
        const schema = await withSource(input.source.environmentId, (s) =>
          s.introspect({ schema: input.source.schema, tables: input.tables, exactCounts: input.exactCounts }),
        );
        const snapshotId = await deps.reports.save(input.jobId, 'introspection', schema);
        return {
          snapshotId,
          engine: schema.engine,
          tableCount: schema.tables.length,
          totalRows: schema.tables.reduce((n, t) => n + t.rowCount, 0),
          totalBytes: schema.tables.reduce((n, t) => n + t.sizeBytes, 0),
          tablesWithoutKey: schema.tables.filter((t) => !t.primaryKey.length && !t.uniqueKeys.length).map((t) => t.ref.name),
        };
      }),

    planCopy: (input: PlanCopyInput) =>
      classified(async (): Promise<PlanCopyResult> => {
        const snapshot = input.snapshotId ? await deps.reports.load<SchemaInfo>(input.snapshotId) : undefined;
        if (input.snapshotId && !snapshot) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Introspection ${input.snapshotId} does not exist.`);
        return (await withSource(input.source.environmentId, (s) => planAndStore(s, input, snapshot ?? undefined))).result;
      }),

    prepareCopy: (input: PrepareCopyInput) =>
      classified(async (): Promise<PrepareCopyResult> => {
        const { snapshotId, planned } = await withSource(input.source.environmentId, async (s) => {
          const schema = await s.introspect({ schema: input.source.schema, tables: input.tables, exactCounts: true });
          const snapshotId = await deps.reports.save(input.jobId, 'introspection', schema);
          return { snapshotId, planned: await planAndStore(s, input, schema) };
        });
        await withTarget(input.targetEnvironmentId, (t) => t.createTables(planned.plan));
        return { ...planned.result, snapshotId, tablesCreated: planned.plan.tables.length };
      }),

    prepareTarget: (input: PlanRef) =>
      classified(async (): Promise<PrepareTargetResult> => {
        const { plan, targetEnvironmentId } = await loadPlan(input);
        await withTarget(targetEnvironmentId, (t) => t.createTables(plan));
        return { tablesCreated: plan.tables.length };
      }),

    copyTable: (input: CopyTableInput) => classified(async () => (await copyTables({ ...input, tables: [input.table] }))[0]!),
    copyTables: (input: CopyTablesInput) => classified(() => copyTables(input)),

    finalizeTarget: (input: PlanRef) =>
      classified(async (): Promise<FinalizeTargetResult> => {
        const { plan, targetEnvironmentId } = await loadPlan(input);
        return withTarget(targetEnvironmentId, (t) => t.finalize(plan));
      }),

    verifyTable: (input: VerifyTableInput) => classified(async () => (await verifyTables({ ...input, tables: [input.table] }))[0]!),
    verifyTables: (input: VerifyTablesInput) => classified(() => verifyTables(input)),
  };
}
