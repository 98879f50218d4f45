import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { quoteIdent } from '@sdo/pg-kit';

/**
 * Identifiers come from requests and from source catalogs: they are always quoted by the engine,
 * never interpolated raw. Quoting doubles the quote character, which makes any content (quotes,
 * semicolons, comments) part of the name rather than SQL.
 */
function checkIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'An identifier (schema, table or column name) is empty.');
  }
  if (name.includes('\u0000')) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'An identifier contains a NUL character, which no database accepts.');
  }
  return name;
}

/** PostgreSQL: the toolkit's quoter, which also refuses names PostgreSQL would truncate (63 bytes). */
export const quotePg = quoteIdent;

export function quoteMysql(name: string): string {
  return `\`${checkIdent(name).replace(/`/g, '``')}\``;
}

/** SQLite quotes like PostgreSQL but has no length limit. */
export function quoteSqlite(name: string): string {
  return `"${checkIdent(name).replace(/"/g, '""')}"`;
}

/** Escapes a text value as a PostgreSQL string literal (E'' form when it contains backslashes). */
export function pgLiteral(value: string): string {
  if (value.includes('\u0000')) throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'A literal contains a NUL character.');
  const escaped = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${escaped.replace(/\\/g, '\\\\')}'` : `'${escaped}'`;
}

/** PostgreSQL identifiers are at most 63 bytes: long generated names keep a hash suffix so they stay unique. */
export function pgName(...parts: string[]): string {
  const name = parts.filter(Boolean).join('_');
  if (Buffer.byteLength(name) <= 63) return name;
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.codePointAt(0)!) >>> 0;
  const suffix = `_${h.toString(16)}`;
  let head = name;
  while (Buffer.byteLength(head) + suffix.length > 63) head = head.slice(0, -1);
  return head + suffix;
}

export type IdentifierCase = 'preserve' | 'lower' | 'snake';

/** Target naming: `snake` turns `InvoiceLineId` into `invoice_line_id` (what hand-written PG schemas use). */
export function targetName(name: string, style: IdentifierCase): string {
  if (style === 'preserve') return name;
  if (style === 'lower') return name.toLowerCase();
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}
