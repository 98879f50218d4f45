import type { Readable } from 'node:stream';
import type { CanonicalKind, ColumnInfo, Engine, KeyRange, KeyTuple, SchemaInfo, TableRef, TargetColumn } from '../model';

/**
 * Guards for a connection that must only read (a migration's source): the session refuses writes
 * and every statement is cut off after `statementTimeoutMs`; on PostgreSQL every read is also its
 * own rolled-back `BEGIN READ ONLY` transaction (a query cannot switch that off). SQLite files are
 * always opened read-only; SQLite has no statement timeout.
 */
export interface SourceSessionOptions {
  readOnly?: boolean;
  statementTimeoutMs?: number;
}

/** What a query source returns: its columns (as the engine types them), rows and the health of the key it is read by. */
export interface QueryInfo {
  columns: ColumnInfo[];
  /** Absent when not scanned. */
  rowCount?: number;
  /** Absent when not scanned, or when a key column is not among `columns`. */
  keyHealth?: {
    /** Rows whose key has a NULL part: keyset reading would skip them. */
    nullKeys: number;
    /** Key values held by more than one row: keyset reading would split or skip them. */
    duplicateKeys: number;
  };
}

export interface IntrospectOptions {
  /** PostgreSQL schema or MySQL database; defaults to `public` / the URL's database. Ignored by SQLite. */
  schema?: string;
  /** Restrict to these tables (names as the source spells them). */
  tables?: string[];
  /** Run `count(*)` per table instead of trusting catalog estimates. */
  exactCounts?: boolean;
}

/** A column read for copy or verification, with the canonical kind its target column has. */
export interface ReadColumn {
  source: ColumnInfo;
  kind: CanonicalKind;
  /** Target numeric scale, used to canonicalise numbers converted from loosely typed sources. */
  scale?: number;
  /** The target column, for connectors that canonicalise in process by running the copy's converter. */
  target?: TargetColumn;
}

/**
 * `canonical-md5`: every value rendered in its engine-independent canonical text, rows hashed with
 * md5, the first 60 bits summed — computable in PostgreSQL, MySQL and (in process) SQLite.
 * `pg-record`: both sides are PostgreSQL with identical column types, so the row's own text form
 * and `hashtextextended` are enough and about twice as fast.
 */
export type ChecksumAlgorithm = 'canonical-md5' | 'pg-record' | 'pg-hash';

/**
 * `pg-hash` (PostgreSQL 14+ on both sides): `hash_record_extended` over the row, each column
 * hashed by its type's own hash function where equal hashes mean identical values (integers,
 * text under "C", bytea, timestamps, dates, uuid, fixed-scale numeric…), and over its text form
 * otherwise (floats, unconstrained numeric, json, arrays, user types…). About 3× cheaper than
 * hashing the row's text. The choice per column depends only on the plan's target type, so both
 * sides always hash the same way.
 */
export const HASH_EXACT_PG_TYPE =
  /^(bigint|integer|smallint|boolean|text|bytea|date|uuid|character varying(\(\d+\))?|character(\(\d+\))?|timestamp(\(\d\))? with(out)? time zone|time(\(\d\))? without time zone|numeric\(\d+(,\d+)?\))$/;

/** Checksums of integer-key buckets, see `SourceConnector.bucketChecksums`. */
export interface KeyBuckets {
  /** Bucket k holds keys lo + k·width <= key < lo + (k+1)·width; keys outside [lo, …) fall into the first or last bucket. */
  lo: bigint;
  width: bigint;
  count: number;
}

export interface RangeChecksum {
  rows: number;
  /** Decimal sum of per-row hashes; equal sums and counts = equal content (with overwhelming probability). */
  sum: string;
}

export interface RowHash {
  key: KeyTuple;
  hash: string;
}

/**
 * What the copy and verification code needs from a database. Adding an engine (SQL Server, Oracle,
 * a PostgreSQL-family database) means implementing this interface plus its casting rules in
 * `convert/casting.ts`; `copy.ts` and `verify.ts` do not change.
 *
 * Key ranges are `after < key <= upTo` in the engine's key order. `ordering: 'binary'` asks for
 * code-point order on text keys so that two different engines agree on which rows a range holds
 * (used by verification); copy uses the engine's native (index) order.
 */
export interface SourceConnector {
  readonly engine: Engine;
  quote(name: string): string;
  introspect(options?: IntrospectOptions): Promise<SchemaInfo>;
  /** Key of the `rows`-th row after `after` (or of the last row if fewer remain); null when none remain. */
  nextChunkBound(table: TableRef, key: ColumnInfo[], after: KeyTuple | null, rows: number, ordering?: KeyOrdering): Promise<KeyTuple | null>;
  /** Min and max key of a range, for arithmetic splitting of integer keys. */
  keyBounds(table: TableRef, key: ColumnInfo[], range: KeyRange, ordering?: KeyOrdering): Promise<{ min: KeyTuple; max: KeyTuple } | null>;
  /** Rows of a range in key order, values in `columns` order, as raw driver values (strings, bigint, Buffer, null). */
  readRows(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], range: KeyRange): AsyncIterable<unknown[]>;
  /** Same-engine fast path: the range as PostgreSQL COPY text, never parsed in JS. */
  copyOut?(table: TableRef, columns: ColumnInfo[], key: ColumnInfo[], range: KeyRange): Promise<CopyOutStream>;
  checksum(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    algorithm: ChecksumAlgorithm,
    ordering?: KeyOrdering,
  ): Promise<RangeChecksum>;
  rowHashes(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    algorithm: ChecksumAlgorithm,
    ordering?: KeyOrdering,
  ): Promise<RowHash[]>;
  /**
   * Optional, single integer key only: count and checksum of every bucket in ONE scan of the table
   * (verification of a whole table without a range query per chunk; no index needed). Buckets
   * without rows are absent from the map; with `range`, only rows of that key range count (bisection). Null: not possible for this table (e.g. SQLite keys that are not all integers).
   */
  bucketChecksums?(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo,
    buckets: KeyBuckets,
    algorithm: ChecksumAlgorithm,
    range?: KeyRange,
  ): Promise<Map<number, RangeChecksum> | null>;
  /** A key splitting the range's rows about in half (bisection of a mismatch); null if the range holds < 2 rows. */
  splitPoint(table: TableRef, key: ColumnInfo[], range: KeyRange, rowsInRange: number, ordering?: KeyOrdering): Promise<KeyTuple | null>;
  countRows(table: TableRef): Promise<number>;
  /** Columns of a query source (`table.query`), and with `scan` its row count and key health (three scans); reads only. */
  describeQuery(table: TableRef, key: string[], scan: boolean): Promise<QueryInfo>;
  close(): Promise<void>;
}

