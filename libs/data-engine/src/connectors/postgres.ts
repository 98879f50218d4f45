import { Pool, type PoolClient, type PoolConfig, type QueryArrayConfig, type QueryResult } from 'pg';
import { leasePool, placeOfUrl, SHARED_POOL_IDLE, type PoolLease } from '@sdo/pg-kit';
import { to as copyTo } from 'pg-copy-streams';
import { classifyDriverError } from '../errors';
import { pgLiteral, quotePg } from '../identifiers';
import type { CanonicalKind, ColumnInfo, KeyRange, KeyTuple, PgAddress, SchemaInfo, TableInfo, TableRef } from '../model';
import {
  integerMidpoint,
  isIntegerColumn,
  describeRows,
  rangePredicate,
  type ChecksumAlgorithm,
  type CopyOutStream,
  HASH_EXACT_PG_TYPE,
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

/** Session settings that make COPY text and `::text` output independent of server defaults. */
const SESSION_OPTIONS = '-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex -c client_encoding=UTF8';

/** Every value arrives as the server's text: no JS Date, no float parsing, ever. */
const RAW_TYPES = { getTypeParser: () => (v: string) => v } as never;

/**
 * A pool for `address`, leased from the process's shared pools (pg-kit): an activity's pool is
 * kept, idle, for the next activity on the same database and settings; `release` hands it back.
 */
export function createPgPool(address: PgAddress, max = 4, session: SourceSessionOptions = {}): PoolLease {
  const guards = `${session.readOnly ? ' -c default_transaction_read_only=on' : ''}${session.statementTimeoutMs ? ` -c statement_timeout=${Math.round(session.statementTimeoutMs)}` : ''}`;
  const { url, tlsServerName } = typeof address === 'string' ? { url: address, tlsServerName: undefined } : address;
  const config: PoolConfig = {
    connectionString: url,
    ...(tlsServerName ? { ssl: { servername: tlsServerName } } : {}),
    max,
    options: SESSION_OPTIONS + guards,
    types: RAW_TYPES,
    connectionTimeoutMillis: 15_000,
    // Kept between activities: a DBA sees whose idle sessions these are.
    application_name: 'sdo-data-engine',
    ...SHARED_POOL_IDLE,
  };
  return leasePool(config, placeOfUrl(url), () => {
    const pool = new Pool(config);
    pool.on('error', () => undefined); // idle client errors surface on the next query instead of crashing the worker
    // A checked-out client has no pool listener: a session terminated between two queries (server
    // restart, pg_terminate_backend) would emit an unhandled 'error' and end the worker process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return pool;
  });
}

const TEXTY = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);

/** The canonical text of a value of a given kind, as SQL over expression `e` (see convert/canonical.ts). */
export function canonicalExprPg(e: string, kind: CanonicalKind): string {
  switch (kind) {
    case 'bool':
      return `(CASE ${e} WHEN true THEN 't' WHEN false THEN 'f' END)`;
    case 'numeric':
      return `trim_scale(${e})::text`;
    case 'bytea':
      return `encode(${e}, 'hex')`;
    case 'date':
      return `to_char(${e}, 'YYYY-MM-DD')`;
    case 'timestamp':
      return `to_char(${e}, 'YYYY-MM-DD HH24:MI:SS.US')`;
    case 'timestamptz':
      return `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`;
    case 'time':
      return `to_char(${e}::interval, 'HH24:MI:SS.US')`;
    case 'textarray':
      return `array_to_string(${e}, ',')`;
    // float8out text with the exponent spelled as MySQL/MariaDB do: 1e+300 → 1e300, 1e-07 → 1e-7
    case 'float':
      return `regexp_replace(replace(${e}::text, 'e+', 'e'), 'e(-?)0+([0-9])', 'e\\1\\2')`;
    default:
      return `${e}::text`;
  }
}

export class PostgresConnector implements SourceConnector {
  readonly engine = 'postgres' as const;
  readonly pool: Pool;
  private readonly lease: PoolLease;

  /**
   * With `readOnly`, every read runs in its own `BEGIN READ ONLY` transaction with the statement
   * timeout set by `SET LOCAL`, and is rolled back: a query cannot switch the mode off once the
   * transaction has run its first statement (a session default could be flipped by `set_config`).
   */
  private readonly begin: string | null;

