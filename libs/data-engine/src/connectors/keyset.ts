import type { ColumnInfo, KeyRange, KeyTuple, TableRef } from '../model';
import { integerMidpoint, isIntegerColumn, type KeyOrdering } from './connector';

/**
 * The keyset queries MySQL and SQLite write alike (`?` placeholders, keys cast to text): chunk
 * bounds, key bounds and split points. Each engine supplies its quoting, key expressions, the
 * binding of key values and how a statement runs.
 */
export abstract class KeysetQueries {
  abstract quote(name: string): string;
  /** The text type keys are cast to (`CHAR`, `TEXT`). */
  protected abstract readonly keyTextType: string;
  protected abstract table(ref: TableRef): string;
  protected abstract keyExprs(key: ColumnInfo[], ordering: KeyOrdering): string[];
  /** `after < key <= upTo`, appending the bound values to `params`. */
  protected abstract where(key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering, params: unknown[]): string;
  protected abstract rows(sql: string, params: unknown[]): Promise<unknown[][]>;

  protected orderBy(key: ColumnInfo[], ordering: KeyOrdering, desc = false): string {
    return this.keyExprs(key, ordering)
      .map((e) => `${e}${desc ? ' DESC' : ''}`)
      .join(', ');
  }

  protected keyText(key: ColumnInfo[]): string {
    return key.map((k) => `CAST(${this.quote(k.name)} AS ${this.keyTextType})`).join(', ');
  }

  async nextChunkBound(table: TableRef, key: ColumnInfo[], after: KeyTuple | null, rows: number, ordering: KeyOrdering = 'native'): Promise<KeyTuple | null> {
    const params: unknown[] = [];
    const where = this.where(key, { after, upTo: null }, ordering, params);
    params.push(rows);
    const names = key.map((k) => this.quote(k.name)).join(', ');
    const [r] = await this.rows(
      `SELECT ${this.keyText(key)} FROM (SELECT ${names} FROM ${this.table(table)} WHERE ${where} ORDER BY ${this.orderBy(key, ordering)} LIMIT ?) s ORDER BY ${this.orderBy(key, ordering, true)} LIMIT 1`,
      params,
    );
    return r ? r.map(String) : null;
  }

  async keyBounds(table: TableRef, key: ColumnInfo[], range: KeyRange, ordering: KeyOrdering = 'native'): Promise<{ min: KeyTuple; max: KeyTuple } | null> {
    const params: unknown[] = [];
    const k = this.quote(key[0]!.name);
    const [r] = await this.rows(
      `SELECT CAST(min(${k}) AS ${this.keyTextType}), CAST(max(${k}) AS ${this.keyTextType}) FROM ${this.table(table)} WHERE ${this.where(key, range, ordering, params)}`,
      params,
    );
    return r && r[0] !== null ? { min: [String(r[0])], max: [String(r[1])] } : null;
  }

  async splitPoint(table: TableRef, key: ColumnInfo[], range: KeyRange, rowsInRange: number, ordering: KeyOrdering = 'native'): Promise<KeyTuple | null> {
    if (rowsInRange < 2) return null;
    if (key.length === 1 && isIntegerColumn(key[0]!)) return integerMidpoint(await this.keyBounds(table, key, range, ordering));
    const params: unknown[] = [];
    const where = this.where(key, range, ordering, params);
    params.push(Math.floor(rowsInRange / 2) - 1);
    const [r] = await this.rows(
      `SELECT ${this.keyText(key)} FROM ${this.table(table)} WHERE ${where} ORDER BY ${this.orderBy(key, ordering)} LIMIT 1 OFFSET ?`,
      params,
    );
    return r ? r.map(String) : null;
  }
}
