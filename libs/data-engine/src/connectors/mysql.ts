import { createPool, type FieldPacket, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2';
import { mysqlCheckClause } from '../convert/views';
import { classifyDriverError } from '../errors';
import { quoteMysql } from '../identifiers';
import type { CanonicalKind, ColumnInfo, IndexInfo, KeyRange, SchemaInfo, SourceObject, TableInfo, TableRef } from '../model';
import {
  isIntegerColumn,
  describeRows,
  rangePredicate,
  type ChecksumAlgorithm,
  type IntrospectOptions,
  type QueryInfo,
  type KeyBuckets,
  type KeyOrdering,
  type RangeChecksum,
  type ReadColumn,
  type RowHash,
  type SourceConnector,
  type SourceSessionOptions,
} from './connector';
import { KeysetQueries } from './keyset';

const TEXTY = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

/** Canonical text of a value, as MySQL/MariaDB SQL (the counterpart of canonicalExprPg). */
export function canonicalExprMysql(e: string, kind: CanonicalKind, scale?: number): string {
  const notZeroDate = (fmt: string) => `(CASE WHEN MONTH(${e}) = 0 OR DAYOFMONTH(${e}) = 0 THEN NULL ELSE DATE_FORMAT(${e}, '${fmt}') END)`;
  switch (kind) {
    case 'int':
      return `CAST(${e} AS CHAR)`;
    case 'bool':
      return `(CASE WHEN ${e} IS NULL THEN NULL WHEN ${e} <> 0 THEN 't' ELSE 'f' END)`;
    case 'numeric':
      return scale ? `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(${e} AS CHAR)))` : `CAST(${e} AS CHAR)`;
    case 'float':
      return `CAST(${e} AS CHAR)`;
    case 'bytea':
      return `LOWER(HEX(${e}))`;
    case 'date':
      return notZeroDate('%Y-%m-%d');
    case 'timestamp':
    case 'timestamptz':
      return notZeroDate('%Y-%m-%d %H:%i:%s.%f');
    case 'time':
      return `TIME_FORMAT(${e}, '%H:%i:%s.%f')`;
    default:
      return `CONVERT(${e} USING utf8mb4)`;
  }
}

/**
 * MySQL / MariaDB through mysql2. Rows are read with `typeCast: false`, i.e. as the raw bytes of
 * the text protocol: numbers, decimals and dates stay text (no float, no Date), text stays UTF-8
 * bytes (so invalid sequences are visible), binary stays binary.
 */
export class MysqlConnector extends KeysetQueries implements SourceConnector {
  readonly engine = 'mysql' as const;
  protected readonly keyTextType = 'CHAR';
  private readonly pool: Pool;
  private readonly database: string;

  constructor(url: string, poolSize = 4, session: SourceSessionOptions = {}) {
    super();
    const u = new URL(url);
    this.database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    this.pool = createPool({
      uri: url,
      host: u.hostname.replace(/^\[(.*)\]$/, '$1'), // mysql2 would keep an IPv6 literal's brackets
      connectionLimit: poolSize,
      charset: 'utf8mb4',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      timezone: 'Z',
      connectTimeout: 15_000,
    });
    this.pool.on('connection', (c) => {
      c.query("SET time_zone = '+00:00'");
      if (session.readOnly) c.query('SET SESSION TRANSACTION READ ONLY');
      if (session.statementTimeoutMs) {
        // MariaDB and MySQL name the limit differently; the one a server lacks fails harmlessly.
        c.query(`SET SESSION max_statement_time = ${session.statementTimeoutMs / 1000}`, () => undefined);
        c.query(`SET SESSION max_execution_time = ${Math.round(session.statementTimeoutMs)}`, () => undefined);
      }
    });
  }

  quote(name: string): string {
    return quoteMysql(name);
  }

  protected table(ref: TableRef): string {
    return ref.query ? `(${ref.query}) AS q` : `${quoteMysql(ref.schema ?? this.database)}.${quoteMysql(ref.name)}`;
  }

  protected rows(sql: string, params: unknown[]): Promise<unknown[][]> {
    return this.query(sql, params);
  }

  async query(sql: string, params: unknown[] = [], rowsAsArray = true): Promise<unknown[][]> {
    try {
      const [rows] = await this.pool.promise().query<RowDataPacket[]>({ sql, values: params, rowsAsArray });
      return rows as unknown as unknown[][];
    } catch (err) {
      throw classifyDriverError(err, 'MySQL');
    }
  }

  async introspect(options: IntrospectOptions = {}): Promise<SchemaInfo> {
    const schema = options.schema ?? this.database;
    if (!schema) throw classifyDriverError({ code: 'ER_BAD_DB_ERROR', message: 'no database given' }, 'MySQL');
    const only = options.tables?.length ? new Set(options.tables) : null;
    const tables = (
      await this.query(
        `SELECT TABLE_NAME, CAST(COALESCE(TABLE_ROWS, 0) AS CHAR), CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS CHAR)
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
        [schema],
      )
    ).filter((t) => !only || only.has(String(t[0])));
    if (!tables.length && !(await this.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [schema])).length) {
      throw classifyDriverError({ code: 'ER_BAD_DB_ERROR', message: `database ${schema} does not exist` }, 'MySQL');
    }
    const cols = await this.query(
      `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, EXTRA, NUMERIC_PRECISION, NUMERIC_SCALE,
              CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, COLUMN_DEFAULT, GENERATION_EXPRESSION
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [schema],
    );
    const stats = await this.query(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? AND COLUMN_NAME IS NOT NULL ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      [schema],
    );
    const fks = await this.query(
      `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [schema],
    );
    // MariaDB's JSON is LONGTEXT with a json_valid() check: recognise it as JSON.
    const jsonCols = new Set<string>();
    const checks = new Map<string, NonNullable<TableInfo['checks']>>();
    for (const [tname, clause, cname, enforced] of await this.checkConstraints(schema)) {
      const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(clause).trim());
      if (m) jsonCols.add(`${tname}.${m[1]!.replace(/``/g, '`')}`);
      else
        checks.set(tname!, [
          ...(checks.get(tname!) ?? []),
          { name: String(cname), clause: mysqlCheckClause(String(clause), enforced !== 'MariaDB'), ...(enforced === 'NO' ? { enforced: false } : {}) },
        ]);
    }
    const out: TableInfo[] = [];
    for (const [name, est, size] of tables as string[][]) {
      const info: TableInfo = {
        ref: { schema, name: name! },
        columns: [],
        primaryKey: [],
        uniqueKeys: [],
        foreignKeys: [],
        indexes: [],
        rowCount: Number(est),
        rowCountExact: false,
        sizeBytes: Number(size),
        ...(checks.has(name!) ? { checks: checks.get(name!) } : {}),
      };
      for (const c of cols.filter((c) => c[0] === name) as (string | null)[][]) {
        const extra = String(c[5] ?? '').toLowerCase();
        if (/generated|virtual|persistent/.test(extra)) {
          (info.generatedColumns ??= []).push({ name: String(c[1]), expression: String(c[11] ?? '') });
          continue;
        }
        const columnType = String(c[2]);
        const col: ColumnInfo = {
          name: String(c[1]),
          nativeType: columnType.toLowerCase(),
          baseType: String(c[3]).toLowerCase(),
          nullable: c[4] === 'YES',
          unsigned: /unsigned/i.test(columnType),
          identity: extra.includes('auto_increment'),
          onUpdateNow: /on update current_timestamp/.test(extra) || undefined,
          defaultExpr: c[10] === null || c[10] === 'NULL' ? null : String(c[10]),
        };
        if (c[6] !== null) col.precision = Number(c[6]);
        if (c[7] !== null) col.scale = Number(c[7]);
        if (c[8] !== null) col.length = Number(c[8]);
        if (c[9] !== null) col.fsp = Number(c[9]);
        if (col.baseType === 'enum' || col.baseType === 'set') col.members = parseMembers(columnType);
        if (jsonCols.has(`${name}.${col.name}`)) col.baseType = 'json';
        info.columns.push(col);
      }
      const byIndex = new Map<string, { unique: boolean; columns: string[]; kind?: IndexInfo['kind'] }>();
      for (const s of stats.filter((s) => s[0] === name) as string[][]) {
        const type = String(s[4]).toUpperCase();
        const e = byIndex.get(s[1]!) ?? {
          unique: String(s[2]) === '0',
          columns: [],
          kind: type === 'FULLTEXT' ? 'fulltext' : type === 'SPATIAL' ? 'spatial' : undefined,
        };
        e.columns.push(s[3]!);
        byIndex.set(s[1]!, e);
      }
      for (const [iname, e] of byIndex) {
        if (iname === 'PRIMARY') info.primaryKey = e.columns;
        else if (e.unique) info.uniqueKeys.push({ name: iname, columns: e.columns });
        else info.indexes.push({ name: iname, unique: false, columns: e.columns, ...(e.kind ? { kind: e.kind } : {}) });
      }
      const byFk = new Map<string, TableInfo['foreignKeys'][number]>();
      for (const f of fks.filter((f) => f[0] === name) as string[][]) {
        const e = byFk.get(f[1]!) ?? {
          name: f[1]!,
          columns: [],
          references: { schema: f[3]!, name: f[4]! },
          referencedColumns: [],
          onDelete: f[6],
          onUpdate: f[7],
        };
        e.columns.push(f[2]!);
        e.referencedColumns.push(f[5]!);
        byFk.set(f[1]!, e);
      }
      info.foreignKeys = [...byFk.values()];
      if (options.exactCounts) {
        // One scan: the row count and, per NOT NULL date/time column, its zero dates (they decide whether NOT NULL can stay).
        const dated = info.columns.filter((c) => !c.nullable && ['date', 'datetime', 'timestamp'].includes(c.baseType));
        const zero = (c: ColumnInfo) =>
          `CAST(COALESCE(SUM(CASE WHEN MONTH(${quoteMysql(c.name)}) = 0 OR DAYOFMONTH(${quoteMysql(c.name)}) = 0 THEN 1 ELSE 0 END), 0) AS CHAR)`;
        const [r] = await this.query(`SELECT CAST(COUNT(*) AS CHAR)${dated.map((c) => `, ${zero(c)}`).join('')} FROM ${this.table(info.ref)}`);
        info.rowCount = Number(r![0]);
        info.rowCountExact = true;
        dated.forEach((c, i) => (c.zeroDates = Number(r![i + 1])));
      }
      out.push(info);
    }
    return { engine: 'mysql', schema, tables: out, objects: await this.objects(schema) };
  }

  /** Views, triggers, routines and events of the database, with their source text. */
  private async objects(schema: string): Promise<SourceObject[]> {
    const out: SourceObject[] = [];
    const read = async (sql: string, map: (r: string[]) => SourceObject) => {
      try {
        for (const r of (await this.query(sql, [schema])) as string[][]) out.push(map(r.map((v) => (v === null ? '' : String(v)))));
      } catch {
        // a server without the table (or the right to read it) inventories the rest
      }
    };
    await read(`SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`, ([n, d]) => ({
      kind: 'view',
      name: n!,
      definition: d!,
    }));
    await read(
      `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY TRIGGER_NAME`,
      ([n, t, timing, ev, body]) => ({
        kind: 'trigger',
        name: n!,
        table: t!,
        timing,
        event: ev,
        body,
        definition: `CREATE TRIGGER ${quoteMysql(n!)} ${timing} ${ev} ON ${quoteMysql(t!)} FOR EACH ROW ${body}`,
      }),
    );
    await read(
      `SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME`,
      ([n, type, body]) => ({ kind: type === 'FUNCTION' ? 'function' : 'procedure', name: n!, definition: body! }),
    );
    await read(`SELECT EVENT_NAME, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME`, ([n, d]) => ({
      kind: 'event',
      name: n!,
      definition: d!,
    }));
    // The full CREATE statement where the server shows it (parameters, return type).
    for (const o of out.filter((o) => o.kind === 'procedure' || o.kind === 'function')) {
      try {
        const [r] = (await this.query(`SHOW CREATE ${o.kind.toUpperCase()} ${quoteMysql(schema)}.${quoteMysql(o.name)}`)) as string[][];
        if (r?.[2]) o.definition = String(r[2]);
      } catch {
        // keep the body
      }
    }
    return out;
  }

  async countRows(table: TableRef): Promise<number> {
    const [r] = await this.query(`SELECT CAST(COUNT(*) AS CHAR) FROM ${this.table(table)}`);
    return Number(r![0]);
  }

  async describeQuery(table: TableRef, key: string[], scan: boolean): Promise<QueryInfo> {
    let fields: FieldPacket[];
    try {
      [, fields] = await this.pool.promise().query({ sql: `SELECT * FROM ${this.table(table)} LIMIT 0` });
    } catch (err) {
      throw classifyDriverError(err, 'MySQL');
    }
    const columns = fields.map((f): ColumnInfo => {
      const baseType = f.columnType !== undefined ? mysqlBaseType(f.columnType, f.characterSet) : 'varchar';
      const unsigned = ((f.flags as number) & 32) !== 0;
      return {
        name: f.name,
        nativeType: `${baseType}${unsigned ? ' unsigned' : ''}`,
        baseType,
        nullable: true,
        identity: false,
        unsigned,
        scale: baseType === 'decimal' ? f.decimals : undefined,
      };
    });
    return describeRows(columns, scan, (sql) => this.query(sql), this.table(table), key, quoteMysql);
  }

  protected keyExprs(key: ColumnInfo[], ordering: KeyOrdering): string[] {
    return key.map((k) => (ordering === 'binary' && TEXTY.has(k.baseType) ? `CAST(${quoteMysql(k.name)} AS BINARY)` : quoteMysql(k.name)));
  }

  protected where(key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering, params: unknown[]): string {
    return rangePredicate(
      this.keyExprs(key, ordering),
      range,
      (i, v) => {
        params.push(v);
        const k = key[i]!;
        if (isIntegerColumn(k)) return k.unsigned ? 'CAST(? AS UNSIGNED)' : 'CAST(? AS SIGNED)';
        if (k.baseType === 'decimal') return `CAST(? AS DECIMAL(65,${k.scale ?? 0}))`;
        if (ordering === 'binary' && TEXTY.has(k.baseType)) return 'CAST(? AS BINARY)';
        return '?';
      },
      false,
    );
  }

  async *readRows(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], range: KeyRange): AsyncIterable<unknown[]> {
    const params: unknown[] = [];
    const sql = `SELECT ${columns.map(readExprMysql).join(', ')} FROM ${this.table(table)} WHERE ${this.where(key, range, 'native', params)}${key.length ? ` ORDER BY ${this.orderBy(key, 'native')}` : ''}`;
    let conn: PoolConnection;
    try {
      conn = await new Promise<PoolConnection>((res, rej) => this.pool.getConnection((e, c) => (e ? rej(e) : res(c))));
    } catch (err) {
      throw classifyDriverError(err, 'MySQL source');
    }
    let finished = false;
    const stream = conn.query({ sql, values: params, rowsAsArray: true, typeCast: false }).stream({ highWaterMark: 512 });
    try {
      for await (const row of stream) yield row as unknown[];
      finished = true;
    } catch (err) {
      throw classifyDriverError(err, 'MySQL source');
    } finally {
      if (finished) conn.release();
      else {
        stream.destroy();
        conn.destroy(); // a half-read result cannot be reused
      }
    }
  }

  private rowExpr(columns: ReadColumn[]): string {
    const parts = columns.map((c) => {
      const e = canonicalExprMysql(readExprMysql(c), c.kind, c.scale);
      return `COALESCE(CONCAT(CHAR_LENGTH(${e}), ':', ${e}), '~')`;
    });
    return `CONVERT(CONCAT_WS(',', ${parts.join(', ')}) USING utf8mb4)`;
  }

  /**
   * [table, clause, name, enforced] of every CHECK constraint: MariaDB names the table in
   * CHECK_CONSTRAINTS (its names are per table, so no join); MySQL 8.0.16+ only through
   * TABLE_CONSTRAINTS, which also says whether it is ENFORCED; MySQL 5.7 has none.
   */
  private async checkConstraints(schema: string): Promise<string[][]> {
    try {
      const rows = (await this.query(`SELECT TABLE_NAME, CHECK_CLAUSE, CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`, [
        schema,
      ])) as string[][];
      return rows.map((r) => [...r, 'MariaDB']);
    } catch {
      // MySQL: no TABLE_NAME column here
    }
    try {
      return (await this.query(
        `SELECT tc.TABLE_NAME, cc.CHECK_CLAUSE, cc.CONSTRAINT_NAME, tc.ENFORCED FROM information_schema.CHECK_CONSTRAINTS cc
           JOIN information_schema.TABLE_CONSTRAINTS tc
             ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
          WHERE cc.CONSTRAINT_SCHEMA = ?`,
        [schema],
      )) as string[][];
    } catch {
      return []; // MySQL 5.7: no CHECK_CONSTRAINTS (and no enforced checks); its JSON type is reported as json anyway
    }
  }

  async checksum(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    _algorithm: ChecksumAlgorithm,
    ordering: KeyOrdering = 'native',
  ): Promise<RangeChecksum> {
    const params: unknown[] = [];
    const [r] = await this.query(
      `SELECT CAST(COUNT(*) AS CHAR), CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(${this.rowExpr(columns)}), 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR)
         FROM ${this.table(table)} WHERE ${this.where(key, range, ordering, params)}`,
      params,
    );
    return { rows: Number(r![0]), sum: String(r![1]) };
  }

  async bucketChecksums(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo,
    buckets: KeyBuckets,
    _algorithm: ChecksumAlgorithm,
    range?: KeyRange,
  ): Promise<Map<number, RangeChecksum>> {
    const dec = (e: string) => `CAST(${e} AS DECIMAL(65,0))`;
    const params: unknown[] = [buckets.lo.toString(), buckets.width.toString()];
    const where = range ? ` WHERE ${this.where([key], range, 'native', params)}` : '';
    const rows = await this.query(
      `SELECT CAST(LEAST(GREATEST((${dec(quoteMysql(key.name))} - ${dec('?')}) DIV ${dec('?')}, 0), ${buckets.count - 1}) AS CHAR), CAST(COUNT(*) AS CHAR),
              CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(${this.rowExpr(columns)}), 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR)
         FROM ${this.table(table)}${where} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [Number(r[0]), { rows: Number(r[1]), sum: String(r[2]) }]));
  }

  async rowHashes(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    _algorithm: ChecksumAlgorithm,
    ordering: KeyOrdering = 'native',
  ): Promise<RowHash[]> {
    const params: unknown[] = [];
    const rows = await this.query(
      `SELECT MD5(${this.rowExpr(columns)})${key.length ? `, ${this.keyText(key)}` : ''} FROM ${this.table(table)} WHERE ${this.where(key, range, ordering, params)}${key.length ? ` ORDER BY ${this.orderBy(key, ordering)}` : ''}`,
      params,
    );
    return rows.map((r) => ({ hash: String(r[0]), key: r.slice(1).map(String) }));
  }

  async close(): Promise<void> {
    await new Promise<void>((res) => this.pool.end(() => res()));
  }
}

