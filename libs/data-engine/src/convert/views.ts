import { Parser } from 'node-sql-parser';
import { pgLiteral, quotePg } from '../identifiers';

/** The converted tables a view may read: source table → target table and its columns (source → target name). */
export interface ViewScope {
  targetSchema: string;
  tables: Map<string, { target: string; columns: Map<string, string> }>;
  /** Target name of a view's output column. */
  alias(name: string): string;
}

/**
 * MySQL/MariaDB view SQL (information_schema.VIEWS.VIEW_DEFINITION) → a PostgreSQL SELECT.
 * node-sql-parser parses it; the PostgreSQL text is written here node by node, so anything this
 * translation does not know (a subquery, a function without a mapping) throws with its name and
 * the view is listed as an action item rather than created wrong.
 */
export function translateViewSql(definition: string, scope: ViewScope): string {
  let ast: unknown;
  try {
    ast = new Parser().astify(ungroupJoins(definition), { database: 'MySQL' });
  } catch (err) {
    throw new Error(`the view's SQL could not be parsed: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
  }
  const stmt = (Array.isArray(ast) ? ast : [ast]) as Node[];
  if (stmt.length !== 1 || stmt[0]!['type'] !== 'select') throw new Error('not a single SELECT');
  return new ViewWriter(scope).select(stmt[0]!);
}

/**
 * A CHECK clause as information_schema stores it → plain MySQL SQL. MySQL 8 escapes the clause's
 * backslashes and quotes once more than SQL needs (`_utf8mb4\\'new\\'`; `mysqlEscaped`), and both
 * engines may put charset introducers (`_utf8mb4'x'`) before literals, which the parser does not
 * know and which mean nothing in PostgreSQL (its strings have the database's encoding).
 */
export function mysqlCheckClause(clause: string, mysqlEscaped: boolean): string {
  const text = mysqlEscaped ? clause.replace(/\\(.)/gs, '$1') : clause;
  let out = '';
  for (let i = 0; i < text.length;) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      // Copy a quoted literal or identifier whole (doubled quotes and backslash escapes included).
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === '\\' && ch !== '`') j += 2;
        else if (text[j] === ch && text[j + 1] === ch) j += 2;
        else if (text[j] === ch) break;
        else j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const introducer = /^_[a-z0-9]+(?=')/i.exec(text.slice(i));
    if (introducer && !/[\w$]/.test(text[i - 1] ?? '')) {
      i += introducer[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * The value of a MySQL string literal as node-sql-parser leaves it (doubled quotes and most
 * backslash escapes still in the text). `\%` and `\_` keep their backslash, as in MySQL.
 */
export function mysqlStringValue(raw: string, quote: "'" | '"' = "'"): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a', '%': '\\%', _: '\\_' };
  return raw.replace(quote === "'" ? /''|\\([\s\S])/g : /""|\\([\s\S])/g, (_m, ch: string | undefined) => {
    if (ch === undefined) return quote;
    if (ch === '0') throw new Error('a string literal holds a NUL character');
    return escapes[ch] ?? ch;
  });
}

/** A MySQL CHECK clause of `table` → a PostgreSQL boolean expression, with the same rules as views. */
export function translateCheckClause(clause: string, table: string, scope: ViewScope): string {
  let ast: unknown;
  try {
    ast = new Parser().astify(`select ${clause} from \`${table.replace(/`/g, '``')}\``, { database: 'MySQL' });
  } catch (err) {
    throw new Error(`the CHECK clause could not be parsed: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
  }
  const stmt = (Array.isArray(ast) ? ast[0] : ast) as Node;
  const w = new ViewWriter(scope);
  w.select(stmt); // registers the table, refuses what is not converted
  return w.expr(stmt['columns'][0].expr);
}

/**
 * A MySQL trigger body made only of `SET NEW.col = expr` statements (bare or in BEGIN … END) →
 * PL/pgSQL assignments `new.col := expr;`. Anything else throws: such a trigger is an action item.
 */
export function translateSetTrigger(body: string, table: string, scope: ViewScope): string[] {
  const inner = body.trim().replace(/^BEGIN\s+([\s\S]*?);?\s*END$/i, '$1');
  const statements = splitStatements(inner);
  if (!statements.length) throw new Error('an empty trigger body');
  return statements.map((stmt) => {
    const m = /^SET\s+NEW\s*\.\s*(`?)([^`\s=]+)\1\s*=\s*([\s\S]+)$/i.exec(stmt);
    if (!m) throw new Error(`only SET NEW.column = expression is translated, not: ${stmt.slice(0, 80)}`);
    const column = scope.tables.get(table)?.columns.get(m[2]!);
    if (!column) throw new Error(`it sets ${table}.${m[2]}, which is not converted`);
    let ast: unknown;
    try {
      ast = new Parser().astify(`select ${m[3]} from \`${table.replace(/`/g, '``')}\` AS \`NEW\``, { database: 'MySQL' });
    } catch (err) {
      throw new Error(`the expression could not be parsed: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
    }
    const select = (Array.isArray(ast) ? ast[0] : ast) as Node;
    const w = new ViewWriter(scope, true);
    w.select(select);
    return `new.${quotePg(column)} := ${w.expr(select['columns'][0].expr)};`;
  });
}

/** Statements split at top-level semicolons (not inside quotes or parentheses). */
function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === '\\' && quote === "'") i++;
      else if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ';' && depth === 0) {
      out.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(sql.slice(start).trim());
  return out.filter(Boolean);
}

type Node = Record<string, any>;

/**
 * MariaDB writes joins grouped in parentheses, `from ((a join b on(…)) left join c on(…))`, which
 * the parser refuses; for such left-deep groups the parentheses change nothing, so they go.
 */
export function ungroupJoins(sql: string): string {
  const drop = new Set<number>();
  const stack: { at: number; grouping: boolean }[] = [];
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      if (ch === '\\' && quote === "'") i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(') {
      const before = sql.slice(0, i).trimEnd();
      const after = sql.slice(i + 1).trimStart();
      const grouping = (/\b(from|join)$/i.test(before) || (before.endsWith('(') && stack.at(-1)?.grouping === true)) && !/^select\b/i.test(after);
      stack.push({ at: i, grouping });
    } else if (ch === ')') {
      const open = stack.pop();
      if (open?.grouping) {
        drop.add(open.at);
        drop.add(i);
      }
    }
  }
  return [...sql].map((ch, i) => (drop.has(i) ? ' ' : ch)).join('');
}

/** MySQL DATE_FORMAT specifiers → PostgreSQL to_char patterns (FM drops the padding MySQL does not add). */
const DATE_FORMAT: Record<string, string> = {
  Y: 'YYYY',
  y: 'YY',
  m: 'MM',
  c: 'FMMM',
  d: 'DD',
  e: 'FMDD',
  H: 'HH24',
  k: 'FMHH24',
  h: 'HH12',
  I: 'HH12',
  l: 'FMHH12',
  i: 'MI',
  s: 'SS',
  S: 'SS',
  f: 'US',
  p: 'AM',
  M: 'FMMonth',
  b: 'Mon',
  W: 'FMDay',
  a: 'Dy',
  j: 'DDD',
  T: 'HH24:MI:SS',
  r: 'HH12:MI:SS AM',
};

export function translateDateFormat(fmt: string): string {
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal) out += /[A-Za-z]/.test(literal) ? `"${literal.replace(/"/g, '\\"')}"` : literal;
    literal = '';
  };
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] === '%' && i + 1 < fmt.length) {
      const spec = fmt[++i]!;
      if (spec === '%') {
        literal += '%';
        continue;
      }
      const pg = DATE_FORMAT[spec];
      if (!pg) throw new Error(`DATE_FORMAT specifier %${spec} has no to_char translation`);
      flush();
      out += pg;
    } else literal += fmt[i];
  }
  flush();
  return out;
}

