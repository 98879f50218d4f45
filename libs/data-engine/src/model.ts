/** Engines the data engine can read from. PostgreSQL is also the (only) target. */
export type Engine = 'postgres' | 'mysql' | 'sqlite';

/**
 * How to reach a database. Resolved from an environment ID by the caller; never logged, never put
 * in a Temporal payload (it may hold a password).
 */
/**
 * A PostgreSQL server: its URL, and when the URL's host is an IP address that TLS must verify
 * against a name, that name (the URL then carries no sslmode: TLS is on, the certificate checked).
 */
export type PgAddress = string | { url: string; tlsServerName?: string };

export type ConnectionSettings =
  { engine: 'postgres'; url: string; tlsServerName?: string } | { engine: 'mysql'; url: string } | { engine: 'sqlite'; path: string };

export interface TableRef {
  /** PostgreSQL schema, MySQL database; undefined for SQLite (main). */
  schema?: string;
  /** The table's name, or for a query the label messages use. */
  name: string;
  /** A single SELECT read in place of a table, as a derived table (vetted by the caller: `queryProblem` in contracts, `sourceQueryProblem`). */
  query?: string;
}

export interface ColumnInfo {
  name: string;
  /** The type as the source engine spells it, e.g. `tinyint(1) unsigned`, `numeric(10,2)`, `NVARCHAR(160)`. */
  nativeType: string;
  /** Lower-case base type name without modifiers: `tinyint`, `numeric`, `nvarchar`. */
  baseType: string;
  nullable: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  unsigned?: boolean;
  /** MySQL enum/set members, in declaration order. */
  members?: string[];
  /** Identity / auto-increment / rowid alias: the target gets an identity and its sequence is moved past max. */
  identity: boolean;
  /** Default expression as the source spells it (only copied where the mapping knows it is portable). */
  defaultExpr?: string | null;
  /** Fractional-second digits of temporal types. */
  fsp?: number;
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`: becomes a BEFORE UPDATE trigger on the target. */
  onUpdateNow?: boolean;
  /** MySQL zero dates (month or day 0) in a NOT NULL date/time column, counted with `exactCounts`: 0 keeps NOT NULL. */
  zeroDates?: number;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  references: TableRef;
  referencedColumns: string[];
  onDelete?: string;
  onUpdate?: string;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  /** MySQL FULLTEXT (→ GIN over to_tsvector) and SPATIAL (→ GiST on point) indexes; absent = btree. */
  kind?: 'fulltext' | 'spatial';
}

export interface TableInfo {
  ref: TableRef;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Unique keys other than the primary key. */
  uniqueKeys: { name: string; columns: string[] }[];
  foreignKeys: ForeignKeyInfo[];
  /** Non-unique and unique indexes that are not the primary key or a unique constraint. */
  indexes: IndexInfo[];
  /** Exact `count(*)` when `exactCounts` was asked for, otherwise the catalog's estimate. */
  rowCount: number;
  rowCountExact: boolean;
  sizeBytes: number;
  /** CHECK constraints (MariaDB, MySQL 8.0.16+), clause unescaped and without charset introducers; `enforced: false` = MySQL NOT ENFORCED. */
  checks?: { name: string; clause: string; enforced?: boolean }[];
  /** Generated (virtual/stored) columns: not copied, listed with their expression. */
  generatedColumns?: { name: string; expression: string }[];
}

/** A source object other than a table: converted where a sound translation exists, otherwise listed with its text. */
export interface SourceObject {
  kind: 'view' | 'trigger' | 'procedure' | 'function' | 'event';
  name: string;
  /** The table a trigger belongs to. */
  table?: string;
  /** Its definition as the source stores it (view SELECT, trigger/routine/event body). */
  definition: string;
  /** Triggers: BEFORE/AFTER, INSERT/UPDATE/DELETE and the statement alone. */
  timing?: string;
  event?: string;
  body?: string;
}

export interface SchemaInfo {
  engine: Engine;
  schema?: string;
  tables: TableInfo[];
  /** Views, triggers, routines and events (MySQL/MariaDB). */
  objects?: SourceObject[];
}

/** A key value tuple in its canonical text form (`null` = SQL NULL, never for key columns). */
export type KeyTuple = string[];

/** Rows with `after < key <= upTo`; `null` bounds are open. */
export interface KeyRange {
  after: KeyTuple | null;
  upTo: KeyTuple | null;
}

/**
 * Engine-independent canonical forms used by verification: both sides render every value as
 * this text, so a MySQL or SQLite source and a PostgreSQL target can be checksummed in their own
 * database and compared. See CASTING.md.
 */
export type CanonicalKind = 'int' | 'bool' | 'numeric' | 'float' | 'text' | 'bytea' | 'date' | 'time' | 'timestamp' | 'timestamptz' | 'textarray' | 'json';

/** A column of the PostgreSQL target, as mapped from a source column. */
export interface TargetColumn {
  name: string;
  sourceName: string;
  /** PostgreSQL type, e.g. `numeric(10,2)`, `timestamp(6) without time zone`. */
  pgType: string;
  kind: CanonicalKind;
  nullable: boolean;
  identity: boolean;
  defaultSql?: string;
  /** Enum members become a CHECK constraint. */
  checkIn?: string[];
  scale?: number;
  /** Human-readable note on the rule applied (shown in plans). */
  rule: string;
  /** Read through a source-side expression (MySQL spatial values as PostgreSQL geometric text or WKT). */
  sourceRead?: 'wkt' | 'point' | 'path' | 'polygon';
  /** Set to CURRENT_TIMESTAMP by a BEFORE UPDATE trigger (MySQL ON UPDATE CURRENT_TIMESTAMP). */
  onUpdateNow?: boolean;
}

export interface TablePlan {
  source: TableInfo;
  target: TableRef;
  columns: TargetColumn[];
  /** Columns (source names) that order and chunk the copy; empty = keyless, copied as one chunk. */
  keyColumns: string[];
  keySource: 'primary' | 'unique' | 'none';
  /** Position in the FK dependency order (parents first). */
  order: number;
  /** Source CHECK constraints translated to PostgreSQL, added after the data. */
  checks?: { name: string; sql: string }[];
  /** Source triggers that only set columns of the new row, as PL/pgSQL statements (function and trigger share `name`). */
  triggers?: { name: string; sourceName: string; timing: string; event: string; statements: string[] }[];
}

/** What became of one source object: the plan, assessment and acceptance reports list every one. */
export interface ObjectOutcome {
  object: string;
  kind: string;
  outcome: 'converted' | 'converted with a warning' | 'not converted';
  /** What it became, or why not. */
  detail: string;
  /** For objects not converted (or to check): what the manager has to do. */
  action?: string;
  /** The source text of what was not converted. */
  sourceText?: string;
}

/** A view translated to PostgreSQL, created after the data; `sql` absent when translation failed. */
export interface ViewPlan {
  name: string;
  sourceName: string;
  sql?: string;
  sourceText: string;
  error?: string;
}

export interface CopyPlan {
  jobId: string;
  sourceEngine: Engine;
  targetSchema: string;
  tables: TablePlan[];
  /** Tables that take part in FK cycles; their constraints are added after all data anyway. */
  cycles: string[][];
  warnings: string[];
  /** Views to create after the data (older plans have none). */
  views?: ViewPlan[];
  /** Every source object and what becomes of it. */
  objects?: ObjectOutcome[];
  /** Objects lost because something they depend on is excluded (foreign keys, views, indexes, triggers). */
  dependents?: string[];
}
