import type { Engine } from './model';

/**
 * What SQL supplied by a person (a migration's query source, an upgrade package's verification)
 * may be: ONE plain SELECT that only reads. It is parsed by PostgreSQL's own parser (libpg-query,
 * PostgreSQL 17), and the whole tree is walked: no INTO, no FOR UPDATE/SHARE, no data-modifying
 * CTE, no parameters, and every function called — in the select list, WHERE, ORDER BY, joins,
 * subqueries, CTEs, window definitions, FROM — must be on a list of functions without side
 * effects. This is the first layer; the second is that such SQL only ever runs inside a
 * `BEGIN READ ONLY` transaction that is rolled back.
 */

// libpg-query is CommonJS with a WebAssembly parser that must be loaded once before parseSync.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgQuery = require('libpg-query') as { loadModule(): Promise<void>; parseSync(sql: string): { stmts?: { stmt: Record<string, unknown> }[] } };

let loading: Promise<void> | undefined;
function parser(): Promise<void> {
  loading ??= pgQuery.loadModule().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Side-effect-free functions every engine here has (PostgreSQL spelling; the parser gives lower case). */
const COMMON = [
  // strings
  'length',
  'char_length',
  'character_length',
  'octet_length',
  'bit_length',
  'lower',
  'upper',
  'initcap',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'lpad',
  'rpad',
  'substr',
  'substring',
  'left',
  'right',
  'replace',
  'translate',
  'reverse',
  'repeat',
  'concat',
  'concat_ws',
  'strpos',
  'position',
  'split_part',
  'starts_with',
  'overlay',
  'format',
  'quote_ident',
  'quote_literal',
  'quote_nullable',
  'regexp_replace',
  'regexp_match',
  'regexp_matches',
  'regexp_like',
  'regexp_count',
  'regexp_instr',
  'regexp_substr',
  'regexp_split_to_array',
  'regexp_split_to_table',
  'string_to_array',
  'string_to_table',
  'array_to_string',
  'to_hex',
  'ascii',
  'chr',
  'md5',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'encode',
  'decode',
  'convert_from',
  'convert_to',
  'normalize',
  'is_normalized',
  'unistr',
  'similar_to_escape',
  'like_escape',
  // numbers
  'abs',
  'ceil',
  'ceiling',
  'floor',
  'round',
  'trunc',
  'sign',
  'mod',
  'div',
  'power',
  'pow',
  'sqrt',
  'cbrt',
  'exp',
  'ln',
  'log',
  'log10',
  'pi',
  'degrees',
  'radians',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'width_bucket',
  'scale',
  'min_scale',
  'trim_scale',
  'gcd',
  'lcm',
  'factorial',
  'to_number',
  'greatest',
  'least',
  // date and time
  'now',
  'date_trunc',
  'date_part',
  'extract',
  'date_bin',
  'age',
  'make_date',
  'make_time',
  'make_timestamp',
  'make_timestamptz',
  'make_interval',
  'to_char',
  'to_date',
  'to_timestamp',
  'justify_days',
  'justify_hours',
  'justify_interval',
  'isfinite',
  'timezone',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'date_add',
  'date_subtract',
  'overlaps',
  // conditionals
  'coalesce',
  'nullif',
  'num_nulls',
  'num_nonnulls',
  // aggregates and window functions
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'bool_and',
  'bool_or',
  'every',
  'string_agg',
  'array_agg',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'bit_and',
  'bit_or',
  'bit_xor',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'corr',
  'covar_pop',
  'covar_samp',
  'any_value',
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  // JSON, read only (jsonb_set and the like return a new value; they write nothing)
  'to_json',
  'to_jsonb',
  'row_to_json',
  'array_to_json',
  'json_build_object',
  'jsonb_build_object',
  'json_build_array',
  'jsonb_build_array',
  'json_object',
  'jsonb_object',
  'json_array_length',
  'jsonb_array_length',
  'json_extract_path',
  'jsonb_extract_path',
  'json_extract_path_text',
  'jsonb_extract_path_text',
  'json_typeof',
  'jsonb_typeof',
  'json_each',
  'jsonb_each',
  'json_each_text',
  'jsonb_each_text',
  'json_array_elements',
  'jsonb_array_elements',
  'json_array_elements_text',
  'jsonb_array_elements_text',
  'json_object_keys',
  'jsonb_object_keys',
  'json_strip_nulls',
  'jsonb_strip_nulls',
  'jsonb_pretty',
  'jsonb_set',
  'jsonb_insert',
  'jsonb_path_query',
  'jsonb_path_exists',
  'jsonb_path_match',
  'jsonb_path_query_array',
  'jsonb_path_query_first',
  'json_populate_record',
  'jsonb_populate_record',
  'json_to_record',
  'jsonb_to_record',
  'json_to_recordset',
  'jsonb_to_recordset',
  // arrays and set-returning helpers
  'array_length',
  'cardinality',
  'array_position',
  'array_positions',
  'array_append',
  'array_prepend',
  'array_cat',
  'array_remove',
  'array_replace',
  'array_upper',
  'array_lower',
  'array_ndims',
  'array_dims',
  'array_fill',
  'trim_array',
  'unnest',
  'generate_series',
  'generate_subscripts',
  // casts written as calls
  'text',
  'varchar',
  'bool',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
];

/** Engine-specific spellings of the same kind of function (the query runs on that engine). */
const EXTRA: Record<Engine, string[]> = {
  postgres: [],
  mysql: [
    'ifnull',
    'if',
    'isnull',
    'date_format',
    'str_to_date',
    'group_concat',
    'substring_index',
    'lcase',
    'ucase',
    'locate',
    'instr',
    'mid',
    'curdate',
    'curtime',
    'datediff',
    'timestampdiff',
    'from_unixtime',
    'unix_timestamp',
    'year',
    'month',
    'day',
    'dayofmonth',
    'hour',
    'minute',
    'second',
    'quarter',
    'week',
    'weekday',
    'dayofweek',
    'dayofyear',
    'last_day',
    'hex',
    'unhex',
    'sha1',
    'sha2',
    'crc32',
    'truncate',
    'json_extract',
    'json_unquote',
    'json_array',
    'json_length',
    'json_contains',
    'field',
    'elt',
    'space',
  ],
  sqlite: [
    'ifnull',
    'iif',
    'instr',
    'printf',
    'strftime',
    'julianday',
    'unixepoch',
    'datetime',
    'group_concat',
    'hex',
    'unhex',
    'quote',
    'typeof',
    'unicode',
    'char',
    'glob',
    'like',
    'total',
    'likely',
    'unlikely',
    'json',
    'json_extract',
    'json_array',
    'json_group_array',
    'json_group_object',
  ],
};

const ALLOWED: Record<Engine, ReadonlySet<string>> = {
  postgres: new Set(COMMON),
  mysql: new Set([...COMMON, ...EXTRA.mysql]),
  sqlite: new Set([...COMMON, ...EXTRA.sqlite]),
};

/**
 * Built-in PostgreSQL functions a verification may never call although it runs read-only: they
 * change session or server state, reach files or other sessions, or run SQL given as text.
 */
const DANGEROUS =
  /^(pg_|lo_|dblink|set_config$|nextval$|setval$|currval$|lastval$|setseed$|txid_|(query|cursor|table|schema|database)_to_xml|(cursor|query|table|schema|database)_to_xmlschema|ts_stat$|ts_rewrite$|loread$|lowrite$|binary_upgrade_|brin_(de)?summarize|gin_clean_pending_list$|heap_page_|bt_page_|get_raw_page$)/;

const OPERATORS = new Set([
  '=',
  '<>',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '||',
  '|/',
  '||/',
  '@',
  '&',
  '|',
  '#',
  '~',
  '<<',
  '>>',
  '~~',
  '~~*',
  '!~~',
  '!~~*',
  '~*',
  '!~',
  '!~*',
  '@>',
  '<@',
  '&&',
  '->',
  '->>',
  '#>',
  '#>>',
  '?',
  '?|',
  '?&',
  '@?',
  '@@',
  '#-',
  '-|-',
]);

const SAMPLING = new Set(['system', 'bernoulli']);

/** Whose SQL is vetted, which decides the functions it may call. */
export interface ReadOnlySqlPolicy {
  /** Engine the SQL runs on: its own side-effect-free functions are allowed too. */
  engine: Engine;
  /**
   * The product's own functions (an upgrade verification calls what the package created): any
   * function that is not a PostgreSQL built-in known to act on state. Without it (query sources),
   * only the list above.
   */
  productFunctions?: boolean;
  /** What the SQL is called in messages. */
  what: string;
}

type Node = Record<string, unknown>;

const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((n) => String(((n as Node)['String'] as Node | undefined)?.['sval'] ?? '')) : []);

