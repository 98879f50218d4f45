import type { PhaseReportRef } from './delivery';

/**
 * Data migration (数据迁移): rows of an old product's schema loaded into a new product's schema
 * through a declarative mapping. Pure types: workflows import them.
 *
 * Safety: nothing in a mapping is ever pasted into SQL. Table and column names are checked against
 * the introspected schemas and quoted; expressions are parsed by a small grammar (column names,
 * literals and a fixed list of functions) and evaluated in the worker; filters are structured.
 */
export interface DataMigrationParameters {
  /** PostgreSQL schema of the new product's tables in the target (default `public`). */
  targetSchema?: string;
  mappings: MigrationMapping[];
  /** Rows a rehearsal may reject and still pass (default 0). */
  maxRejectedRows?: number;
  chunkRows?: number;
}

export type MigrationFilterOp = '=' | '<>' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'is null' | 'is not null';

export interface MigrationFilter {
  column: string;
  op: MigrationFilterOp;
  value?: string | number | boolean | (string | number)[];
}

export interface MigrationColumnRule {
  /** Target column. */
  target: string;
  /**
   * Expression over source columns: a column name, a literal ('text', 42), or one of the functions
   * concat, upper, lower, trim, coalesce, substr, nullif, round (e.g. `concat(FirstName, ' ', LastName)`).
   */
  expr?: string;
  /** Replaces the expression's value: value → new value; an unmapped value rejects the row unless `otherwise` is given. */
  valueMap?: { map: Record<string, string | null>; otherwise?: string | null };
  /**
   * Looks the expression's value up in a target table already loaded (mappings run in order):
   * `SELECT returns FROM table WHERE match = value`. No match rejects the row unless `optional`.
   */
  lookup?: { table: string; match: string; returns: string; optional?: boolean };
  /** Used when the value is null (or the rule has no expression). */
  default?: string | number | boolean | null;
}

export interface MigrationMapping {
  /** Names the mapping in reports and errors. */
  name: string;
  /** Target table (in `targetSchema`). */
  target: string;
  /** Source table, optionally filtered; the source key orders and checkpoints the load. */
  source: { table: string; filter?: MigrationFilter[] };
  columns: MigrationColumnRule[];
}

export interface MigrationTarget {
  deliveryId: string;
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
  parameters: DataMigrationParameters;
}

export interface MigrationAssessment extends PhaseReportRef {
  mappings: number;
  sourceRows: number;
}

export interface MigrationPlanDraft extends PhaseReportRef {
  revision: number;
}

/** Reconciliation of one mapping: every source row selected is loaded or rejected with a reason. */
export interface MappingReconciliation {
  mapping: string;
  target: string;
  sourceRows: number;
  filteredOut: number;
  loaded: number;
  rejected: number;
  chunks: number;
  resumedAtChunk: number;
  durationMs: number;
}

export interface LoadMappingInput extends MigrationTarget {
  /** Distinguishes the rehearsal's load from the cutover's (checkpoints are per job). */
  jobId: string;
  /** Environment (or scratch reference) the rows go to. */
  loadInto: string;
  mappingIndex: number;
}

/** Heartbeat of `loadMapping`. */
export interface MigrationHeartbeat {
  mapping: string;
  chunkNo: number;
  loaded: number;
  rejected: number;
}

export interface MigrationRunFacts extends MigrationTarget {
  jobId: string;
  /** Where the rows went (the target, or the rehearsal's scratch reference): counted again for the report. */
  loadInto: string;
  reconciliations: MappingReconciliation[];
  failure?: string;
  durationMs: number;
}

/** Fingerprint of the mapped source tables (columns and row counts): drift is measured against it. */
export interface SourceSnapshot {
  fingerprint: string;
  rows: Record<string, number>;
}

export interface MigrationTargetClaim {
  tables: string[];
}

export interface DataMigrationActivities {
  /** Validates every mapping against both schemas (InvalidParameters naming mapping and column) and sizes the work. */
  assessMigration(target: MigrationTarget): Promise<MigrationAssessment>;
  draftMigrationPlan(target: MigrationTarget & { revision: number; feedback?: string; assessmentReportId: string }): Promise<MigrationPlanDraft>;
  /** A copy of the target database (its new-product schema) for the rehearsal. */
  createMigrationScratch(target: MigrationTarget & { purpose: string }): Promise<{ database: string; environmentRef: string }>;
  dropMigrationScratch(target: MigrationTarget & { database: string }): Promise<void>;
  snapshotSource(target: MigrationTarget): Promise<SourceSnapshot>;
  /** Loads one mapping in checkpointed chunks; resumes after a crash; heartbeats `MigrationHeartbeat`. */
  loadMapping(input: LoadMappingInput): Promise<MappingReconciliation>;
  reportMigrationRehearsal(facts: MigrationRunFacts & { revision: number; scratchDatabase: string }): Promise<PhaseReportRef & { passed: boolean; failure?: string }>;
  /** Throws SchemaDrift when the mapped source tables changed since `baseline`. */
  checkMigrationDrift(target: MigrationTarget & { baseline: SourceSnapshot }): Promise<SourceSnapshot>;
  /** Refuses target tables that already hold rows; the cutover's compensation empties exactly these. */
  claimMigrationTarget(target: MigrationTarget): Promise<MigrationTargetClaim>;
  /** Compensation: empties the claimed tables and forgets the jobs' checkpoints and rejects. */
  undoMigrationLoad(target: MigrationTarget & MigrationTargetClaim & { jobIds: string[] }): Promise<void>;
  /** Writes the cutover report (reconciliation per mapping); throws VerificationFailed after writing it if rejects exceed the limit. */
  recordMigrationCutover(facts: MigrationRunFacts): Promise<PhaseReportRef>;
  reportMigrationAcceptance(target: MigrationTarget & { reportIds: string[] }): Promise<PhaseReportRef>;
}