/** Functions whose name and arguments mean the same in PostgreSQL. */
const SAME = new Set(['coalesce', 'upper', 'lower', 'round', 'abs', 'floor', 'ceil', 'greatest', 'least', 'nullif', 'trim', 'replace', 'char_length', 'now']);
const OPERATORS = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  'AND',
  'OR',
  '+',
  '-',
  '*',
  '/',
  'LIKE',
  'NOT LIKE',
  'IS',
  'IS NOT',
  'IN',
  'NOT IN',
  'BETWEEN',
  'NOT BETWEEN',
]);

class ViewWriter {
  /** alias or table name → source table */
  private readonly from = new Map<string, string>();
  /** Tables read without an alias: a reference qualified by the table's name takes its target name. */
  private readonly unaliased = new Set<string>();

  /** `rowVariables`: inside a trigger, the aliases NEW/OLD are PL/pgSQL's `new`/`old` (unquoted). */
  constructor(
    private readonly scope: ViewScope,
    private readonly rowVariables = false,
  ) {}

  select(s: Node): string {
    if (s['with'] || s['_next'] || s['union']) throw new Error('WITH/UNION views are not translated');
    const from = (s['from'] ?? []) as Node[];
    for (const f of from) {
      if (!f['table']) throw new Error('a subquery in FROM is not translated');
      if (!this.scope.tables.has(f['table'])) throw new Error(`it reads ${f['table']}, which is not converted`);
      this.from.set(String(f['as'] ?? f['table']), f['table']);
      if (!f['as']) this.unaliased.add(f['table']);
    }
    const parts = [`SELECT ${s['distinct'] ? 'DISTINCT ' : ''}${(s['columns'] as Node[]).map((c) => this.column(c)).join(', ')}`];
    if (from.length) parts.push(`FROM ${from.map((f, i) => this.fromItem(f, i)).join(' ')}`);
    if (s['where']) parts.push(`WHERE ${this.expr(s['where'])}`);
    const group = s['groupby']?.columns ?? (Array.isArray(s['groupby']) ? s['groupby'] : null);
    if (group?.length) parts.push(`GROUP BY ${(group as Node[]).map((g) => this.expr(g)).join(', ')}`);
    if (s['having']) parts.push(`HAVING ${this.expr(s['having'])}`);
    if (s['orderby']?.length) parts.push(`ORDER BY ${this.orderBy(s['orderby'])}`);
    if (s['limit']?.value?.length) throw new Error('LIMIT in a view is not translated');
    return parts.join(' ');
  }

