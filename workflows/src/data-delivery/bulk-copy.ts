import { ActivityFailure, ApplicationFailure, isCancellation } from '@temporalio/workflow';
import type { BulkCopyFacts, CopyTableResult, DataActivities, DataEnvironmentRef, TargetNaming, VerifyTableResult } from '@sdo/contracts';

/**
 * Copy-and-verify through the data-engine activities, shared by the data deliveries: introspect
 * (exact counts) → plan → create tables → copy each table (checkpointed, resumable) → keys,
 * indexes and foreign keys → verify each table. Results are IDs and totals only.
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
  chunkRows?: number;
}

/** Which proxies to use: `copy` for the long, heartbeating calls, `bounded` for the ones a retry cannot fix forever (finalize). */
export interface BulkCopyActivities {
  copy: DataActivities;
  bounded: DataActivities;
}

/** Tables and rows done, readable by the status query while the copy runs. */
export class CopyProgress {
  stage = '';
  tablesDone = 0;
  tablesTotal = 0;
  rowsDone = 0;
  rowsTotal = 0;
  current: string | undefined;

  describe(): string | undefined {
    if (!this.stage) return undefined;
    const tables = this.tablesTotal ? ` ${this.tablesDone}/${this.tablesTotal} tables` : '';
    const rows = this.rowsTotal ? `, ${this.rowsDone}/${this.rowsTotal} rows` : '';
    return `${this.stage}${tables}${rows}${this.current ? ` (now ${this.current})` : ''}`;
  }

  reset(stage: string): void {
    this.stage = stage;
    this.tablesDone = 0;
    this.rowsDone = 0;
    this.current = undefined;
  }
}

/**
 * Runs the copy. `onFailure: 'report'` turns a failure retries cannot fix into `facts.failure`
 * (a rehearsal's verdict); `'throw'` lets it end the caller's step (a cutover, which is then undone).
 * Cancellation always propagates.
 */
export async function copyAndVerify(
  data: BulkCopyActivities,
  request: BulkCopyRequest,
  progress: CopyProgress,
  onFailure: 'report' | 'throw',
): Promise<BulkCopyFacts> {
  const started = Date.now();
  const facts: BulkCopyFacts = { jobId: request.jobId, planId: '', snapshotId: '', copies: [], verifications: [], durationMs: 0 };
  try {
    progress.reset('introspecting the source');
    const snapshot = await data.copy.introspectSource({ jobId: request.jobId, source: request.source, tables: request.tables, exactCounts: true });
    facts.snapshotId = snapshot.snapshotId;
    const plan = await data.copy.planCopy({
      jobId: request.jobId,
      source: request.source,
      targetEnvironmentId: request.targetEnvironmentId,
      targetSchema: request.targetSchema,
      tables: request.tables,
      exclude: request.exclude,
      naming: request.naming,
      snapshotId: snapshot.snapshotId,
    });
    facts.planId = plan.planId;
    const ref = { jobId: request.jobId, planId: plan.planId };
    progress.tablesTotal = plan.tables.length;
    progress.rowsTotal = plan.tables.reduce((n, t) => n + t.estimatedRows, 0);

    progress.reset('creating target tables');
    await data.copy.prepareTarget(ref);
    progress.reset('copying');
    for (const t of plan.tables) {
      progress.current = t.table;
      const copied: CopyTableResult = await data.copy.copyTable({ ...ref, table: t.table, chunkRows: request.chunkRows });
      facts.copies.push(copied);
      progress.tablesDone += 1;
      progress.rowsDone += copied.rowsLoaded + copied.rowsRejected;
    }
    progress.reset('adding keys, indexes and foreign keys');
    await data.bounded.finalizeTarget(ref);
    progress.reset('verifying');
    for (const t of plan.tables) {
      progress.current = t.table;
      const verified: VerifyTableResult = await data.copy.verifyTable({ ...ref, table: t.table, chunkRows: request.chunkRows });
      facts.verifications.push(verified);
      progress.tablesDone += 1;
      progress.rowsDone += verified.sourceRows;
    }
  } catch (err) {
    if (isCancellation(err) || onFailure === 'throw') throw err;
    facts.failure = failureMessage(err);
  } finally {
    progress.reset('');
  }
  facts.durationMs = Date.now() - started;
  return facts;
}

export function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (cause instanceof ApplicationFailure) return `${cause.type ?? 'Error'}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Tables whose verification found a difference, or rows the copy rejected. */
export function verificationProblems(facts: Pick<BulkCopyFacts, 'verifications'>): string[] {
  return facts.verifications
    .filter((v) => !v.equal || v.rejectedRows > 0)
    .map((v) => `${v.table}: ${v.equal ? '' : `not equal (${v.mismatchedKeys} key(s) in ${v.mismatchedRanges} range(s) differ; source ${v.sourceRows}, target ${v.targetRows}) `}${v.rejectedRows ? `${v.rejectedRows} row(s) rejected` : ''}`.trim());
}
