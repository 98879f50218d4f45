import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { classifyDriverError } from '../errors';
import { quoteSqlite } from '../identifiers';
import type { ColumnInfo, KeyRange, SchemaInfo, TableInfo, TableRef, TargetColumn } from '../model';
import { canonicalRow, canonicalText } from '../convert/canonical';
import { emptyStats, makeConverter, ValueReject } from '../convert/values';
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
} from './connector';
import { KeysetQueries } from './keyset';

const TEXT_KINDS = new Set(['text', 'json', 'textarray']);
/** A scan hands the event loop back at least this often (heartbeats, cancellation, other activities). */
const MAX_TURN_MS = 10;

/**
 * SQLite through better-sqlite3 with `safeIntegers(true)` (integers arrive as bigint) and text
 * columns selected as bytes (so invalid UTF-8 is seen, not silently replaced). SQLite has no md5,
 * so its side of a checksum is computed here, in the same process that holds the database.
 */
export class SqliteConnector extends KeysetQueries implements SourceConnector {
  readonly engine = 'sqlite' as const;
  protected readonly keyTextType = 'TEXT';
  private readonly db: Database.Database;
  /** A second read-only handle for look-ups while `db` is busy iterating (better-sqlite3 allows one active statement per handle). */
  private side: Database.Database | null = null;
  /** Async reads run one at a time: a scan that yields mid-iteration keeps `db` busy until it ends. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly path: string) {
    super();
    try {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw classifyDriverError(err, 'SQLite');
    }
  }

  quote(name: string): string {
    return quoteSqlite(name);
  }

  protected table(ref: TableRef): string {
    return ref.query ? `(${ref.query})` : quoteSqlite(ref.name);
  }

  protected async rows(sql: string, params: unknown[]): Promise<unknown[][]> {
    return this.exclusive(async () => this.all(sql, params));
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Hashes the canonical rows of a range without holding the event loop: better-sqlite3 is
   * synchronous, so the scan yields every MAX_TURN_MS (a 1M-row checksum once blocked the worker
   * past its heartbeat timeout). Runs exclusively on `db`.
   */
  private scan(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    ordering: KeyOrdering,
    each: (r: { text: string; key: string[] }) => boolean | void,
  ): Promise<void> {
    return this.exclusive(async () => {
      let turn = performance.now();
      let n = 0;
      for (const r of this.canonicalRows(table, columns, key, range, ordering)) {
        if (each(r) === false) return;
        if ((++n & 255) === 0 && performance.now() - turn >= MAX_TURN_MS) {
          await nextTurn();
          turn = performance.now();
        }
      }
    });
  }

  private all(sql: string, params: unknown[] = []): unknown[][] {
    try {
      return this.db
        .prepare(sql)
        .raw(true)
        .safeIntegers(true)
        .all(...params) as unknown[][];
    } catch (err) {
      throw classifyDriverError(err, 'SQLite');
    }
  }

