import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { pgLiteral, targetName, type IdentifierCase } from '../identifiers';
import type { CanonicalKind, ColumnInfo, Engine, TableInfo, TargetColumn } from '../model';

/**
 * Casting rules to PostgreSQL, one function per source engine. CASTING.md documents them; keep
 * the two in step. A type without a rule fails the plan with `UnsupportedType` (non-retryable):
 * guessing would load data that later fails verification.
 */
export function mapColumn(engine: Engine, table: TableInfo, sourceColumn: ColumnInfo, naming: IdentifierCase, control: ColumnControl = {}): TargetColumn {
  const base = {
    name: control.rename ?? targetName(sourceColumn.name, naming),
    sourceName: sourceColumn.name,
    nullable: sourceColumn.nullable,
    identity: sourceColumn.identity,
  };
  if (control.type !== undefined) {
    const o = engine === 'mysql' ? spatialType(sourceColumn, control.type) : null;
    if (!o) {
      throw new DeliveryError(
        DeliveryFailureType.InvalidParameters,
        `Column ${table.ref.name}.${sourceColumn.name} (${sourceColumn.nativeType}) cannot be converted to ${control.type}: columnTypes converts MySQL spatial columns to ${SPATIAL_TARGETS.join(', ')} (see CASTING.md).`,
        { table: table.ref.name, column: sourceColumn.name, type: sourceColumn.nativeType },
      );
    }
    return { ...base, ...o };
  }
  const m = engine === 'mysql' ? mysqlType(sourceColumn) : engine === 'sqlite' ? sqliteType(sourceColumn) : postgresType(sourceColumn);
  if (!m) {
    throw new DeliveryError(
      DeliveryFailureType.UnsupportedType,
      `Column ${table.ref.name}.${sourceColumn.name} has type ${sourceColumn.nativeType}, which has no PostgreSQL mapping yet: exclude the column/table from the plan or convert it at the source.`,
      { table: table.ref.name, column: sourceColumn.name, type: sourceColumn.nativeType },
    );
  }
  const col: TargetColumn = { ...base, ...m };
  // MySQL zero dates load as NULL, so a column holding them cannot stay NOT NULL; one counted
  // free of them (introspection with exact counts) keeps it.
  if (engine === 'mysql' && (m.kind === 'date' || m.kind === 'timestamp' || m.kind === 'timestamptz') && !sourceColumn.nullable) {
    if (sourceColumn.zeroDates === 0) col.rule += '; NOT NULL kept (no zero dates)';
    else {
      col.nullable = true;
      col.rule +=
        sourceColumn.zeroDates === undefined
          ? '; NOT NULL dropped (zero dates not counted)'
          : `; NOT NULL dropped: ${sourceColumn.zeroDates} zero date(s) load as NULL`;
    }
  }
  if (engine === 'mysql' && sourceColumn.onUpdateNow && (m.kind === 'timestamp' || m.kind === 'timestamptz')) {
    col.onUpdateNow = true;
    col.rule += '; ON UPDATE CURRENT_TIMESTAMP → BEFORE UPDATE trigger';
  }
  if (col.identity && m.kind !== 'int') col.identity = false;
  if (!col.identity && sourceColumn.defaultExpr !== undefined && sourceColumn.defaultExpr !== null) {
    const d = portableDefault(engine, sourceColumn.defaultExpr, m.kind);
    if (d !== undefined) col.defaultSql = d;
  }
  return col;
}

type Mapped = { pgType: string; kind: CanonicalKind; rule: string; scale?: number; checkIn?: string[]; sourceRead?: TargetColumn['sourceRead'] };

/** Per-column control from the conversion parameters: a target type override and a target name. */
export interface ColumnControl {
  type?: string;
  rename?: string;
}

export const SPATIAL_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);
/** Targets `columnTypes` may name for a spatial column. */
export const SPATIAL_TARGETS = ['point', 'path', 'polygon', 'text'] as const;

/**
 * MySQL spatial column → PostgreSQL: `text` holds the WKT of any value; `point`, `path`, `polygon`
 * take a column of that shape (or a GEOMETRY column the manager knows holds only that shape).
 */
