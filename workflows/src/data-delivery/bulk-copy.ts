import { isCancellation, patched } from '@temporalio/workflow';
import { failureMessage } from '../lifecycle/failures';
import { TableProgress } from '../lifecycle/progress';
import {
  copyUnits,
  unitLabel,
  type BulkCopyFacts,
  type CopyTableResult,
  type DataActivities,
  type DataEnvironmentRef,
  type PlanCopyResult,
  type PlanRef,
  type TargetNaming,
  type VerifyTableResult,
} from '@sdo/contracts';

/**
 * Copy-and-verify through the data-engine activities, shared by the data deliveries: introspect
 * (exact counts), plan and create tables (one activity) → copy each table (checkpointed, resumable) → keys,
 * indexes and foreign keys → verify each table. Big tables get an activity each, small ones share
 * one. Results are IDs and totals only.
 */
export interface BulkCopyRequest {
  /** Checkpoints in the target are per job: a rehearsal and a cutover never share one. */
  jobId: string;
  source: DataEnvironmentRef;
  targetEnvironmentId: string;
  targetSchema: string;
  naming?: TargetNaming;
  tables?: string[];
  exclude?: string[];
  excludeColumns?: string[];
  columnTypes?: Record<string, string>;
  rename?: Record<string, string>;
  chunkRows?: number;
  /** Copy (and verify) activities running at the same time; with more than one the largest tables start first. */
  parallelTables: number;
  /** The order chose `parallelTables`: lanes even for a small job (otherwise one under OWN_ACTIVITY_ROWS rows is one unit). */
  lanesChosen?: boolean;
}

/** Which proxies to use: `copy` for the long, heartbeating calls, `bounded` for the ones a retry cannot fix forever (finalize). */
export interface BulkCopyActivities {
  copy: DataActivities;
  bounded: DataActivities;
}

/**
 * Runs `step` for every unit of tables, at most `lanes` at a time. After a failure no new unit
 * starts, the running ones finish, then the first failure is thrown (so a caller's clean-up never
 * races a copy still writing). With one lane the calls are exactly the sequential loop's.
 */
async function inLanes<R>(
  units: string[][],
  lanes: number,
  progress: TableProgress,
  step: (unit: string[]) => Promise<R[]>,
  results: Map<string, R>,
  rowsOf: (result: R) => number,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < units.length) {
      const unit = units[next++]!;
      const label = unitLabel(unit);
      progress.working(label);
      try {
        // Results come in the unit's order (their own table names are schema-qualified).
        (await step(unit)).forEach((result, i) => {
          results.set(unit[i]!, result);
          progress.finished(unit[i]!, rowsOf(result));
        });
      } catch (error) {
        failure ??= { error };
      } finally {
        progress.idle(label);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, units.length)) }, lane));
  if (failure) throw failure.error;
}

/**
 * Runs the copy. `onFailure: 'report'` turns a failure retries cannot fix into `facts.failure`
 * (a rehearsal's verdict); `'throw'` lets it end the caller's step (a cutover, which is then undone).
 * Cancellation always propagates.
 */
