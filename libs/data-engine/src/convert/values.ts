import { isUtf8 } from 'node:buffer';
import type { ColumnInfo, Engine, TargetColumn } from '../model';

/** Thrown by a converter for a value that has no faithful PostgreSQL form; becomes a reject row. */
export class ValueReject extends Error {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {
    super(`${column}: ${reason}`);
  }
}

/** Per-table counters of values changed by a documented rule (CASTING.md). */
export interface ConversionStats {
  /** MySQL zero dates (`0000-00-00`, or a zero month/day) loaded as NULL. */
  zeroDates: number;
  /** SQLite values whose storage class did not match the column (text in an INTEGER column, ...) and were converted. */
  coerced: number;
  /** SQLite integers read as Unix epoch seconds into a date/time column. */
  epochDates: number;
}

export const emptyStats = (): ConversionStats => ({ zeroDates: 0, coerced: 0, epochDates: 0 });

export function addStats(a: ConversionStats, b: Partial<ConversionStats>): ConversionStats {
  return { zeroDates: a.zeroDates + (b.zeroDates ?? 0), coerced: a.coerced + (b.coerced ?? 0), epochDates: a.epochDates + (b.epochDates ?? 0) };
}

/** A converted value: PostgreSQL input text (string, or UTF-8 bytes), or null. */
export type PgValue = string | Buffer | null;
export type ValueConverter = (v: unknown, stats: ConversionStats) => PgValue;

const INT_RE = /^[+-]?\d+$/;
const PLAIN_DECIMAL_RE = /^[+-]?\d*\.?\d*$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

function ascii(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  return String(v);
}

/** Text from a driver value; Buffers must be valid UTF-8 and no text may hold NUL (PostgreSQL cannot store it). */
function text(col: string, v: unknown): string | Buffer {
  if (Buffer.isBuffer(v)) {
    if (!isUtf8(v)) throw new ValueReject(col, 'invalid UTF-8 byte sequence');
    if (v.indexOf(0) !== -1) throw new ValueReject(col, 'NUL byte (0x00) in text');
    return v;
  }
  const s = typeof v === 'string' ? v : ascii(v);
  if (s.includes('\u0000')) throw new ValueReject(col, 'NUL byte (0x00) in text');
  return s;
}

function textString(col: string, v: unknown): string {
  const t = text(col, v);
  return typeof t === 'string' ? t : t.toString('utf8');
}

function intBaseType(pgType: string): keyof typeof INT_RANGES | null {
  return pgType === 'smallint' || pgType === 'integer' || pgType === 'bigint' ? pgType : null;
}

/** Digits before the decimal point must fit `precision - scale`. Handles exponent notation. */
export function checkNumericRange(col: string, s: string, precision?: number, scale?: number): void {
  if (precision === undefined) return;
  if (PLAIN_DECIMAL_RE.test(s)) {
    // Fast path, plain notation: count the integer digits without normalising.
    let a = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
    const dot = s.indexOf('.');
    const end = dot === -1 ? s.length : dot;
    while (a < end && s.charCodeAt(a) === 48) a++;
    if (end - a > precision - (scale ?? 0)) throw new ValueReject(col, `value ${s} does not fit numeric(${precision},${scale ?? 0})`);
    return;
  }
  const intDigits = normalizeDecimal(s).replace(/^-/, '').split('.')[0]!.replace(/^0+/, '').length;
  if (intDigits > precision - (scale ?? 0)) throw new ValueReject(col, `value ${s} does not fit numeric(${precision},${scale ?? 0})`);
}

/** Plain decimal text of a number in any notation (`1.5e-3` → `0.0015`), without float arithmetic. */
export function normalizeDecimal(s: string): string {
  let t = s.trim();
  let sign = '';
  if (t[0] === '+' || t[0] === '-') {
    if (t[0] === '-') sign = '-';
    t = t.slice(1);
  }
  let exp = 0;
  const e = t.search(/[eE]/);
  if (e >= 0) {
    exp = parseInt(t.slice(e + 1), 10);
    t = t.slice(0, e);
  }
  let [i = '', f = ''] = t.split('.');
  if (exp > 0) {
    f = f.padEnd(exp, '0');
    i += f.slice(0, exp);
    f = f.slice(exp);
  } else if (exp < 0) {
    i = i.padStart(-exp + 1, '0');
    f = i.slice(i.length + exp) + f;
    i = i.slice(0, i.length + exp);
  }
  i = i.replace(/^0+(?=\d)/, '') || '0';
  return `${sign}${i}${f ? `.${f}` : ''}`;
}