const STATEMENT_NAMES: Record<string, string> = { InsertStmt: 'an INSERT', UpdateStmt: 'an UPDATE', DeleteStmt: 'a DELETE', MergeStmt: 'a MERGE' };

/** Why a function call `qualified` is refused, or undefined. */
function functionProblem(qualified: string[], policy: ReadOnlySqlPolicy): string | undefined {
  const shown = qualified.join('.');
  const name = qualified[qualified.length - 1]!;
  const schema = qualified.length === 2 ? qualified[0] : undefined;
  const listed = ALLOWED[policy.engine].has(name);
  if (qualified.length > 2) return `calls ${shown}(), which is not a function it may use`;
  if (schema === undefined || schema === 'pg_catalog') {
    if (listed) return undefined;
    if (policy.productFunctions && schema === undefined && !DANGEROUS.test(name)) return undefined;
  } else if (policy.productFunctions && schema !== 'information_schema' && !DANGEROUS.test(name)) {
    return undefined; // a function in the product's own schema
  }
  return `calls ${shown}(), which is not on the list of side-effect-free functions ${policy.what} may use`;
}

/** The first problem found walking the parse tree of the one statement, or undefined. */
function treeProblem(root: Node, policy: ReadOnlySqlPolicy): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const v of value) stack.push(v);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value as Node)) {
      const node = child as Node;
      if (/^[A-Z]\w*Stmt$/.test(key) && key !== 'SelectStmt')
        return `contains ${STATEMENT_NAMES[key] ?? `a ${key.replace(/Stmt$/, '')} statement`}: only a SELECT that reads is allowed`;
      switch (key) {
        case 'SelectStmt':
          if (node['intoClause']) return 'must not use SELECT … INTO (it creates a table)';
          if (node['lockingClause']) return 'must not lock rows (FOR UPDATE / FOR SHARE)';
          break;
        case 'CommonTableExpr': {
          const body = node['ctequery'] as Node | undefined;
          if (!body || !('SelectStmt' in body)) return `has a WITH query "${String(node['ctename'])}" that is not a SELECT`;
          break;
        }
        case 'FuncCall': {
          const problem = functionProblem(names(node['funcname']), policy);
          if (problem) return problem;
          break;
        }
        case 'A_Expr': {
          if (!['AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_OP_ALL'].includes(String(node['kind']))) break;
          const op = names(node['name']);
          const symbol = op[op.length - 1]!;
          if ((op.length > 1 && op[0] !== 'pg_catalog') || !OPERATORS.has(symbol))
            return `uses the operator ${op.join('.')}, which is not a built-in operator ${policy.what} may use`;
          break;
        }
        case 'RangeTableSample': {
          const method = names(node['method']).join('.');
          if (!SAMPLING.has(method)) return `samples with ${method}, which is not SYSTEM or BERNOULLI`;
          break;
        }
        case 'ParamRef':
          return 'must not use parameters ($1)';
      }
      stack.push(child);
    }
  }
  return undefined;
}