export function spatialType(column: ColumnInfo, target: string): Mapped | null {
  const t = column.baseType;
  if (!SPATIAL_TYPES.has(t)) return null;
  switch (target) {
    case 'text':
      return { pgType: 'text', kind: 'text', sourceRead: 'wkt', rule: `${t} → text (WKT, read with ST_AsText)` };
    case 'point':
      return t === 'point' || t === 'geometry' ? { pgType: 'point', kind: 'text', sourceRead: 'point', rule: `${t} → point (x, y; SRID dropped)` } : null;
    case 'path':
      return t === 'linestring' || t === 'geometry' ? { pgType: 'path', kind: 'text', sourceRead: 'path', rule: `${t} → path (open; SRID dropped)` } : null;
    case 'polygon':
      return t === 'polygon' || t === 'geometry'
        ? { pgType: 'polygon', kind: 'text', sourceRead: 'polygon', rule: `${t} → polygon (outer ring; a polygon with holes is rejected; SRID dropped)` }
        : null;
    default:
      return null;
  }
}

function mysqlType(column: ColumnInfo): Mapped | null {
  const t = column.baseType;
  const u = !!column.unsigned;
  const fsp = column.fsp ?? 0;
  switch (t) {
    case 'tinyint':
      if (/^tinyint\(1\)/.test(column.nativeType)) return { pgType: 'boolean', kind: 'bool', rule: 'tinyint(1) → boolean (0 → false, any other value → true)' };
      return { pgType: 'smallint', kind: 'int', rule: `tinyint${u ? ' unsigned' : ''} → smallint` };
    case 'smallint':
      return u
        ? { pgType: 'integer', kind: 'int', rule: 'smallint unsigned → integer (widened)' }
        : { pgType: 'smallint', kind: 'int', rule: 'smallint → smallint' };
    case 'mediumint':
      return { pgType: 'integer', kind: 'int', rule: 'mediumint → integer' };
    case 'int':
    case 'integer':
      return u ? { pgType: 'bigint', kind: 'int', rule: 'int unsigned → bigint (widened)' } : { pgType: 'integer', kind: 'int', rule: 'int → integer' };
    case 'bigint':
      return u
        ? { pgType: 'numeric(20,0)', kind: 'numeric', scale: 0, rule: 'bigint unsigned → numeric(20,0) (widened: values above 2^63 exist)' }
        : { pgType: 'bigint', kind: 'int', rule: 'bigint → bigint' };
    case 'decimal':
    case 'numeric':
      return {
        pgType: `numeric(${column.precision ?? 10},${column.scale ?? 0})`,
        kind: 'numeric',
        scale: column.scale ?? 0,
        rule: 'decimal(p,s) → numeric(p,s)',
      };
    case 'float':
      return { pgType: 'real', kind: 'float', rule: 'float → real' };
    case 'double':
    case 'real':
      return { pgType: 'double precision', kind: 'float', rule: 'double → double precision' };
    case 'year':
      return { pgType: 'smallint', kind: 'int', rule: 'year → smallint' };
    case 'date':
      return { pgType: 'date', kind: 'date', rule: 'date → date; zero dates → NULL (counted)' };
    case 'datetime':
      return { pgType: `timestamp(${fsp}) without time zone`, kind: 'timestamp', rule: 'datetime(n) → timestamp(n); zero dates → NULL (counted)' };
    case 'timestamp':
      return {
        pgType: `timestamp(${fsp}) with time zone`,
        kind: 'timestamptz',
        rule: 'timestamp(n) → timestamptz(n) (read in UTC); zero dates → NULL (counted)',
      };
    case 'time':
      return { pgType: `time(${fsp}) without time zone`, kind: 'time', rule: 'time → time; negative or ≥ 24h durations rejected' };
    case 'char':
      return { pgType: `char(${column.length ?? 1})`, kind: 'text', rule: 'char(n) → char(n)' };
    case 'varchar':
      return { pgType: `varchar(${column.length ?? 255})`, kind: 'text', rule: 'varchar(n) → varchar(n)' };
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return { pgType: 'text', kind: 'text', rule: `${t} → text` };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { pgType: 'bytea', kind: 'bytea', rule: `${t} → bytea` };
    case 'enum':
      return { pgType: 'text', kind: 'text', checkIn: column.members ?? [], rule: 'enum → text with CHECK (value IN members); invalid empty value rejected' };
    case 'set':
      return { pgType: 'text[]', kind: 'textarray', rule: 'set → text[] (members in stored order)' };
    case 'json':
      return { pgType: 'json', kind: 'json', rule: 'json → json (text kept byte for byte; ALTER to jsonb after cutover if wanted)' };
    default:
      // Spatial: POINT keeps its geometry as a PostgreSQL point, anything else is kept as WKT text.
      return SPATIAL_TYPES.has(t) ? spatialType(column, t === 'point' ? 'point' : 'text') : null;
  }
}