  private column(item: Node): string {
    if (item['expr']?.type === 'star' || item['expr']?.column === '*') throw new Error('SELECT * in a view is not translated');
    const e = this.expr(item['expr']);
    const as = item['as'] ?? (item['expr']?.type === 'column_ref' ? item['expr'].column : null);
    return as ? `${e} AS ${quotePg(this.scope.alias(String(as)))}` : e;
  }

  private fromItem(item: Node, i: number): string {
    const t = this.scope.tables.get(item['table'])!;
    const ref = `${quotePg(this.scope.targetSchema)}.${quotePg(t.target)}${item['as'] ? ` AS ${quotePg(item['as'])}` : ''}`;
    if (i === 0) return ref;
    const join = String(item['join'] ?? '').toUpperCase();
    if (!/^(INNER |LEFT |RIGHT |CROSS |LEFT OUTER |RIGHT OUTER )?JOIN$/.test(join)) throw new Error(`join ${join || ','} is not translated`);
    if (item['using']) throw new Error('JOIN … USING is not translated');
    return `${join} ${ref}${item['on'] ? ` ON ${this.expr(item['on'])}` : join.startsWith('CROSS') ? '' : ' ON TRUE'}`;
  }

  private orderBy(items: Node[]): string {
    return items.map((o) => `${this.expr(o['expr'])}${o['type'] ? ` ${String(o['type']).toUpperCase()}` : ''}`).join(', ');
  }

  private columnRef(n: Node): string {
    const alias = typeof n['table'] === 'string' ? n['table'] : (n['table']?.value ?? null);
    const col = typeof n['column'] === 'string' ? n['column'] : (n['column']?.expr?.value ?? n['column']?.value);
    let table: string | undefined;
    if (alias) {
      table = this.from.get(alias);
      if (!table) throw new Error(`unknown table ${alias}`);
    } else {
      const holding = [...new Set(this.from.values())].filter((t) => this.scope.tables.get(t)!.columns.has(col));
      if (holding.length !== 1) throw new Error(`column ${col} is ambiguous or unknown`);
      table = holding[0]!;
    }
    const target = this.scope.tables.get(table)!.columns.get(col);
    if (!target) throw new Error(`it reads ${table}.${col}, which is not converted`);
    const qualifier = alias && this.unaliased.has(alias) ? this.scope.tables.get(alias)!.target : alias;
    const prefix = qualifier ? (this.rowVariables && /^(new|old)$/i.test(qualifier) ? `${qualifier.toLowerCase()}.` : `${quotePg(qualifier)}.`) : '';
    return `${prefix}${quotePg(target)}`;
  }

