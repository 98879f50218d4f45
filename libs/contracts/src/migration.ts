import type { PhaseReportRef } from './delivery';

/**
 * Data migration (数据迁移): rows of an old product's schema loaded into a new product's schema
 * through a declarative mapping. Pure types: workflows import them.
 *
 * Safety: table and column names are checked against the introspected schemas and quoted;
 * expressions are parsed by a small grammar (column names, literals and a fixed list of functions)
 * and evaluated in the worker; filters are structured. The one piece of SQL a mapping may carry is
 * a query source: a single SELECT (see `queryProblem`; the data engine's `sourceQueryProblem` also
 * parses it and allows only side-effect-free functions), read as a derived table, each read in a
 * READ ONLY transaction with a statement timeout.
 */
export interface DataMigrationParameters {
  /** PostgreSQL schema of the new product's tables in the target (default `public`). */
  targetSchema?: string;
  mappings: MigrationMapping[];
  /** Rows a rehearsal may reject and still pass (default 0). */
  maxRejectedRows?: number;
  chunkRows?: number;
  /** Longest a single read of the source may run (default 300 s); guards query sources above all. */
  sourceStatementTimeoutSeconds?: number;
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
  /** Where the rows come from, optionally filtered; the source key orders and checkpoints the load. */
  source: MigrationSource;
  columns: MigrationColumnRule[];
}

/** A source table: its primary or NOT NULL unique key orders the load. */
export interface MigrationTableSource {
  table: string;
  filter?: MigrationFilter[];
}

/**
 * A query over the old product (joins, aggregates), read in chunks as `SELECT … FROM (query) WHERE
 * key > last ORDER BY key`: `key` names result columns that are unique and never null (checked at
 * assessment), and should be indexable through the query for chunks to stay cheap.
 */
export interface MigrationQuerySource {
  query: string;
  key: string[];
  filter?: MigrationFilter[];
}

export type MigrationSource = MigrationTableSource | MigrationQuerySource;

export const isQuerySource = (s: MigrationSource): s is MigrationQuerySource => 'query' in s && typeof s.query === 'string';

/** How a mapping's source is named in reports and messages. */
export const sourceLabel = (m: MigrationMapping): string => (isQuerySource(m.source) ? `the query of mapping "${m.name}"` : m.source.table);

export const MAX_SOURCE_QUERY_LENGTH = 20_000;

/**
 * Why `sql` is not acceptable as a query source, or undefined. It must be one SELECT (or WITH …
 * SELECT) that cannot close the derived table it is wrapped in: parentheses balance and no `;`
 * outside literals. Constructs that engines lex differently (dollar quotes, backslash escapes,
 * `#`, `/*!` and nested comments, `--` without a space) are refused so that this check and every engine see the same tokens.
 */
export function queryProblem(sql: string): string | undefined {
  if (sql.length > MAX_SOURCE_QUERY_LENGTH) return `is longer than ${MAX_SOURCE_QUERY_LENGTH} characters`;
  if (sql.includes('\\')) return 'must not contain a backslash (engines disagree on its escaping)';
  let depth = 0;
  let code = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return `has an unterminated ${ch === "'" ? 'string' : 'quoted name'}`;
      i = end; // a doubled quote ('it''s') is two adjacent literals to this scan, which is equivalent
      code += ' ';
    } else if (ch === '-' && next === '-') {
      // MySQL reads `--` as a comment only before whitespace (`1--1` is arithmetic there).
      if (i + 2 < sql.length && !/\s/.test(sql[i + 2]!)) return 'must have a space after "--" in a comment';
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      code += ' ';
    } else if (ch === '/' && next === '*') {
      if (sql[i + 2] === '!') return 'must not contain /*! comments (MySQL runs them)';
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return 'has an unterminated comment';
      // PostgreSQL nests block comments, MySQL does not: refuse what they would end differently.
      if (sql.slice(i + 2, end).includes('/*')) return 'must not nest comments';
      i = end + 1;
      code += ' ';
    } else if (ch === ';') return 'must be a single statement without ";"';
    else if (ch === '$') return 'must not use $ outside quotes (dollar quoting or parameters)';
    else if (ch === '#') return 'must not use # outside quotes';
    else {
      if (ch === '(') depth++;
      if (ch === ')' && --depth < 0) return 'closes a parenthesis it did not open';
      code += ch;
    }
  }
  if (depth !== 0) return 'leaves a parenthesis open';
  if (!/^\s*(select|with)\b/i.test(code)) return 'must start with SELECT or WITH';
  return undefined;
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
  /** Alias of the shared `dropScratchDatabase`. */
  dropMigrationScratch(target: MigrationTarget & { database: string }): Promise<void>;
  snapshotSource(target: MigrationTarget): Promise<SourceSnapshot>;
  /** Loads one mapping in checkpointed chunks; resumes after a crash; heartbeats `MigrationHeartbeat`. */
  loadMapping(input: LoadMappingInput): Promise<MappingReconciliation>;
  reportMigrationRehearsal(
    facts: MigrationRunFacts & { revision: number; scratchDatabase: string },
  ): Promise<PhaseReportRef & { passed: boolean; failure?: string }>;
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