  async introspect(options: IntrospectOptions = {}): Promise<SchemaInfo> {
    const only = options.tables?.length ? new Set(options.tables) : null;
    const names = this.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .map((r) => String(r[0]))
      .filter((n) => !only || only.has(n));
    const tables: TableInfo[] = [];
    for (const name of names) {
      const cols = this.all('SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)', [name]).filter((c) => Number(c[6]) === 0);
      const pk = cols
        .filter((c) => Number(c[5]) > 0)
        .sort((a, b) => Number(a[5]) - Number(b[5]))
        .map((c) => String(c[1]));
      const info: TableInfo = {
        ref: { name },
        columns: cols.map((c) => {
          const type = String(c[2] ?? '');
          const col: ColumnInfo = {
            name: String(c[1]),
            nativeType: type,
            baseType: type.replace(/\(.*$/, '').trim().toLowerCase(),
            nullable: Number(c[3]) === 0,
            identity: pk.length === 1 && pk[0] === String(c[1]) && type.toUpperCase() === 'INTEGER',
            defaultExpr: c[4] === null ? null : String(c[4]),
          };
          const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(type);
          if (m) {
            if (/DEC|NUM/i.test(type)) {
              col.precision = Number(m[1]);
              col.scale = Number(m[2] ?? 0);
            } else col.length = Number(m[1]);
          }
          return col;
        }),
        primaryKey: pk,
        uniqueKeys: [],
        foreignKeys: [],
        indexes: [],
        rowCount: 0,
        rowCountExact: true,
        sizeBytes: 0,
      };
      for (const [, iname, unique, origin, partial] of this.all('SELECT seq, name, "unique", origin, partial FROM pragma_index_list(?)', [name])) {
        if (origin === 'pk' || Number(partial) === 1) continue;
        const icols = this.all('SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno', [iname]).map((r) => r[1]);
        if (icols.some((c) => c === null)) continue; // expression index
        const entry = { name: String(iname), columns: icols.map(String) };
        if (Number(unique) === 1) info.uniqueKeys.push(entry);
        else info.indexes.push({ ...entry, unique: false });
      }
      const fks = new Map<number, TableInfo['foreignKeys'][number]>();
      for (const [id, , ref, from, to, onUpdate, onDelete] of this.all(
        'SELECT id, seq, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
        [name],
      )) {
        const e = fks.get(Number(id)) ?? {
          name: `fk_${name}_${id}`,
          columns: [],
          references: { name: String(ref) },
          referencedColumns: [],
          onDelete: String(onDelete),
          onUpdate: String(onUpdate),
        };
        e.columns.push(String(from));
        e.referencedColumns.push(to === null ? '' : String(to));
        fks.set(Number(id), e);
      }
      info.foreignKeys = [...fks.values()];
      info.rowCount = await this.countRows(info.ref);
      try {
        info.sizeBytes = Number(this.all('SELECT sum(pgsize) FROM dbstat WHERE name = ?', [name])[0]?.[0] ?? 0);
      } catch {
        info.sizeBytes = 0; // dbstat not compiled in
      }
      tables.push(info);
    }
    // FKs that reference a PK implicitly (no `to` column) get the referenced table's PK.
    for (const t of tables)
      for (const fk of t.foreignKeys) {
        if (fk.referencedColumns.some((c) => c === ''))
          fk.referencedColumns = tables.find((x) => x.ref.name === fk.references.name)?.primaryKey ?? fk.referencedColumns;
      }
    return { engine: 'sqlite', tables };
  }

  async countRows(table: TableRef): Promise<number> {
    return Number(this.all(`SELECT count(*) FROM ${this.table(table)}`)[0]![0]);
  }

  /**
   * A result column keeps its table column's declared type; a computed one has none, so the type of
   * its first non-null value stands in (keys compare as integers only when they are integers).
   */
  async describeQuery(table: TableRef, key: string[], scan: boolean): Promise<QueryInfo> {
    let described: { name: string; type: string | null }[];
    try {
      described = this.db.prepare(`SELECT * FROM ${this.table(table)}`).columns();
    } catch (err) {
      throw classifyDriverError(err, 'SQLite');
    }
    const columns = described.map(({ name, type }): ColumnInfo => {
      const declared =
        type ??
        String(this.all(`SELECT typeof(${quoteSqlite(name)}) FROM ${this.table(table)} WHERE ${quoteSqlite(name)} IS NOT NULL LIMIT 1`)[0]?.[0] ?? 'text');
      return { name, nativeType: declared, baseType: declared.toLowerCase().replace(/\(.*$/, '').trim(), nullable: true, identity: false };
    });
    return describeRows(columns, scan, async (sql) => this.all(sql), this.table(table), key, quoteSqlite);
  }

  protected keyExprs(key: ColumnInfo[], ordering: KeyOrdering): string[] {
    return key.map((k) => (ordering === 'binary' && !isIntegerColumn(k) ? `${quoteSqlite(k.name)} COLLATE BINARY` : quoteSqlite(k.name)));
  }

  protected where(key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering, params: unknown[]): string {
    return rangePredicate(
      this.keyExprs(key, ordering),
      range,
      (i, v) => {
        params.push(isIntegerColumn(key[i]!) && /^-?\d+$/.test(v) ? BigInt(v) : v);
        return '?';
      },
      true,
    );
  }

  private selectList(columns: ReadColumn[]): string {
    return columns
      .map((c) => {
        const q = quoteSqlite(c.source.name);
        return TEXT_KINDS.has(c.kind) ? `CASE WHEN typeof(${q}) = 'text' THEN CAST(${q} AS BLOB) ELSE ${q} END` : q;
      })
      .join(', ');
  }

  private iterate(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering, extra = ''): IterableIterator<unknown[]> {
    const params: unknown[] = [];
    const sql = `SELECT ${this.selectList(columns)}${extra} FROM ${this.table(table)} WHERE ${this.where(key, range, ordering, params)}${key.length ? ` ORDER BY ${this.orderBy(key, ordering)}` : ''}`;
    try {
      return this.db
        .prepare(sql)
        .raw(true)
        .safeIntegers(true)
        .iterate(...params) as IterableIterator<unknown[]>;
    } catch (err) {
      throw classifyDriverError(err, 'SQLite');
    }
  }

  /**
   * The rows, iterable with `for await` (the interface) and also synchronously (no promise per row).
   * Text is read as JS strings (reading it as bytes costs ~40% of the read); a string holding
   * U+FFFD may be better-sqlite3's replacement of invalid UTF-8, so only that value is read again,
   * as bytes, by key, and the converter sees exactly what is stored. Text keys are always read as bytes.
   */
  readRows(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], range: KeyRange): AsyncIterable<unknown[]> & Iterable<unknown[]> {
    const keyPos = key.map((k) => columns.findIndex((c) => c.source.name === k.name));
    const rows =
      key.length && keyPos.every((i) => i >= 0)
        ? () => this.iterateTextAsStrings(table, columns, key, keyPos, range)
        : () => this.iterate(table, columns, key, range, 'native');
    return {
      [Symbol.iterator]: rows,
      [Symbol.asyncIterator]: async function* () {
        yield* rows();
      },
    };
  }

  private *iterateTextAsStrings(table: TableRef, columns: ReadColumn[], key: ColumnInfo[], keyPos: number[], range: KeyRange): Generator<unknown[]> {
    const isKey = new Set(keyPos);
    const plainText = columns.map((c, i) => TEXT_KINDS.has(c.kind) && !isKey.has(i));
    const select = columns
      .map((c, i) => {
        const q = quoteSqlite(c.source.name);
        return TEXT_KINDS.has(c.kind) && !plainText[i] ? `CASE WHEN typeof(${q}) = 'text' THEN CAST(${q} AS BLOB) ELSE ${q} END` : q;
      })
      .join(', ');
    const params: unknown[] = [];
    const sql = `SELECT ${select} FROM ${this.table(table)} WHERE ${this.where(key, range, 'native', params)} ORDER BY ${this.orderBy(key, 'native')}`;
    let it: IterableIterator<unknown[]>;
    try {
      it = this.db
        .prepare(sql)
        .raw(true)
        .safeIntegers(true)
        .iterate(...params) as IterableIterator<unknown[]>;
    } catch (err) {
      throw classifyDriverError(err, 'SQLite');
    }
    const lookups = new Map<number, Database.Statement>();
    const reread = (row: unknown[], i: number): unknown => {
      const keyValues = keyPos.map((p) => row[p]);
      // A text key that is not valid UTF-8 cannot be looked up as text, and its row is rejected anyway.
      if (keyValues.some((v) => Buffer.isBuffer(v) && !isUtf8(v))) return row[i];
      let st = lookups.get(i);
      if (!st) {
        this.side ??= new Database(this.path, { readonly: true, fileMustExist: true });
        const q = quoteSqlite(columns[i]!.source.name);
        st = this.side
          .prepare(
            `SELECT CASE WHEN typeof(${q}) = 'text' THEN CAST(${q} AS BLOB) ELSE ${q} END FROM ${this.table(table)} WHERE ${key.map((k) => `${quoteSqlite(k.name)} = ?`).join(' AND ')}`,
          )
          .raw(true)
          .safeIntegers(true);
        lookups.set(i, st);
      }
      const r = st.get(...keyValues.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v))) as unknown[] | undefined;
      if (!r) throw new Error(`SQLite row of ${table.name} with key ${keyValues.map(String).join(', ')} vanished while being read`);
      return r[0];
    };
    for (const row of it) {
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (plainText[i] && typeof v === 'string' && v.indexOf('\uFFFD') !== -1) row[i] = reread(row, i);
      }
      yield row;
    }
  }

  /** The canonical text of each row, converted by the same rules as the copy; unconvertible rows hash a marker. */
  private *canonicalRows(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    ordering: KeyOrdering,
  ): Generator<{ text: string; key: string[] }> {
    const converters = columns.map((c) => makeConverter('sqlite', c.source, c.target ?? syntheticTarget(c)));
    const stats = emptyStats();
    for (const row of this.iterate(table, columns, key, range, ordering, key.length ? `, ${this.keyText(key)}` : '')) {
      let text: string;
      try {
        text = canonicalRow(columns.map((c, i) => canonicalText(c.kind, converters[i]!(row[i], stats), c.scale)));
      } catch (err) {
        if (!(err instanceof ValueReject)) throw err;
        text = `\u0000reject:${err.message}`;
      }
      yield { text, key: row.slice(columns.length).map(String) };
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
    let rows = 0;
    let sum = 0n;
    await this.scan(table, columns, key, range, ordering, (r) => {
      rows++;
      sum += BigInt(`0x${createHash('md5').update(r.text, 'utf8').digest('hex').slice(0, 15)}`);
    });
    return { rows, sum: sum.toString() };
  }

  async bucketChecksums(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo,
    buckets: KeyBuckets,
    _algorithm: ChecksumAlgorithm,
    range: KeyRange = { after: null, upTo: null },
  ): Promise<Map<number, RangeChecksum> | null> {
    const acc = new Map<number, { rows: number; sum: bigint }>();
    const last = BigInt(buckets.count - 1);
    let integerKeys = true;
    await this.scan(table, columns, [key], range, 'native', (r) => {
      const k = r.key[0]!;
      // loose typing: a non-integer key sorts differently from the arithmetic buckets
      if (!/^-?\d+$/.test(k)) return (integerKeys = false);
      let b = (BigInt(k) - buckets.lo) / buckets.width;
      if (b < 0n) b = 0n;
      if (b > last) b = last;
      const e = acc.get(Number(b)) ?? { rows: 0, sum: 0n };
      e.rows++;
      e.sum += BigInt(`0x${createHash('md5').update(r.text, 'utf8').digest('hex').slice(0, 15)}`);
      acc.set(Number(b), e);
    });
    if (!integerKeys) return null;
    return new Map([...acc].map(([b, e]) => [b, { rows: e.rows, sum: e.sum.toString() }]));
  }

  async rowHashes(
    table: TableRef,
    columns: ReadColumn[],
    key: ColumnInfo[],
    range: KeyRange,
    _algorithm: ChecksumAlgorithm,
    ordering: KeyOrdering = 'native',
  ): Promise<RowHash[]> {
    const out: RowHash[] = [];
    await this.scan(table, columns, key, range, ordering, (r) => {
      out.push({ key: r.key, hash: createHash('md5').update(r.text, 'utf8').digest('hex') });
    });
    return out;
  }

  async close(): Promise<void> {
    this.side?.close();
    this.db.close();
  }
}

function syntheticTarget(column: ReadColumn): TargetColumn {
  return {
    name: column.source.name,
    sourceName: column.source.name,
    pgType: column.kind,
    kind: column.kind,
    nullable: true,
    identity: false,
    scale: column.scale,
    rule: '',
  };
}