/**
 * Mapping backtick-quoted MySQL names to double-quoted ones lets PostgreSQL's parser read them; only
 * for vetting — the source runs the text as given. Strings and comments are skipped as the engine-neutral
 * check (`queryProblem` in contracts) lexes them.
 */
function asPostgresQuoting(sql: string): string {
  let out = '';
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = sql.indexOf(ch, i + 1);
      if (end < 0) return sql;
      out += ch === '`' ? `"${sql.slice(i + 1, end).replace(/"/g, '""')}"` : sql.slice(i, end + 1);
      i = end;
    } else if ((ch === '-' && sql[i + 1] === '-') || (ch === '/' && sql[i + 1] === '*')) {
      const end = ch === '-' ? sql.indexOf('\n', i) : sql.indexOf('*/', i + 2) + 1;
      if (end <= 0) return out + sql.slice(i);
      out += sql.slice(i, end + 1);
      i = end;
    } else out += ch;
  }
  return out;
}

/** Why `sql` may not run as read-only SQL under `policy`, or undefined when it may. */
export async function readOnlySqlProblem(sql: string, policy: ReadOnlySqlPolicy): Promise<string | undefined> {
  if (!sql.trim()) return 'is empty';
  await parser();
  let parsed: ReturnType<typeof pgQuery.parseSync>;
  try {
    parsed = pgQuery.parseSync(policy.engine === 'mysql' ? asPostgresQuoting(sql) : sql);
  } catch (err) {
    const e = err as { message?: string; sqlDetails?: { cursorPosition?: number } };
    const at = e.sqlDetails?.cursorPosition;
    const dialect = policy.engine === 'postgres' ? '' : " (it is vetted by PostgreSQL's parser, so write it in SQL both engines read)";
    return `cannot be parsed${dialect}: ${e.message ?? String(err)}${typeof at === 'number' && at >= 0 ? ` at character ${at + 1}` : ''}`;
  }
  const statements = parsed.stmts ?? [];
  if (statements.length !== 1) return statements.length ? `must be a single statement, not ${statements.length}` : 'is empty';
  const stmt = statements[0]!.stmt;
  if (!('SelectStmt' in stmt)) {
    const kind = Object.keys(stmt)[0] ?? 'statement';
    return `must be a SELECT, not ${STATEMENT_NAMES[kind] ?? `a ${kind.replace(/Stmt$/, '')} statement`}`;
  }
  try {
    return treeProblem(stmt, policy);
  } catch {
    return 'is too deeply nested to be checked';
  }
}

/** A migration's query source: a single SELECT calling only listed functions (see `readOnlySqlProblem`). */
export function sourceQueryProblem(sql: string, engine: Engine): Promise<string | undefined> {
  return readOnlySqlProblem(sql, { engine, what: 'a query source' });
}