  private args(n: Node): Node[] {
    return (n['args']?.value ?? (n['args']?.expr ? [n['args'].expr] : [])) as Node[];
  }

  expr(n: Node): string {
    const p = (s: string) => (n['parentheses'] ? `(${s})` : s);
    switch (n['type']) {
      case 'column_ref':
        return this.columnRef(n);
      case 'number':
        return String(n['value']);
      case 'single_quote_string':
      case 'double_quote_string':
      case 'string':
        return pgLiteral(mysqlStringValue(String(n['value']), n['type'] === 'double_quote_string' ? '"' : "'"));
      case 'bool':
        return n['value'] ? 'TRUE' : 'FALSE';
      case 'null':
        return 'NULL';
      case 'expr_list':
        return `(${(n['value'] as Node[]).map((v) => this.expr(v)).join(', ')})`;
      case 'unary_expr':
        return p(`${String(n['operator']).toUpperCase() === 'NOT' ? 'NOT ' : n['operator']}${this.expr(n['expr'])}`);
      case 'binary_expr': {
        const op = String(n['operator']).toUpperCase();
        if (!OPERATORS.has(op)) throw new Error(`operator ${op} is not translated`);
        if (op.endsWith('BETWEEN')) {
          const [lo, hi] = n['right'].value as Node[];
          return p(`${this.expr(n['left'])} ${op} ${this.expr(lo!)} AND ${this.expr(hi!)}`);
        }
        return p(`${this.expr(n['left'])} ${op === '!=' ? '<>' : op} ${this.expr(n['right'])}`);
      }
      case 'case': {
        const branches = (n['args'] as Node[]).map((a) =>
          a['type'] === 'when' ? `WHEN ${this.expr(a['cond'])} THEN ${this.expr(a['result'])}` : `ELSE ${this.expr(a['result'])}`,
        );
        return p(`CASE ${n['expr'] ? `${this.expr(n['expr'])} ` : ''}${branches.join(' ')} END`);
      }
      case 'function':
        return p(this.func(n));
      case 'aggr_func':
        return p(this.aggregate(n));
      default:
        throw new Error(`expression ${String(n['type'])} is not translated`);
    }
  }

  private func(n: Node): string {
    const name = String(n['name']?.name?.[0]?.value ?? n['name']).toLowerCase();
    const args = this.args(n);
    switch (name) {
      case 'ifnull':
        return `COALESCE(${args.map((a) => this.expr(a)).join(', ')})`;
      case 'concat':
        // MySQL's CONCAT is NULL when any argument is; PostgreSQL's concat() skips NULLs, || does not.
        return `(${args.map((a) => `(${this.expr(a)})::text`).join(' || ')})`;
      case 'date_format': {
        const fmt = args[1];
        if (!fmt || !/string/.test(String(fmt['type']))) throw new Error('DATE_FORMAT with a computed format is not translated');
        return `to_char(${this.expr(args[0]!)}, ${pgLiteral(translateDateFormat(String(fmt['value'])))})`;
      }
      default:
        if (!SAME.has(name)) throw new Error(`MySQL function ${name.toUpperCase()} has no translation`);
        return `${name}(${args.map((a) => this.expr(a)).join(', ')})`;
    }
  }

  private aggregate(n: Node): string {
    const name = String(n['name']).toUpperCase();
    const a = n['args'] ?? {};
    const distinct = a['distinct'] ? 'DISTINCT ' : '';
    if (name === 'GROUP_CONCAT') {
      const value = `(${this.expr(a['expr'])})::text`;
      const sep = a['separator']?.value ? this.expr(a['separator'].value) : "','";
      // With DISTINCT, PostgreSQL orders only by the aggregated value itself.
      const order = a['orderby']?.length
        ? ` ORDER BY ${distinct ? `${value} ${String(a['orderby'][0].type ?? 'ASC').toUpperCase()}` : this.orderBy(a['orderby'])}`
        : '';
      return `string_agg(${distinct}${value}, ${sep}${order})`;
    }
    if (!['COUNT', 'SUM', 'MIN', 'MAX', 'AVG'].includes(name)) throw new Error(`aggregate ${name} is not translated`);
    const arg = a['expr']?.type === 'star' ? '*' : this.expr(a['expr']);
    return `${name === 'COUNT' ? 'count' : name.toLowerCase()}(${distinct}${arg})`;
  }
}