/** Decimal text rounded half away from zero to `scale` digits (what PostgreSQL numeric input does). */
export function roundDecimal(s: string, scale: number): string {
  const n = normalizeDecimal(s);
  const neg = n.startsWith('-');
  const [i, f = ''] = n.replace(/^-/, '').split('.');
  if (f.length <= scale) return n;
  const keep = f.slice(0, scale);
  let digits = (i! + keep).split('').map(Number);
  if (Number(f[scale]) >= 5) {
    let k = digits.length - 1;
    while (k >= 0) {
      if (digits[k]! < 9) {
        digits[k]!++;
        break;
      }
      digits[k] = 0;
      k--;
    }
    if (k < 0) digits = [1, ...digits];
  }
  const all = digits.join('');
  const ip = all.slice(0, all.length - scale) || '0';
  const fp = all.slice(all.length - scale);
  return `${neg ? '-' : ''}${ip}${scale > 0 ? `.${fp}` : ''}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function epochToTimestamp(col: string, secs: bigint): string {
  const ms = Number(secs) * 1000;
  if (!Number.isSafeInteger(ms)) throw new ValueReject(col, `epoch ${secs} out of range`);
  const d = new Date(ms); // integer seconds only: exact
  if (Number.isNaN(d.getTime())) throw new ValueReject(col, `epoch ${secs} out of range`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000000`;
}

