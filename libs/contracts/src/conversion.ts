import type { PhaseReportRef, PlanDraft } from './delivery';
import type { CopyTableResult, TargetNaming, VerifyTableResult } from './data-engine';
import type { SafetyActivities } from './safety';

/**
 * Database conversion (数据库转换): a MySQL/MariaDB or SQLite source converted into a PostgreSQL
 * target. Pure types: workflows import them.
 */
export interface DatabaseConversionParameters {
  /** PostgreSQL schema the converted tables go to (default `public`); it must not hold them yet. */
  targetSchema?: string;
  /** Target naming of tables and columns (default `snake`: InvoiceLine → invoice_line). */
  naming?: TargetNaming;
  /** Only these source tables (default: all). */
  tables?: string[];
  exclude?: string[];
  /** Columns left out, as `table.column` (source names); keys, indexes and foreign keys using them are listed in the plan and not created. */
  excludeColumns?: string[];
  /** Target type per `table.column`, for the conversions CASTING.md documents (spatial → `point`, `path`, `polygon` or WKT `text`). */
  columnTypes?: Record<string, string>;
  /** Target column name per `table.column`. */
  rename?: Record<string, string>;
  /** Rows per copy chunk (one transaction and checkpoint each). */
  chunkRows?: number;
  /**
   * Copy (and verify) activities running at the same time, largest tables first (default
   * `DEFAULT_PARALLEL_TABLES`); 1 runs them one by one. Left unset, a job of fewer than
   * `OWN_ACTIVITY_ROWS` rows in all is one activity: lanes would only add tasks.
   */
  parallelTables?: number;
  /** Measured copy throughput used for the estimate (rows/s); default the data-engine bench figure. */
  throughputRowsPerSecond?: number;
}

/** Two lanes: 1.57× one table at a time for MariaDB → PostgreSQL on 2 cores (`tools/bench/data-engine.ts`, lanes); four gained less. */
export const DEFAULT_PARALLEL_TABLES = 2;

/** What every conversion activity works on: IDs only, never connection details. */
export interface ConversionTarget {
  deliveryId: string;
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
  parameters: DatabaseConversionParameters;
}

export interface ConversionAssessment extends PhaseReportRef {
  engine: string;
  tableCount: number;
  totalRows: number;
  totalBytes: number;
  warnings: number;
  estimatedMinutes: number;
}

export interface ConversionPlanRequest extends ConversionTarget {
  revision: number;
  assessmentReportId: string;
  feedback?: string;
}

/** `confirmationRequired` when exclusions drop dependent objects (foreign keys, indexes, views, triggers). */
export interface ConversionPlanDraft extends PlanDraft {
  revision: number;
  tables: number;
}

/**
 * A throwaway database on the target's server (rehearsals). `environmentRef` is what data
 * activities take as a target environment ID: the registered environment with another database.
 */
export interface ScratchDatabase {
  database: string;
  environmentRef: string;
}

/** Facts of a copy-and-verify run the workflow gathered from the data activities. */
export interface BulkCopyFacts {
  jobId: string;
  planId: string;
  snapshotId: string;
  copies: CopyTableResult[];
  verifications: VerifyTableResult[];
  /** Set when the run stopped on a failure it could not retry past. */
  failure?: string;
  durationMs: number;
}

export interface ConversionRehearsalFacts extends ConversionTarget, BulkCopyFacts {
  revision: number;
  planReportId: string;
  scratchDatabase: string;
}

export interface ConversionRehearsalOutcome extends PhaseReportRef {
  passed: boolean;
  failure?: string;
}

/** What cutover found in the target before creating anything: compensation undoes only what it added. */
export interface TargetClaim {
  targetSchema: string;
  tables: string[];
  schemaCreated: boolean;
  controlSchemaCreated: boolean;
  /** Trigger functions cutover creates (ON UPDATE CURRENT_TIMESTAMP); dropping the tables does not drop them. */
  functions?: string[];
}

export interface ConversionCutoverFacts extends ConversionTarget, BulkCopyFacts {
  planReportId: string;
  rehearsalSnapshotId: string;
}

export interface DriftCheck {
  tables: number;
  rows: number;
}

/** `dropScratchDatabase` is the shared safety step. */
export interface ConversionActivities extends Pick<SafetyActivities, 'dropScratchDatabase'> {
  /** Inventory, incompatibilities, size and estimate; throws UnsupportedType/InvalidParameters after saving the report when blocking. */
  assessConversion(target: ConversionTarget): Promise<ConversionAssessment>;
  draftConversionPlan(request: ConversionPlanRequest): Promise<ConversionPlanDraft>;
  /** Creates (or re-creates) an empty scratch database named after the delivery on the target's server. */
  createScratchDatabase(target: ConversionTarget & { purpose: string }): Promise<ScratchDatabase>;
  reportConversionRehearsal(facts: ConversionRehearsalFacts): Promise<ConversionRehearsalOutcome>;
  /** Compares the source now with the rehearsal's introspection; throws SchemaDrift (non-retryable). */
  checkSourceDrift(target: ConversionTarget & { baselineSnapshotId: string }): Promise<DriftCheck>;
  /** Refuses a target that already holds the tables; says what cutover will create. */
  claimTargetSchema(target: ConversionTarget): Promise<TargetClaim>;
  /** Compensation: drops the tables (and schemas) cutover created and the copy's bookkeeping of those jobs. */
  dropCutoverObjects(target: ConversionTarget & TargetClaim & { jobIds: string[] }): Promise<void>;
  /** Writes the cutover report; throws VerificationFailed (after writing it) when a table is not equal. */
  recordConversionCutover(facts: ConversionCutoverFacts): Promise<PhaseReportRef>;
  reportConversionAcceptance(target: ConversionTarget & { reportIds: string[] }): Promise<PhaseReportRef>;
}

// ---- scratch databases -----------------------------------------------------------------------

const SCRATCH_REF = /^([0-9a-zA-Z-]{1,64})#(sdo_scratch_[a-z0-9_]{1,48})$/;

export function scratchEnvironmentRef(environmentId: string, database: string): string {
  const ref = `${environmentId}#${database}`;
  if (!SCRATCH_REF.test(ref)) throw new Error(`not a valid scratch database reference: ${ref}`);
  return ref;
}

/** `null` for a plain environment ID. */
export function parseScratchEnvironmentRef(ref: string): { environmentId: string; database: string } | null {
  const m = SCRATCH_REF.exec(ref);
  return m ? { environmentId: m[1]!, database: m[2]! } : null;
}
