/**
 * Data engine activities (copy, convert, verify data between databases). Pure types: workflows
 * import them. Inputs carry environment IDs, never connection strings; results carry IDs and
 * totals, never rows — plans, introspections and verification reports are stored in a database
 * and referenced by ID.
 */

export type DataSourceEngine = 'postgres' | 'mysql' | 'sqlite';

/** How target tables and columns are named: as in the source, lower-cased, or snake_case. */
export type TargetNaming = 'preserve' | 'lower' | 'snake';

export interface DataEnvironmentRef {
  environmentId: string;
  /** PostgreSQL schema / MySQL database; default: the environment's own. */
  schema?: string;
}

export interface IntrospectSourceInput {
  jobId: string;
  source: DataEnvironmentRef;
  tables?: string[];
  exactCounts?: boolean;
}

export interface IntrospectSourceResult {
  snapshotId: string;
  engine: DataSourceEngine;
  tableCount: number;
  totalRows: number;
  totalBytes: number;
  /** Tables with neither primary key nor NOT NULL unique key: copied as one chunk. */
  tablesWithoutKey: string[];
}

export interface PlanCopyInput {
  jobId: string;
  source: DataEnvironmentRef;
  targetEnvironmentId: string;
  targetSchema: string;
  tables?: string[];
  exclude?: string[];
  naming?: TargetNaming;
  /** Per-column control (database conversion): see `DatabaseConversionParameters`. */
  excludeColumns?: string[];
  columnTypes?: Record<string, string>;
  rename?: Record<string, string>;
  /** Reuse an introspection instead of reading the source catalog again. */
  snapshotId?: string;
}

export interface PlannedTable {
  /** Target table name: the handle every later activity takes. */
  table: string;
  sourceTable: string;
  estimatedRows: number;
  keyless: boolean;
  /** Position in foreign-key order (parents first). */
  order: number;
}

export interface PlanCopyResult {
  planId: string;
  tables: PlannedTable[];
  cycles: string[][];
  warnings: string[];
}

/** Introspection (exact counts), plan and target tables in one step: a copy's first three steps for one task. */
export type PrepareCopyInput = Omit<PlanCopyInput, 'snapshotId'>;

export interface PrepareCopyResult extends PlanCopyResult {
  /** The introspection the plan was made from (the drift baseline of a rehearsal). */
  snapshotId: string;
  tablesCreated: number;
}

export interface PlanRef {
  jobId: string;
  planId: string;
}

export interface PrepareTargetResult {
  tablesCreated: number;
}

export interface CopyTableInput extends PlanRef {
  table: string;
  chunkRows?: number;
}

/** Tables of at least this many rows get a copy activity of their own; smaller ones share one. */
export const OWN_ACTIVITY_ROWS = 50_000;
/** Most tables one copy activity takes: bounds a retry's rework (finished tables are skipped quickly). */
export const TABLES_PER_ACTIVITY = 100;
/** Most rows one shared copy activity takes: progress (counted per finished activity) moves at least this often. */
export const ROWS_PER_ACTIVITY = 1_000_000;

/** How progress names a unit of tables: its first table, and how many more it holds. */
export const unitLabel = (tables: string[]): string => (tables.length > 1 ? `${tables[0]} and ${tables.length - 1} more` : (tables[0] ?? ''));

/**
 * A job smaller than one table worth its own activity (fewer than `OWN_ACTIVITY_ROWS` rows in all,
 * at most `TABLES_PER_ACTIVITY` tables): lanes would only add tasks, so it is one unit.
 */
export const smallCopyJob = (tables: { rows: number }[]): boolean =>
  tables.length > 0 && tables.length <= TABLES_PER_ACTIVITY && tables.reduce((n, t) => n + t.rows, 0) < OWN_ACTIVITY_ROWS;

