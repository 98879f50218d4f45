import {
  DeliveryError,
  DeliveryFailureType,
  isQuerySource,
  sourceLabel,
  type DataMigrationParameters,
  type MigrationColumnRule,
  type MigrationFilter,
  type MigrationMapping,
} from '@sdo/contracts';
import type { TableInfo } from '@sdo/data-engine';
import { columnsOf, evaluate, ExpressionError, parseExpression, type Expr } from './expression';

/** A target table's columns as the new product's schema declares them. */
export interface TargetTable {
  name: string;
  columns: Map<string, { nullable: boolean; hasDefault: boolean; dataType: string }>;
}

export interface CompiledRule {
  rule: MigrationColumnRule;
  expr: Expr | null;
}

/** A mapping's source as read: a table introspected, or a query described with the health of its key. */
export interface SourceRelation {
  info: TableInfo;
  /** Query sources only; absent when a key column is not among the query's columns. */
  keyHealth?: { nullKeys: number; duplicateKeys: number };
}

/** A mapping checked against both schemas, ready to run row by row. */
export interface CompiledMapping {
  mapping: MigrationMapping;
  source: TableInfo;
  keyColumns: string[];
  readColumns: string[];
  rules: CompiledRule[];
}

export type Lookups = Map<string, Map<string, string | null>>;
export const lookupKey = (l: { table: string; match: string; returns: string }) => `${l.table}\u0000${l.match}\u0000${l.returns}`;

function invalid(mapping: string, what: string, reason: string): DeliveryError {
  return new DeliveryError(DeliveryFailureType.InvalidParameters, `Mapping "${mapping}", ${what}: ${reason}.`);
}

/**
 * Checks every mapping against the source and target schemas; the first problem becomes a
 * non-retryable InvalidParameters naming the mapping and the column. Names are compared exactly.
 */
export function compileMappings(
  parameters: DataMigrationParameters,
  sources: (m: MigrationMapping) => SourceRelation | undefined,
  targets: Map<string, TargetTable>,
): CompiledMapping[] {
  const names = new Set<string>();
  const loadedBefore = new Set<string>();
  return parameters.mappings.map((m) => {
    if (names.has(m.name)) throw invalid(m.name, 'name', 'is used by another mapping');
    names.add(m.name);
    const relation = sources(m);
    const label = sourceLabel(m);
    if (!relation) throw invalid(m.name, `source table "${label}"`, 'does not exist in the source');
    const source = relation.info;
    const keyColumns = sourceKey(m, relation);
    const hasSource = (c: string) => source.columns.some((x) => x.name === c);
    for (const f of m.source.filter ?? []) {
      if (!hasSource(f.column)) throw invalid(m.name, `filter column "${f.column}"`, `does not exist in ${label}`);
    }
    const target = targets.get(m.target);
    if (!target) throw invalid(m.name, `target table "${m.target}"`, 'does not exist in the target schema');
    const mapped = new Set<string>();
    const rules = m.columns.map((rule): CompiledRule => {
      const what = `column "${rule.target}"`;
      if (!target.columns.has(rule.target)) throw invalid(m.name, what, `does not exist in target table ${m.target}`);
      if (mapped.has(rule.target)) throw invalid(m.name, what, 'is mapped twice');
      mapped.add(rule.target);
      if (rule.expr === undefined && rule.default === undefined) throw invalid(m.name, what, 'needs an expression or a default');
      let expr: Expr | null = null;
      if (rule.expr !== undefined) {
        try {
          expr = parseExpression(rule.expr);
        } catch (err) {
          if (err instanceof ExpressionError) throw invalid(m.name, what, `the expression ${err.message}`);
          throw err;
        }
        for (const c of columnsOf(expr)) if (!hasSource(c)) throw invalid(m.name, what, `source column "${c}" does not exist in ${label}`);
      }
      if (rule.lookup) {
        const l = rule.lookup;
        const lt = targets.get(l.table);
        if (!lt) throw invalid(m.name, what, `look-up table "${l.table}" does not exist in the target schema`);
        for (const c of [l.match, l.returns]) if (!lt.columns.has(c)) throw invalid(m.name, what, `look-up column "${c}" does not exist in ${l.table}`);
        if (l.table !== m.target && !loadedBefore.has(l.table)) throw invalid(m.name, what, `look-up table "${l.table}" is not loaded by an earlier mapping`);
      }
      return { rule, expr };
    });
    for (const [column, c] of target.columns) {
      if (!c.nullable && !c.hasDefault && !mapped.has(column))
        throw invalid(m.name, `column "${column}"`, `is NOT NULL without a default in ${m.target} and no rule fills it`);
    }
    loadedBefore.add(m.target);
    const readColumns = [
      ...new Set([...keyColumns, ...(m.source.filter ?? []).map((f) => f.column), ...rules.flatMap((r) => (r.expr ? columnsOf(r.expr) : []))]),
    ];
    return { mapping: m, source, keyColumns, readColumns, rules };
  });
}

