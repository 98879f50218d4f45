import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';

/** PostgreSQL "already exists" errors: a retry after a crash may meet them, they are not statement errors. */
const DUPLICATE_OBJECT = new Set(['42P04', '42P06', '42P07', '42710', '42712', '42723']);

/**
 * Turns a driver error into a `DeliveryError` whose type says whether retrying can help. The
 * message names what a person should check and never includes connection strings.
 */
export function classifyDriverError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string | number; errno?: number; message?: string; sqlState?: string };
  const code = String(e?.code ?? '');
  const msg = (e?.message ?? String(err)).replace(/\b[a-z]+:\/\/[^\s]+/gi, '<url>');
  // PostgreSQL SQLSTATEs
  if (code === '28P01' || code === '28000') return new DeliveryError(DeliveryFailureType.BadCredentials, `${what}: authentication failed — check the environment's user and password.`);
  if (code === '42501') return new DeliveryError(DeliveryFailureType.InsufficientPrivileges, `${what}: permission denied — ${msg}`);
  if (code === '3D000') return new DeliveryError(DeliveryFailureType.MissingObject, `${what}: database does not exist — ${msg}`);
  if (code === '42P01' || code === '42703' || code === '3F000') return new DeliveryError(DeliveryFailureType.MissingObject, `${what}: ${msg}`);
  // MySQL / MariaDB
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') return new DeliveryError(DeliveryFailureType.BadCredentials, `${what}: access denied — check the environment's user and password.`);
  if (code === 'ER_BAD_DB_ERROR' || code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') return new DeliveryError(DeliveryFailureType.MissingObject, `${what}: ${msg}`);
  if (code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR') return new DeliveryError(DeliveryFailureType.InsufficientPrivileges, `${what}: ${msg}`);
  // SQLite
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB') return new DeliveryError(DeliveryFailureType.MissingObject, `${what}: cannot open the SQLite file — ${msg}`);
  // The statement itself cannot run (syntax, an unknown or ambiguous name, a write refused by a
  // read-only session, a statement timeout): retrying the same statement cannot help.
  // Classes 0A (not supported), 21, 22 (data), 25 (transaction state: e.g. switching a read-only
  // transaction to read-write), 2F/38/39 (routines), 54 (program limits) are about the statement too.
  if ((/^42/.test(code) && !DUPLICATE_OBJECT.has(code)) || /^(0A|21|22|25|2F|38|39|54)[0-9A-Z]{3}$/.test(code) || ['25006', '57014', 'ER_PARSE_ERROR', 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION', 'ER_NON_UNIQ_ERROR', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'SQLITE_ERROR', 'SQLITE_READONLY'].includes(code)) {
    return new DeliveryError(DeliveryFailureType.InvalidParameters, `${what}: ${msg}`, { code });
  }
  // Network and server restarts: retrying helps.
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', '57P01', '57P02', '57P03', '08006', '08001', '08003', '53300', '40001', '40P01', '55P03'].includes(code)
    || /Connection terminated|terminating connection|server closed the connection/i.test(msg)) {
    return new DeliveryError(DeliveryFailureType.Unreachable, `${what}: database unreachable or restarting (${code || 'connection lost'}); will retry.`);
  }
  return new DeliveryError(DeliveryFailureType.Unreachable, `${what}: ${msg}`, { code });
}

export function invalid(message: string): DeliveryError {
  return new DeliveryError(DeliveryFailureType.InvalidParameters, message);
}
