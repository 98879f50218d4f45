import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';

/** PostgreSQL silently truncates longer identifiers, which could make two names point at one database. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier for PostgreSQL: always double-quoted, inner quotes doubled, so no name can
 * end the identifier and inject SQL. Names PostgreSQL would truncate or cannot store are refused.
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'An empty database object name was given.');
  }
  if (name.includes('\0')) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'A database object name contains a NUL character.');
  }
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new DeliveryError(
      DeliveryFailureType.InvalidParameters,
      `The name "${name.slice(0, 20)}…" is longer than ${MAX_IDENTIFIER_BYTES} bytes; PostgreSQL would truncate it. Choose a shorter name.`,
    );
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, both parts quoted. */
export function quoteQualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