/** The key that orders and checkpoints the load: a table's primary or NOT NULL unique key, or a query's declared key once it proved unique and never null. */
export function sourceKey(mapping: MigrationMapping, { info, keyHealth }: SourceRelation): string[] {
  if (isQuerySource(mapping.source)) {
    const seen = new Set<string>();
    for (const c of info.columns) {
      if (seen.has(c.name)) throw invalid(mapping.name, 'source query', `returns column "${c.name}" twice: give the columns distinct names`);
      seen.add(c.name);
    }
    const key = mapping.source.key;
    for (const k of key) if (!seen.has(k)) throw invalid(mapping.name, `key column "${k}"`, 'is not a column the source query returns');
    if (keyHealth?.nullKeys) throw invalid(mapping.name, 'source query', `its key (${key.join(', ')}) is null in ${keyHealth.nullKeys} row(s)`);
    if (keyHealth?.duplicateKeys)
      throw invalid(mapping.name, 'source query', `its key (${key.join(', ')}) is not unique: ${keyHealth.duplicateKeys} value(s) occur more than once`);
    return key;
  }
  const key = info.primaryKey.length
    ? info.primaryKey
    : (info.uniqueKeys.find((u) => u.columns.every((c) => info.columns.find((x) => x.name === c)?.nullable === false))?.columns ?? []);
  if (!key.length)
    throw invalid(mapping.name, `source table "${mapping.source.table}"`, 'has no primary or NOT NULL unique key to order and checkpoint the load by');
  return key;
}

export function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
function compare(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function passesFilters(filters: MigrationFilter[] | undefined, row: (c: string) => string | null): boolean {
  for (const f of filters ?? []) {
    const v = row(f.column);
    const values = (Array.isArray(f.value) ? f.value : [f.value]).map((x) => (x === undefined || x === null ? null : String(x)));
    const ok = (() => {
      switch (f.op) {
        case 'is null':
          return v === null;
        case 'is not null':
          return v !== null;
        case 'in':
          return v !== null && values.some((x) => x !== null && compare(v, x) === 0);
        case 'not in':
          return v !== null && values.every((x) => x === null || compare(v, x) !== 0);
        default: {
          if (v === null || values[0] == null) return false;
          const c = compare(v, values[0]);
          return f.op === '=' ? c === 0 : f.op === '<>' ? c !== 0 : f.op === '>' ? c > 0 : f.op === '>=' ? c >= 0 : f.op === '<' ? c < 0 : c <= 0;
        }
      }
    })();
    if (!ok) return false;
  }
  return true;
}

/** The target row for a source row, or the reason it is rejected. */
export function mapRow(mapping: CompiledMapping, row: (c: string) => string | null, lookups: Lookups): { values: (string | null)[] } | { reject: string } {
  const values: (string | null)[] = [];
  for (const { rule, expr } of mapping.rules) {
    let v = expr ? evaluate(expr, row) : null;
    if (v !== null && rule.valueMap) {
      if (Object.prototype.hasOwnProperty.call(rule.valueMap.map, v)) v = rule.valueMap.map[v] ?? null;
      else if (rule.valueMap.otherwise !== undefined) v = rule.valueMap.otherwise;
      else return { reject: `${rule.target}: value ${JSON.stringify(v)} has no entry in the value map` };
    }
    if (v !== null && rule.lookup) {
      const found = lookups.get(lookupKey(rule.lookup))?.get(v);
      if (found === undefined) {
        if (!rule.lookup.optional) return { reject: `${rule.target}: no ${rule.lookup.table} row with ${rule.lookup.match} = ${JSON.stringify(v)}` };
        v = null;
      } else v = found;
    }
    if (v === null && rule.default !== undefined && rule.default !== null) v = String(rule.default);
    values.push(v);
  }
  return { values };
}