export async function copyAndVerify(
  data: BulkCopyActivities,
  request: BulkCopyRequest,
  progress: TableProgress,
  onFailure: 'report' | 'throw',
): Promise<BulkCopyFacts> {
  const started = Date.now();
  const facts: BulkCopyFacts = { jobId: request.jobId, planId: '', snapshotId: '', copies: [], verifications: [], durationMs: 0 };
  // Per plan table, whichever lane finished it first; reports list them in plan order.
  let planOrder: string[] = [];
  const copies = new Map<string, CopyTableResult>();
  const verifications = new Map<string, VerifyTableResult>();
  try {
    const planInput = {
      jobId: request.jobId,
      source: request.source,
      targetEnvironmentId: request.targetEnvironmentId,
      targetSchema: request.targetSchema,
      tables: request.tables,
      exclude: request.exclude,
      ...(request.excludeColumns ? { excludeColumns: request.excludeColumns } : {}),
      ...(request.columnTypes ? { columnTypes: request.columnTypes } : {}),
      ...(request.rename ? { rename: request.rename } : {}),
      naming: request.naming,
    };
    // Runs started before the three first steps became one keep them apart on replay.
    const prepared = patched('copy-prepared-in-one-step');
    let plan: PlanCopyResult;
    if (prepared) {
      progress.restart('introspecting the source, planning and creating target tables');
      const done = await data.copy.prepareCopy(planInput);
      facts.snapshotId = done.snapshotId;
      plan = done;
    } else {
      progress.restart('introspecting the source');
      const snapshot = await data.copy.introspectSource({ jobId: request.jobId, source: request.source, tables: request.tables, exactCounts: true });
      facts.snapshotId = snapshot.snapshotId;
      plan = await data.copy.planCopy({ ...planInput, snapshotId: snapshot.snapshotId });
    }
    facts.planId = plan.planId;
    const ref = { jobId: request.jobId, planId: plan.planId };
    progress.planned(
      plan.tables.length,
      plan.tables.reduce((n, t) => n + t.estimatedRows, 0),
    );

    // Keys and foreign keys come after the data, so tables need no order among themselves.
    const lanes = request.parallelTables;
    const ordered = lanes > 1 ? [...plan.tables].sort((a, b) => b.estimatedRows - a.estimatedRows) : plan.tables;
    planOrder = plan.tables.map((t) => t.table);
    // Deliveries started before tables were grouped replay with one activity per table.
    const grouped = patched('copy-table-units');
    const units = grouped
      ? copyUnits(
          ordered.map((t) => ({ table: t.table, rows: t.estimatedRows })),
          lanes,
          // Runs started before small jobs became one unit keep their lanes on replay.
          { smallJobAlone: !request.lanesChosen && patched('small-copy-one-unit') },
        )
      : ordered.map((t) => [t.table]);
    const perUnit =
      <R>(
        many: (input: PlanRef & { tables: string[]; chunkRows?: number }) => Promise<R[]>,
        one: (input: PlanRef & { table: string; chunkRows?: number }) => Promise<R>,
      ) =>
      (tables: string[]) =>
        grouped ? many({ ...ref, tables, chunkRows: request.chunkRows }) : one({ ...ref, table: tables[0]!, chunkRows: request.chunkRows }).then((r) => [r]);

    if (!prepared) {
      progress.restart('creating target tables');
      await data.copy.prepareTarget(ref);
    }
    progress.restart('copying');
    await inLanes(units, lanes, progress, perUnit(data.copy.copyTables, data.copy.copyTable), copies, (c) => c.rowsLoaded + c.rowsRejected);
    progress.restart('adding keys, indexes and foreign keys');
    await data.bounded.finalizeTarget(ref);
    progress.restart('verifying');
    await inLanes(units, lanes, progress, perUnit(data.copy.verifyTables, data.copy.verifyTable), verifications, (v) => v.sourceRows);
  } catch (err) {
    if (isCancellation(err) || onFailure === 'throw') throw err;
    facts.failure = failureMessage(err);
  } finally {
    progress.restart('');
    facts.copies = planOrder.flatMap((t) => copies.get(t) ?? []);
    facts.verifications = planOrder.flatMap((t) => verifications.get(t) ?? []);
  }
  facts.durationMs = Date.now() - started;
  return facts;
}

/** Tables whose verification found a difference, or rows the copy rejected. */
export function verificationProblems(facts: Pick<BulkCopyFacts, 'verifications'>): string[] {
  return facts.verifications
    .filter((v) => !v.equal || v.rejectedRows > 0)
    .map((v) =>
      `${v.table}: ${v.equal ? '' : `not equal (${v.mismatchedKeys} key(s) in ${v.mismatchedRanges} range(s) differ; source ${v.sourceRows}, target ${v.targetRows}) `}${v.rejectedRows ? `${v.rejectedRows} row(s) rejected` : ''}`.trim(),
    );
}
