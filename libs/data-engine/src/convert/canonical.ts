import type { CanonicalKind } from '../model';
import { normalizeDecimal, roundDecimal, type PgValue } from './values';

/**
 * The canonical text of a converted value, exactly as the PostgreSQL side renders it in
 * `canonicalExprPg` (connectors/postgres.ts). Used where the checksum cannot be computed by SQL in
 * the source engine itself (SQLite, whose values are computed in process).
 */
export function canonicalText(kind: CanonicalKind, v: PgValue, scale?: number): string | null {
  if (v === null) return null;
  const s = typeof v === 'string' ? v : v.toString('utf8');
  switch (kind) {
    case 'numeric': {
      const r = scale !== undefined ? roundDecimal(s, scale) : normalizeDecimal(s);
      return trimScale(r);
    }
    case 'float':
      return pgFloat8Text(Number(s))
        .replace('e+', 'e')
        .replace(/e(-?)0+(\d)/, 'e$1$2');
    case 'int':
      return BigInt(s).toString();
    case 'bytea':
      return s.startsWith('\\x') ? s.slice(2).toLowerCase() : Buffer.from(s, 'utf8').toString('hex');
    case 'timestamptz':
      return s.replace(/\+00$/, '');
    case 'textarray':
      return s === '{}'
        ? ''
        : s
            .slice(2, -2)
            .split('","')
            .map((x) => x.replace(/\\(.)/g, '$1'))
            .join(',');
    default:
      return s;
  }
}

/** `trim_scale(x)::text` of PostgreSQL: no trailing fractional zeros, no bare point, no negative zero. */
export function trimScale(s: string): string {
  let t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  if (/^-0*$/.test(t) || t === '-0') t = '0';
  return t;
}

/** PostgreSQL 12+ `float8out`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e15. */
export function pgFloat8Text(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const sign = n < 0 ? '-' : '';
  const [m, e] = Math.abs(n).toExponential().split('e') as [string, string];
  const exp = Number(e);
  const digits = m.replace('.', '');
  if (exp >= -4 && exp < 15) {
    if (exp >= 0) {
      const ip = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const fp = digits.slice(exp + 1);
      return `${sign}${ip}${fp ? `.${fp}` : ''}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Row text fed to md5: each value length-prefixed so no separator inside a value can make two rows collide. */
export function canonicalRow(values: (string | null)[]): string {
  return values.map((v) => (v === null ? '~' : `${[...v].length}:${v}`)).join(',');
}