/** SQLite type affinity rules (sqlite.org/datatype3.html §3.1), refined for names ERP schemas use. */
function sqliteType(column: ColumnInfo): Mapped | null {
  const t = column.nativeType.toUpperCase();
  if (column.identity) return { pgType: 'bigint', kind: 'int', rule: 'INTEGER PRIMARY KEY (rowid) → bigint identity' };
  if (/BOOL/.test(t)) return { pgType: 'boolean', kind: 'bool', rule: 'BOOLEAN → boolean (0/1; true/false text coerced, counted)' };
  if (/INT/.test(t))
    return { pgType: 'bigint', kind: 'int', rule: 'INT affinity → bigint (SQLite integers are 64-bit; integer-valued text/real coerced, counted)' };
  if (/^(DATETIME|TIMESTAMP)/.test(t))
    return { pgType: 'timestamp(6) without time zone', kind: 'timestamp', rule: 'DATETIME → timestamp (ISO text, or integer Unix seconds, counted)' };
  if (/^DATE/.test(t)) return { pgType: 'date', kind: 'date', rule: 'DATE → date (ISO text, or integer Unix seconds, counted)' };
  if (/^TIME/.test(t)) return { pgType: 'time(6) without time zone', kind: 'time', rule: 'TIME → time' };
  if (/CHAR|CLOB|TEXT/.test(t)) return { pgType: 'text', kind: 'text', rule: 'TEXT affinity → text (SQLite does not enforce lengths)' };
  if (/BLOB/.test(t) || t === '')
    return t === '' ? { pgType: 'text', kind: 'text', rule: 'no declared type → text' } : { pgType: 'bytea', kind: 'bytea', rule: 'BLOB → bytea' };
  if (/REAL|FLOA|DOUB/.test(t)) return { pgType: 'double precision', kind: 'float', rule: 'REAL affinity → double precision' };
  if (/JSON/.test(t)) return { pgType: 'json', kind: 'json', rule: 'JSON → json (validated)' };
  if (/DEC|NUM/.test(t)) {
    if (column.precision !== undefined)
      return {
        pgType: `numeric(${column.precision},${column.scale ?? 0})`,
        kind: 'numeric',
        scale: column.scale ?? 0,
        rule: 'NUMERIC(p,s) → numeric(p,s) (REAL values rounded to s like PostgreSQL input)',
      };
    return { pgType: 'numeric', kind: 'numeric', rule: 'NUMERIC → numeric' };
  }
  return { pgType: 'numeric', kind: 'numeric', rule: 'NUMERIC affinity (fallback) → numeric' };
}

const PG_KINDS: Record<string, CanonicalKind> = {
  int2: 'int',
  int4: 'int',
  int8: 'int',
  bool: 'bool',
  numeric: 'numeric',
  float4: 'float',
  float8: 'float',
  bytea: 'bytea',
  date: 'date',
  time: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  json: 'json',
  jsonb: 'json',
};

/** PostgreSQL → PostgreSQL keeps every built-in type as is. */
function postgresType(column: ColumnInfo): Mapped | null {
  if (column.baseType.startsWith('user:')) return null;
  return { pgType: column.nativeType, kind: PG_KINDS[column.baseType] ?? 'text', scale: column.scale, rule: 'same type' };
}

function portableDefault(engine: Engine, expr: string, kind: CanonicalKind): string | undefined {
  if (engine === 'postgres') return /nextval\(/i.test(expr) ? undefined : expr;
  const e = expr.trim();
  if (/^(current_timestamp|now)\s*(\(\s*\d*\s*\))?$/i.test(e)) return kind === 'timestamp' || kind === 'timestamptz' ? 'CURRENT_TIMESTAMP' : undefined;
  if (/^null$/i.test(e)) return undefined;
  const unq = /^'(.*)'$/s.exec(e)?.[1]?.replace(/''/g, "'") ?? e;
  if (kind === 'int' || kind === 'numeric' || kind === 'float') return /^-?\d+(\.\d+)?$/.test(unq) ? unq : undefined;
  if (kind === 'bool') return unq === '0' ? 'false' : /^\d+$/.test(unq) ? 'true' : undefined;
  if (kind === 'text') return pgLiteral(unq);
  // SET members: 'a,c' → '{a,c}' (members never hold commas, MySQL forbids it)
  if (kind === 'textarray')
    return pgLiteral(
      `{${
        unq === ''
          ? ''
          : unq
              .split(',')
              .map((m) => `"${m.replace(/["\\]/g, '\\$&')}"`)
              .join(',')
      }}`,
    );
  return undefined;
}