  constructor(address: PgAddress, poolSize = 4, session: SourceSessionOptions = {}) {
    this.lease = createPgPool(address, poolSize, session);
    this.pool = this.lease.pool;
    this.begin = session.readOnly
      ? `BEGIN TRANSACTION READ ONLY${session.statementTimeoutMs ? `; SET LOCAL statement_timeout = ${Math.max(1, Math.round(session.statementTimeoutMs))}` : ''}`
      : null;
  }

  quote(name: string): string {
    return quotePg(name);
  }

  table(ref: TableRef): string {
    return ref.query ? `(${ref.query})` : `${quotePg(ref.schema ?? 'public')}.${quotePg(ref.name)}`;
  }

  /** The table with the alias every query here uses for it. */
  private from(ref: TableRef): string {
    return `${this.table(ref)} AS t`;
  }

  async query<T extends unknown[] = string[]>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.run(sql, params)).rows as T[];
    } catch (err) {
      throw classifyDriverError(err, 'PostgreSQL');
    }
  }

  /** One statement, sent through the extended protocol on a read-only session (it cannot carry a second one). */
  private async run(sql: string, params: unknown[]): Promise<QueryResult> {
    if (!this.begin) return this.pool.query({ text: sql, values: params, rowMode: 'array' });
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(this.begin);
      return await client.query({ text: sql, values: params, rowMode: 'array', queryMode: 'extended' } as QueryArrayConfig);
    } finally {
      await client.query('ROLLBACK').catch((err: Error) => (broken = err));
      client.release(broken);
    }
  }

  async introspect(options: IntrospectOptions = {}): Promise<SchemaInfo> {
    const schema = options.schema ?? 'public';
    const only = options.tables?.length ? options.tables : null;
    const tables = await this.query(
      `SELECT c.oid::text, c.relname, greatest(c.reltuples, 0)::bigint::text, pg_total_relation_size(c.oid)::text
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND ($2::text[] IS NULL OR c.relname = ANY($2))
        ORDER BY c.relname`,
      [schema, only],
    );
    if (!tables.length && !(await this.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length) {
      throw classifyDriverError({ code: '3F000', message: `schema "${schema}" does not exist` }, 'PostgreSQL');
    }
    const oids = tables.map((t) => t[0]);
    const cols = await this.query(
      `SELECT a.attrelid::text, a.attnum::text, a.attname, format_type(a.atttypid, a.atttypmod), t.typname, tn.nspname, a.attnotnull::text,
              (a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%')::text,
              pg_get_expr(d.adbin, d.adrelid), a.atttypmod::text, t.typtype
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY a.attrelid, a.attnum`,
      [oids],
    );
    const cons = await this.query(
      `SELECT c.conrelid::text, c.conname, c.contype,
              to_json((SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n))::text,
              fn.nspname, fc.relname,
              to_json((SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n))::text,
              c.confdeltype, c.confupdtype, c.conindid::text
         FROM pg_constraint c LEFT JOIN pg_class fc ON fc.oid = c.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'u', 'f')
        ORDER BY c.conrelid, c.conname`,
      [oids],
    );
    const idx = await this.query(
      `SELECT i.indrelid::text, ic.relname, i.indisunique::text,
              to_json((SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n))::text,
              (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)::text
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = ANY($1::oid[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p','u','x'))
        ORDER BY ic.relname`,
      [oids],
    );
    const fkAction = (a: string) => ({ a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' })[a] ?? 'NO ACTION';
    const out: TableInfo[] = [];
    for (const [oid, name, est, size] of tables) {
      const info: TableInfo = {
        ref: { schema, name: name! },
        columns: cols.filter((c) => c[0] === oid).map((c) => pgColumn(c)),
        primaryKey: [],
        uniqueKeys: [],
        foreignKeys: [],
        indexes: [],
        rowCount: Number(est),
        rowCountExact: false,
        sizeBytes: Number(size),
      };
      const names = (json: string | null | undefined): string[] => (json ? (JSON.parse(json) as string[]) : []);
      for (const c of cons.filter((k) => k[0] === oid)) {
        if (c[2] === 'p') info.primaryKey = names(c[3]);
        else if (c[2] === 'u') info.uniqueKeys.push({ name: c[1]!, columns: names(c[3]) });
        else
          info.foreignKeys.push({
            name: c[1]!,
            columns: names(c[3]),
            references: { schema: c[4]!, name: c[5]! },
            referencedColumns: names(c[6]),
            onDelete: fkAction(c[7]!),
            onUpdate: fkAction(c[8]!),
          });
      }
      for (const i of idx.filter((k) => k[0] === oid)) {
        if (i[4] === 'true' || !i[3]) continue; // expression and partial indexes are not recreated (see CASTING.md)
        info.indexes.push({ name: i[1]!, unique: i[2] === 'true', columns: names(i[3]) });
      }
      if (options.exactCounts) {
        info.rowCount = await this.countRows(info.ref);
        info.rowCountExact = true;
      }
      out.push(info);
    }
    return { engine: 'postgres', schema, tables: out };
  }

  async countRows(table: TableRef): Promise<number> {
    const [r] = await this.query(`SELECT count(*)::text FROM ${this.from(table)}`);
    return Number(r![0]);
  }

  async describeQuery(table: TableRef, key: string[], scan: boolean): Promise<QueryInfo> {
    let fields: { name: string; dataTypeID: number; dataTypeModifier: number }[];
    try {
      fields = (await this.run(`SELECT * FROM ${this.from(table)} LIMIT 0`, [])).fields;
    } catch (err) {
      throw classifyDriverError(err, 'PostgreSQL');
    }
    const columns: ColumnInfo[] = [];
    for (const f of fields) {
      const [t] = await this.query(
        `SELECT format_type(t.oid, $2::int), t.typname, n.nspname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = $1::oid`,
        [f.dataTypeID, f.dataTypeModifier],
      );
      const [fmt, typname, typschema, typtype] = t ?? ['unknown', 'unknown', 'pg_catalog', 'b'];
      columns.push(pgColumn(['', '', f.name, fmt!, typname!, typschema!, 'false', 'false', null as never, String(f.dataTypeModifier), typtype!]));
    }
    return describeRows(columns, scan, (sql) => this.query<unknown[]>(sql), this.from(table), key, quotePg);
  }

  /**
   * Key expressions are always qualified (`t."id"`): a bare name in ORDER BY would bind to an
   * output column of the same name, e.g. `"id"::text`, and sort numbers as text.
   */
  private keyExprs(key: ColumnInfo[], ordering: KeyOrdering, alias = 't'): string[] {
    return key.map((k) => (ordering === 'binary' && TEXTY.has(k.baseType) ? `${alias}.${quotePg(k.name)} COLLATE "C"` : `${alias}.${quotePg(k.name)}`));
  }

  private where(key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering, params: unknown[] | null): string {
    const exprs = this.keyExprs(key, ordering);
    return rangePredicate(
      exprs,
      range,
      (i, v) => {
        const type = castType(key[i]!);
        if (!params) return `${pgLiteral(v)}::${type}`;
        params.push(v);
        return `$${params.length}::${type}`;
      },
      true,
    );
  }

  private orderBy(key: ColumnInfo[], ordering: KeyOrdering, desc = false, alias = 't'): string {
    return this.keyExprs(key, ordering, alias)
      .map((e) => `${e}${desc ? ' DESC' : ''}`)
      .join(', ');
  }

  async nextChunkBound(table: TableRef, key: ColumnInfo[], after: KeyTuple | null, rows: number, ordering: KeyOrdering = 'native'): Promise<KeyTuple | null> {
    const params: unknown[] = [];
    const where = this.where(key, { after, upTo: null }, ordering, params);
    params.push(rows);
    const inner = `SELECT ${key.map((k) => `t.${quotePg(k.name)}`).join(', ')} FROM ${this.from(table)} WHERE ${where} ORDER BY ${this.orderBy(key, ordering)} LIMIT $${params.length}`;
    const r = await this.query(
      `SELECT ${key.map((k) => `s.${quotePg(k.name)}::text`).join(', ')} FROM (${inner}) s ORDER BY ${this.orderBy(key, ordering, true, 's')} LIMIT 1`,
      params,
    );
    return r[0] ?? null;
  }

  async keyBounds(table: TableRef, key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering = 'native'): Promise<{ min: KeyTuple; max: KeyTuple } | null> {
    if (key.length !== 1) throw new Error('keyBounds needs a single-column key');
    const params: unknown[] = [];
    const k = quotePg(key[0]!.name);
    const [r] = await this.query(`SELECT min(${k})::text, max(${k})::text FROM ${this.from(table)} WHERE ${this.where(key, range, ordering, params)}`, params);
    return r && r[0] !== null ? { min: [r[0]!], max: [r[1]!] } : null;
  }

  async *readRows(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], range: KeyRange): AsyncIterable<unknown[]> {
    // Only used when a PostgreSQL source feeds a converter; PG → PG uses copyOut.
    const params: unknown[] = [];
    const sql = `SELECT ${columns.map((c) => `${quotePg(c.source.name)}::text`).join(', ')} FROM ${this.from(table)} WHERE ${this.where(key, range, 'native', params)}${key.length ? ` ORDER BY ${this.orderBy(key, 'native')}` : ''}`;
    for (const row of await this.query<unknown[]>(sql, params)) yield row;
  }

  async copyOut(table: TableRef, columns: ColumnInfo[], key: ColumnInfo[], range: KeyRange): Promise<CopyOutStream> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw classifyDriverError(err, 'PostgreSQL source');
    }
    const sql = `COPY (SELECT ${columns.map((c) => quotePg(c.name)).join(', ')} FROM ${this.from(table)} WHERE ${this.where(key, range, 'native', null)}${key.length ? ` ORDER BY ${this.orderBy(key, 'native')}` : ''}) TO STDOUT`;
    if (this.begin) {
      try {
        await client.query(this.begin);
      } catch (err) {
        client.release(err as Error);
        throw classifyDriverError(err, 'PostgreSQL source');
      }
    }
    const stream = client.query(copyTo(sql));
    let released = false;
    const release = (err?: unknown) => {
      if (released) return;
      released = true;
      client.release(err instanceof Error ? err : undefined);
    };
    stream.on('error', release);
    return {
      stream,
      done: async (error?: Error) => {
        if (this.begin && !error && !released) await client.query('ROLLBACK').catch((err: Error) => (error = err));
        release(error);
      },
    };
  }

  private rowExpr(columns: ReadColumn[], algorithm: ChecksumAlgorithm): string {
    if (algorithm === 'pg-record') return `ROW(${columns.map((c) => quotePg(c.source.name)).join(', ')})::text`;
    const parts = columns.map((c) => {
      const e = canonicalExprPg(quotePg(c.source.name), c.kind);
      return `COALESCE(length(${e})::text || ':' || ${e}, '~')`;
    });
    return `concat_ws(',', ${parts.join(', ')})`;
  }

  private hashExpr(columns: ReadColumn[], algorithm: ChecksumAlgorithm): { sum: string; row: string } {
    if (algorithm === 'pg-hash') {
      const fields = columns.map((c) => {
        const q = quotePg(c.source.name);
        const type = c.target?.pgType ?? c.source.nativeType;
        if (!HASH_EXACT_PG_TYPE.test(type)) return `${q}::text`;
        return /^(text|character)/.test(type) ? `${q} COLLATE "C"` : q;
      });
      const h = `hash_record_extended(ROW(${fields.join(', ')}), 0)`;
      return { sum: h, row: `${h}::text` };
    }
    const r = this.rowExpr(columns, algorithm);
    if (algorithm === 'pg-record') return { sum: `hashtextextended(${r}, 0)`, row: `hashtextextended(${r}, 0)::text` };
    return { sum: `('x' || substr(md5(${r}), 1, 15))::bit(60)::bigint`, row: `md5(${r})` };
  }

  async checksum(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    algorithm: ChecksumAlgorithm,
    ordering: KeyOrdering = 'native',
  ): Promise<RangeChecksum> {
    const params: unknown[] = [];
    const h = this.hashExpr(columns, algorithm);
    const [r] = await this.query(
      `SELECT count(*)::text, coalesce(sum(${h.sum}), 0)::text FROM ${this.from(table)} WHERE ${this.where(key, range, ordering, params)}`,
      params,
    );
    return { rows: Number(r![0]), sum: r![1]! };
  }

  async bucketChecksums(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo,
    buckets: KeyBuckets,
    algorithm: ChecksumAlgorithm,
    range?: KeyRange,
  ): Promise<Map<number, RangeChecksum>> {
    const h = this.hashExpr(columns, algorithm);
    const k = `t.${quotePg(key.name)}`;
    const last = buckets.count - 1;
    // bigint arithmetic when every key offset fits, numeric otherwise (keys near the int8 limits)
    const small = buckets.width * BigInt(buckets.count) < 2n ** 62n && buckets.lo > -(2n ** 62n) && buckets.lo < 2n ** 62n;
    const b = small ? `((${k}::int8 - $1::int8) / $2::int8)` : `div(${k}::numeric - $1::numeric, $2::numeric)`;
    const params: unknown[] = [buckets.lo.toString(), buckets.width.toString()];
    const where = range ? ` WHERE ${this.where([key], range, 'native', params)}` : '';
    const rows = await this.query(
      `SELECT least(greatest(${b}, 0), ${last})::text AS b, count(*)::text, sum(${h.sum})::text FROM ${this.from(table)}${where} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((r) => [Number(r[0]), { rows: Number(r[1]), sum: r[2] ?? '0' }]));
  }

  /** PostgreSQL 14+ has `hash_record_extended` (the `pg-hash` checksum). */
  async supportsRecordHash(): Promise<boolean> {
    const [r] = await this.query(`SELECT (current_setting('server_version_num')::int >= 140000)::text`);
    return r?.[0] === 'true';
  }

  async rowHashes(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    algorithm: ChecksumAlgorithm,
    ordering: KeyOrdering = 'native',
  ): Promise<RowHash[]> {
    const params: unknown[] = [];
    const h = this.hashExpr(columns, algorithm);
    const rows = await this.query(
      `SELECT ${h.row}${key.map((k) => `, ${quotePg(k.name)}::text`).join('')} FROM ${this.from(table)} WHERE ${this.where(key, range, ordering, params)}${key.length ? ` ORDER BY ${this.orderBy(key, ordering)}` : ''}`,
      params,
    );
    return rows.map((r) => ({ hash: r[0]!, key: r.slice(1) as string[] }));
  }

  async splitPoint(table: TableRef, key: ColumnInfo[], range: KeyRange, rowsInRange: number, ordering: KeyOrdering = 'native'): Promise<KeyTuple | null> {
    if (rowsInRange < 2) return null;
    if (key.length === 1 && isIntegerColumn(key[0]!)) return integerMidpoint(await this.keyBounds(table, key, range, ordering));
    const params: unknown[] = [];
    const where = this.where(key, range, ordering, params);
    params.push(Math.floor(rowsInRange / 2) - 1);
    const [r] = await this.query(
      `SELECT ${key.map((k) => `${quotePg(k.name)}::text`).join(', ')} FROM ${this.from(table)} WHERE ${where} ORDER BY ${this.orderBy(key, ordering)} LIMIT 1 OFFSET $${params.length}`,
      params,
    );
    return r ?? null;
  }

  /** Hands the pool back for the next activity on this database (see createPgPool). */
  async close(): Promise<void> {
    await this.lease.release();
  }
}

function castType(column: ColumnInfo): string {
  return column.nativeType;
}

function pgColumn(row: string[]): ColumnInfo {
  const [, , name, fmt, typname, typschema, notnull, identity, def, typmod, typtype] = row as string[];
  const info: ColumnInfo = {
    name: name!,
    nativeType: fmt!,
    baseType: typschema === 'pg_catalog' && typtype !== 'd' ? typname! : `user:${typname}`,
    nullable: notnull !== 'true',
    identity: identity === 'true',
    defaultExpr: def ?? null,
  };
  const mod = Number(typmod);
  if (typname === 'numeric' && mod >= 4) {
    info.precision = ((mod - 4) >> 16) & 0xffff;
    info.scale = (mod - 4) & 0xffff;
  }
  if (['varchar', 'bpchar'].includes(typname!) && mod >= 4) info.length = mod - 4;
  return info;
}