/**
 * How a column is read: as is, or spatial values as the text PostgreSQL's geometric types take
 * (`(x,y)`, `[(x,y),…]`, `((x,y),…)`) or as WKT. Verification reads the same expression, so it
 * compares what was loaded with what the source holds.
 */
export function readExprMysql(column: Pick<ReadColumn, 'source' | 'target'>): string {
  const q = quoteMysql(column.source.name);
  const wkt = `ST_AsText(${q})`;
  // The coordinate list inside `PREFIX(` … `)`: "x y,x y" → "(x,y),(x,y)"
  const points = (prefix: number, suffix: number) =>
    `CONCAT('(', REPLACE(REPLACE(SUBSTRING(${wkt}, ${prefix + 1}, CHAR_LENGTH(${wkt}) - ${prefix + suffix}), ',', '),('), ' ', ','), ')')`;
  switch (column.target?.sourceRead) {
    case 'wkt':
      return wkt;
    case 'point':
      return `CONCAT('(', ST_X(${q}), ',', ST_Y(${q}), ')')`;
    case 'path':
      return `CONCAT('[', ${points('LINESTRING('.length, 1)}, ']')`;
    case 'polygon':
      return `CONCAT('(', ${points('POLYGON(('.length, 2)}, ')')`;
    default:
      return q;
  }
}

/** A result column's protocol type as the base type name introspection would give (binary charset 63 = bytes). */
function mysqlBaseType(columnType: number, characterSet: number | undefined): string {
  const byCode: Record<number, string> = {
    0: 'decimal',
    246: 'decimal',
    1: 'tinyint',
    2: 'smallint',
    9: 'mediumint',
    3: 'int',
    8: 'bigint',
    4: 'float',
    5: 'double',
    7: 'timestamp',
    10: 'date',
    11: 'time',
    12: 'datetime',
    13: 'year',
    16: 'bit',
    245: 'json',
    247: 'enum',
    248: 'set',
    255: 'geometry',
  };
  return byCode[columnType] ?? (characterSet === 63 ? 'blob' : 'varchar');
}

/** `enum('a','it''s')` → ['a', "it's"] */
function parseMembers(columnType: string): string[] {
  const body = columnType.slice(columnType.indexOf('(') + 1, columnType.lastIndexOf(')'));
  const out: string[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) out.push(m[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  return out;
}