/**
 * The units of work of a copy, one activity each, in the order given: every big table alone; the
 * small ones dealt round-robin into `lanes` open units, each closed at `TABLES_PER_ACTIVITY` tables
 * or `ROWS_PER_ACTIVITY` rows. Thousands of small tables become tens of activities. With
 * `smallJobAlone`, a job of fewer than `OWN_ACTIVITY_ROWS` rows in all is one unit.
 */
export function copyUnits(ordered: { table: string; rows: number }[], lanes: number, options: { smallJobAlone?: boolean } = {}): string[][] {
  const units: string[][] = [];
  if (options.smallJobAlone && smallCopyJob(ordered)) return [ordered.map((t) => t.table)];
  const open: ({ tables: string[]; rows: number } | undefined)[] = [];
  let dealt = 0;
  for (const t of ordered) {
    if (t.rows >= OWN_ACTIVITY_ROWS) {
      units.push([t.table]);
      continue;
    }
    const slot = dealt++ % Math.max(1, lanes);
    const unit = (open[slot] ??= { tables: [], rows: 0 });
    unit.tables.push(t.table);
    unit.rows += t.rows;
    if (unit.tables.length >= TABLES_PER_ACTIVITY || unit.rows >= ROWS_PER_ACTIVITY) {
      units.push(unit.tables);
      open[slot] = undefined;
    }
  }
  for (const unit of open) if (unit) units.push(unit.tables);
  return units;
}

/** Several tables in one activity, one after the other: a database of thousands of small tables stays a short history. */
export interface CopyTablesInput extends PlanRef {
  tables: string[];
  chunkRows?: number;
}

export interface CopyTableResult {
  table: string;
  rowsLoaded: number;
  rowsRejected: number;
  chunks: number;
  chunksThisAttempt: number;
  rowsThisAttempt: number;
  resumedAtChunk: number;
  zeroDates: number;
  coerced: number;
  epochDates: number;
  durationMs: number;
}

/** Heartbeat details of `copyTable`: progress, and a resume hint (the durable checkpoint is in the target). */
export interface CopyHeartbeat {
  table: string;
  chunkNo: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsPerSecond: number;
  lastKey: string[] | null;
}

export interface FinalizeTargetResult {
  statements: number;
  warnings: string[];
}

export interface VerifyTableInput extends PlanRef {
  table: string;
  chunkRows?: number;
}

export interface VerifyTablesInput extends PlanRef {
  tables: string[];
  chunkRows?: number;
}

export interface VerifyTableResult {
  table: string;
  equal: boolean;
  sourceRows: number;
  targetRows: number;
  rejectedRows: number;
  mismatchedRanges: number;
  mismatchedKeys: number;
  /** Full report (every mismatching range and key) stored by the report store. */
  reportId: string;
}

export interface DataActivities {
  introspectSource(input: IntrospectSourceInput): Promise<IntrospectSourceResult>;
  planCopy(input: PlanCopyInput): Promise<PlanCopyResult>;
  /** Creates the target schema and tables (no keys, indexes or FKs yet). Idempotent. */
  prepareTarget(input: PlanRef): Promise<PrepareTargetResult>;
  /** `introspectSource` (exact counts), `planCopy` from it and `prepareTarget`, over one source connection. Idempotent. */
  prepareCopy(input: PrepareCopyInput): Promise<PrepareCopyResult>;
  /** Copies one table in checkpointed chunks; heartbeats `CopyHeartbeat`; resumes after any crash. */
  copyTable(input: CopyTableInput): Promise<CopyTableResult>;
  /** `copyTable` for each table in turn, over one pair of connections; a retry skips the tables already copied. */
  copyTables(input: CopyTablesInput): Promise<CopyTableResult[]>;
  /** Keys, indexes, foreign keys, identities past max key. Run after every table is copied. Idempotent. */
  finalizeTarget(input: PlanRef): Promise<FinalizeTargetResult>;
  verifyTable(input: VerifyTableInput): Promise<VerifyTableResult>;
  verifyTables(input: VerifyTablesInput): Promise<VerifyTableResult[]>;
}
