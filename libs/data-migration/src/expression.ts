/**
 * Column expressions of a migration mapping: a deliberately small language, parsed here and
 * evaluated in the worker — never pasted into SQL. Grammar:
 *
 *   expr    := literal | column | name '(' [expr (',' expr)*] ')'
 *   literal := 'text' (with '' for a quote) | -?digits[.digits] | null | true | false
 *   column  := [A-Za-z_][A-Za-z0-9_]*   (must exist in the mapping's source table)
 *
 * Values are text (or null) throughout, so numbers and timestamps keep every digit.
 */
export type Expr = { kind: 'literal'; value: string | null } | { kind: 'column'; name: string } | { kind: 'call'; fn: FunctionName; args: Expr[] };

type Value = string | null;

const FUNCTIONS = {
  concat: { min: 1, max: 32, run: (a: Value[]) => a.map((v) => v ?? '').join('') },
  upper: { min: 1, max: 1, run: ([v]: Value[]) => (v == null ? null : v.toUpperCase()) },
  lower: { min: 1, max: 1, run: ([v]: Value[]) => (v == null ? null : v.toLowerCase()) },
  trim: { min: 1, max: 1, run: ([v]: Value[]) => (v == null ? null : v.trim()) },
  coalesce: { min: 1, max: 32, run: (a: Value[]) => a.find((v) => v != null) ?? null },
  nullif: { min: 2, max: 2, run: ([a, b]: Value[]) => (a === b ? null : (a ?? null)) },
  /** substr(text, start[, length]), 1-based like SQL, counted in characters. */
  substr: {
    min: 2,
    max: 3,
    run: ([v, start, length]: Value[]) => {
      if (v == null) return null;
      const chars = [...v];
      const from = Math.max(0, Number(start) - 1);
      return chars.slice(from, length == null ? undefined : from + Math.max(0, Number(length))).join('');
    },
  },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export class ExpressionError extends Error {}

export function parseExpression(text: string): Expr {
  if (typeof text !== 'string' || !text.trim()) throw new ExpressionError('is empty');
  if (text.length > 2000) throw new ExpressionError('is longer than 2000 characters');
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expr = (depth: number): Expr => {
    if (depth > 16) throw new ExpressionError('nests too deeply');
    ws();
    const ch = text[i];
    if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ExpressionError('has an unterminated text literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      return { kind: 'literal', value };
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { kind: 'literal', value: num[0] };
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!ident) throw new ExpressionError(`has an unexpected character at position ${i + 1}: ${JSON.stringify(text[i] ?? 'end')}`);
    i += ident[0].length;
    const name = ident[0];
    ws();
    if (text[i] === '(') {
      const fn = name.toLowerCase();
      if (!(fn in FUNCTIONS)) throw new ExpressionError(`calls ${name}(), which is not one of ${Object.keys(FUNCTIONS).join(', ')}`);
      i++;
      const args: Expr[] = [];
      ws();
      if (text[i] !== ')') {
        for (;;) {
          args.push(expr(depth + 1));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ')') break;
          throw new ExpressionError(`expects ',' or ')' at position ${i + 1}`);
        }
      }
      i++;
      const spec = FUNCTIONS[fn as FunctionName];
      if (args.length < spec.min || args.length > spec.max) throw new ExpressionError(`calls ${fn}() with ${args.length} argument(s)`);
      return { kind: 'call', fn: fn as FunctionName, args };
    }
    const lower = name.toLowerCase();
    if (lower === 'null') return { kind: 'literal', value: null };
    if (lower === 'true' || lower === 'false') return { kind: 'literal', value: lower };
    return { kind: 'column', name };
  };
  const parsed = expr(0);
  ws();
  if (i !== text.length) throw new ExpressionError(`has unexpected text at position ${i + 1}`);
  return parsed;
}

export function columnsOf(e: Expr): string[] {
  if (e.kind === 'column') return [e.name];
  if (e.kind === 'call') return e.args.flatMap(columnsOf);
  return [];
}

export function evaluate(e: Expr, row: (column: string) => Value): Value {
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'column') return row(e.name);
  return FUNCTIONS[e.fn].run(e.args.map((a) => evaluate(a, row)));
}