const DATE_TIME_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const ISO_SECONDS_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const TIME_RE = /^(-)?(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

/**
 * Parses date/time text into canonical `YYYY-MM-DD HH:MM:SS.ffffff` (or the date part), applying
 * the zero-date rule. Returns null for a zero date (counted), throws a reject for anything else
 * PostgreSQL cannot hold.
 */
function dateTimeText(col: string, s: string, kind: 'date' | 'timestamp' | 'timestamptz', stats: ConversionStats, allowZone: boolean): string | null {
  // Fast path for the commonest spelling, `YYYY-MM-DD HH:MM:SS` (SQLite's datetime(), MySQL DATETIME).
  if (s.length === 19 && ISO_SECONDS_RE.test(s)) {
    const y = +s.slice(0, 4),
      mo = +s.slice(5, 7),
      d = +s.slice(8, 10),
      h = +s.slice(11, 13),
      mi = +s.slice(14, 16),
      sec = +s.slice(17, 19);
    if (y > 0 && mo > 0 && d > 0 && mo <= 12 && d <= 31 && h <= 23 && mi <= 59 && sec <= 60) {
      if (kind === 'date') return s.slice(0, 10);
      return kind === 'timestamptz' ? `${s}.000000+00` : `${s}.000000`;
    }
  }
  const m = DATE_TIME_RE.exec(s.trim());
  if (!m) throw new ValueReject(col, `"${s.slice(0, 40)}" is not a date/time`);
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  if (Number(mo) === 0 || Number(d) === 0) {
    stats.zeroDates++;
    return null;
  }
  if (Number(y) === 0) throw new ValueReject(col, `year 0000 does not exist in PostgreSQL ("${s}")`);
  if (Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) throw new ValueReject(col, `"${s}" is out of range`);
  if (zone && zone !== 'Z' && !allowZone) throw new ValueReject(col, `"${s}" carries a time zone offset but the column has none`);
  if (frac.length > 6 && /[1-9]/.test(frac.slice(6))) throw new ValueReject(col, `"${s}" has more than microsecond precision`);
  const date = `${y}-${pad(Number(mo))}-${pad(Number(d))}`;
  if (kind === 'date') return date;
  const out = `${date} ${pad(Number(h))}:${mi}:${pad(Number(sec))}.${frac.slice(0, 6).padEnd(6, '0')}`;
  if (kind === 'timestamptz') return `${out}${zone && zone !== 'Z' ? zone : '+00'}`;
  return out;
}

function timeText(col: string, s: string): string {
  const m = TIME_RE.exec(s.trim());
  if (!m) throw new ValueReject(col, `"${s.slice(0, 40)}" is not a time of day`);
  const [, neg, h, mi, sec = '0', frac = ''] = m;
  if (neg || Number(h) > 24 || (Number(h) === 24 && (Number(mi) > 0 || Number(sec) > 0 || /[1-9]/.test(frac)))) {
    throw new ValueReject(col, `"${s}" is outside a time of day (MySQL TIME can hold durations; PostgreSQL time cannot)`);
  }
  return `${pad(Number(h))}:${mi}:${pad(Number(sec))}.${frac.slice(0, 6).padEnd(6, '0')}`;
}

function arrayLiteral(items: string[]): string {
  return `{${items.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/**
 * One converter per (source column, target column): the rules of CASTING.md, applied to the raw
 * driver values each connector produces (MySQL: text-protocol Buffers; SQLite: bigint, number,
 * string, Buffer — text selected as bytes so invalid UTF-8 is visible).
 */
export function makeConverter(engine: Engine, src: ColumnInfo, tgt: TargetColumn): ValueConverter {
  const col = src.name;
  const strict = engine === 'mysql'; // MySQL enforces its own types: values already have the declared type
  switch (tgt.kind) {
    case 'int': {
      const range = INT_RANGES[intBaseType(tgt.pgType) ?? 'bigint']!;
      if (strict) return (v) => (v === null ? null : ascii(v));
      return (v, stats) => {
        if (v === null || v === undefined) return null;
        let n: bigint;
        if (typeof v === 'bigint') n = v;
        else if (typeof v === 'number') {
          if (!Number.isInteger(v)) throw new ValueReject(col, `${v} is not an integer`);
          n = BigInt(v);
          stats.coerced++;
        } else {
          const s = textString(col, v).trim();
          if (!INT_RE.test(s)) throw new ValueReject(col, `"${s.slice(0, 40)}" is not an integer`);
          n = BigInt(s);
          stats.coerced++;
        }
        if (n < range[0] || n > range[1]) throw new ValueReject(col, `${n} is out of range for ${tgt.pgType}`);
        return n.toString();
      };
    }
    case 'bool':
      if (strict) return (v) => (v === null ? null : ascii(v) === '0' ? 'f' : 't');
      return (v, stats) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'bigint' && (v === 0n || v === 1n)) return v === 1n ? 't' : 'f';
        const s = ascii(Buffer.isBuffer(v) ? textString(col, v) : v)
          .trim()
          .toLowerCase();
        const t = ['1', 't', 'true', 'y', 'yes', 'on'].includes(s);
        const f = ['0', 'f', 'false', 'n', 'no', 'off'].includes(s);
        if (!t && !f) throw new ValueReject(col, `"${s.slice(0, 40)}" is not a boolean (0/1, true/false)`);
        stats.coerced++;
        return t ? 't' : 'f';
      };
    case 'numeric': {
      if (strict) return (v) => (v === null ? null : ascii(v));
      const precision = srcPrecision(tgt);
      return (v, stats) => {
        if (v === null || v === undefined) return null;
        let s: string;
        if (typeof v === 'bigint') s = v.toString();
        else if (typeof v === 'number') {
          if (!Number.isFinite(v)) throw new ValueReject(col, `${v} is not a finite number`);
          s = String(v); // the shortest text that round-trips the stored double: exact for what SQLite holds
        } else {
          s = textString(col, v).trim();
          if (!NUM_RE.test(s)) throw new ValueReject(col, `"${s.slice(0, 40)}" is not a number`);
          stats.coerced++;
        }
        checkNumericRange(col, s, precision, tgt.scale);
        return s;
      };
    }
    case 'float':
      if (strict) return (v) => (v === null ? null : ascii(v));
      return (v, stats) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'number') return String(v);
        if (typeof v === 'bigint') return v.toString();
        const s = textString(col, v).trim();
        if (!NUM_RE.test(s) && !/^[+-]?(inf|infinity|nan)$/i.test(s)) throw new ValueReject(col, `"${s.slice(0, 40)}" is not a number`);
        stats.coerced++;
        return s;
      };
    case 'bytea':
      return (v) => {
        if (v === null || v === undefined) return null;
        const b = Buffer.isBuffer(v) ? v : Buffer.from(ascii(v), 'utf8');
        return `\\x${b.toString('hex')}`;
      };
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return (v, stats) => {
        if (v === null || v === undefined) return null;
        if (typeof v === 'bigint' || typeof v === 'number') {
          if (strict) return dateTimeText(col, ascii(v), tgt.kind as 'date', stats, true);
          if (typeof v === 'number' && !Number.isInteger(v)) throw new ValueReject(col, `${v} is not whole Unix epoch seconds`);
          stats.epochDates++;
          const ts = epochToTimestamp(col, BigInt(v));
          return tgt.kind === 'date' ? ts.slice(0, 10) : tgt.kind === 'timestamptz' ? `${ts}+00` : ts;
        }
        const s = strict ? ascii(v) : textString(col, v);
        return dateTimeText(col, s, tgt.kind as 'date', stats, tgt.kind === 'timestamptz');
      };
    case 'time':
      return (v) => (v === null || v === undefined ? null : timeText(col, strict ? ascii(v) : textString(col, v)));
    case 'textarray':
      return (v) => {
        if (v === null || v === undefined) return null;
        const s = textString(col, v);
        return arrayLiteral(s === '' ? [] : s.split(','));
      };
    case 'json':
      return (v) => {
        if (v === null || v === undefined) return null;
        const s = textString(col, v);
        if (!strict) {
          try {
            JSON.parse(s);
          } catch {
            throw new ValueReject(col, 'not valid JSON');
          }
        }
        return s;
      };
    case 'text':
    default: {
      const members = tgt.checkIn ? new Set(tgt.checkIn) : null;
      return (v) => {
        if (v === null || v === undefined) return null;
        const t = text(col, v);
        if (members) {
          const s = typeof t === 'string' ? t : t.toString('utf8');
          if (!members.has(s)) throw new ValueReject(col, `"${s.slice(0, 40)}" is not one of the enum values`);
        }
        return t;
      };
    }
  }
}

function srcPrecision(tgt: TargetColumn): number | undefined {
  const m = /^numeric\((\d+)/.exec(tgt.pgType);
  return m ? Number(m[1]) : undefined;
}