export type KeyOrdering = 'native' | 'binary';

/**
 * With `scan`, the row count, NULL keys and duplicated keys of `from` (a derived table) in two
 * scans, in SQL every engine here reads alike; `run` returns rows as arrays.
 */
export async function describeRows(
  columns: ColumnInfo[],
  scan: boolean,
  run: (sql: string) => Promise<unknown[][]>,
  from: string,
  key: string[],
  quote: (n: string) => string,
): Promise<QueryInfo> {
  if (!scan) return { columns };
  const k = key.map(quote);
  const hasKey = key.length > 0 && key.every((name) => columns.some((c) => c.name === name));
  const [counts] = await run(`SELECT count(*)${hasKey ? `, sum(CASE WHEN ${k.map((c) => `${c} IS NULL`).join(' OR ')} THEN 1 ELSE 0 END)` : ''} FROM ${from}`);
  const rowCount = Number(counts![0]);
  if (!hasKey) return { columns, rowCount };
  const [dups] = await run(
    `SELECT count(*) FROM (SELECT ${k.join(', ')} FROM ${from} WHERE ${k.map((c) => `${c} IS NOT NULL`).join(' AND ')} GROUP BY ${k.join(', ')} HAVING count(*) > 1) d`,
  );
  return { columns, rowCount, keyHealth: { nullKeys: Number(counts![1] ?? 0), duplicateKeys: Number(dups![0]) } };
}

export interface CopyOutStream {
  stream: Readable;
  /** Releases the connection once the stream ended or failed; with an error (stopped mid-COPY) the connection is discarded. */
  done(error?: Error): Promise<void>;
}

const INT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'int2', 'int4', 'int8', 'serial', 'bigserial', 'smallserial']);
export function isIntegerColumn(column: ColumnInfo): boolean {
  return INT_TYPES.has(column.baseType) || (column.baseType.includes('int') && !column.baseType.includes('point') && !column.baseType.includes('interval'));
}

/** floor((lo + hi) / 2): lo <= mid < hi, so both halves of the split hold a row. */
export function floorMid(lo: bigint, hi: bigint): bigint {
  const s = lo + hi;
  return s / 2n - (s < 0n && s % 2n !== 0n ? 1n : 0n);
}

/** A single integer key splitting [min, max] by value into two halves that both hold a key; null when min = max. */
export function integerMidpoint(bounds: { min: KeyTuple; max: KeyTuple } | null): KeyTuple | null {
  if (!bounds) return null;
  const lo = BigInt(bounds.min[0]!),
    hi = BigInt(bounds.max[0]!);
  return hi <= lo ? null : [floorMid(lo, hi).toString()];
}

/**
 * `after < key <= upTo` for a (possibly composite) key. `rowValues` engines (PostgreSQL, SQLite)
 * get row comparisons; MySQL gets the expanded lexicographic form its range optimiser handles.
 */
export function rangePredicate(keyExprs: string[], range: KeyRange, param: (keyIndex: number, value: string) => string, rowValues: boolean): string {
  const parts: string[] = [];
  const cmp = (op: '>' | '<=', values: KeyTuple) => {
    if (values.length !== keyExprs.length) throw new Error(`key tuple has ${values.length} values for ${keyExprs.length} key columns`);
    if (keyExprs.length === 1) return `${keyExprs[0]} ${op} ${param(0, values[0]!)}`;
    if (rowValues) return `(${keyExprs.join(', ')}) ${op} (${values.map((v, i) => param(i, v)).join(', ')})`;
    // (a,b,c) > (x,y,z)  ==  a>x OR (a=x AND (b>y OR (b=y AND c>z)));  <= uses < and a final <=
    const strict = op === '>' ? '>' : '<';
    // Positional placeholders: every use of a value gets its own parameter, in text order.
    const build = (i: number): string => {
      if (i === keyExprs.length - 1) return `${keyExprs[i]} ${op} ${param(i, values[i]!)}`;
      const a = param(i, values[i]!);
      const b = param(i, values[i]!);
      return `(${keyExprs[i]} ${strict} ${a} OR (${keyExprs[i]} = ${b} AND ${build(i + 1)}))`;
    };
    return build(0);
  };
  if (range.after) parts.push(cmp('>', range.after));
  if (range.upTo) parts.push(cmp('<=', range.upTo));
  return parts.length ? parts.join(' AND ') : 'TRUE';
}
