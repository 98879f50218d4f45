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
  | { engine: 'postgres'; url: string; tlsServerName?: string }
  | { engine: 'mysql'; url: string }
  | { engine: 'sqlite'; path: string };

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
}

export interface SchemaInfo {
  engine: Engine;
  schema?: string;
  tables: TableInfo[];
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
export type CanonicalKind =
  | 'int'
  | 'bool'
  | 'numeric'
  | 'float'
  | 'text'
  | 'bytea'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'textarray'
  | 'json';

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
}

export interface CopyPlan {
  jobId: string;
  sourceEngine: Engine;
  targetSchema: string;
  tables: TablePlan[];
  /** Tables that take part in FK cycles; their constraints are added after all data anyway. */
  cycles: string[][];
  warnings: string[];
}
