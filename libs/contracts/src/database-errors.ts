import { DeliveryFailureType } from './errors';

/**
 * What a database driver's error means for a delivery: the one classifier the data engine, the
 * upgrade kit and the org-split/carryover activities delegate to (PostgreSQL SQLSTATEs, MySQL/
 * MariaDB codes, SQLite codes and Node's network codes). Pure: no driver is imported.
 */
export type DatabaseErrorKind =
  /** The host name does not resolve (ENOTFOUND): permanent until the environment is corrected. */
  | 'unknown-host'
  | 'bad-credentials'
  | 'no-privilege'
  | 'missing-database'
  /** A table, column, schema or SQLite file that is not there. */
  | 'missing-object'
  /** Created by an earlier attempt, or by someone else: what it means depends on the step. */
  | 'already-exists'
  /** A key or foreign key the data violates: the same data fails the same way every time. */
  | 'integrity'
  /** The statement cannot run as written (syntax, types, data exceptions, read-only, statement timeout, raised exceptions). */
  | 'statement'
  /** Network, refused connection, restart, too many connections, deadlock, lock not available: worth retrying, within a budget. */
  | 'transient';

const KINDS: Record<string, DatabaseErrorKind> = {};
const define = (kind: DatabaseErrorKind, codes: string[]) => codes.forEach((code) => (KINDS[code] = kind));
define('unknown-host', ['ENOTFOUND']);
define('bad-credentials', ['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 'SQLITE_AUTH']);
define('no-privilege', ['42501', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', 'SQLITE_PERM']);
define('missing-database', ['3D000', 'ER_BAD_DB_ERROR']);
define('missing-object', [
  '42P01',
  '42703',
  '3F000',
  '42883',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_BAD_TABLE_ERROR',
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
]);
define('already-exists', ['42P04', '42P06', '42P07', '42710', '42712', '42723', 'ER_TABLE_EXISTS_ERROR', 'ER_DB_CREATE_EXISTS', 'ER_DUP_KEYNAME']);
define('statement', [
  '25006',
  '57014',
  'ER_PARSE_ERROR',
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
  'ER_NON_UNIQ_ERROR',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'SQLITE_ERROR',
  'SQLITE_READONLY',
  'SQLITE_MISMATCH',
]);
define('integrity', ['ER_DUP_ENTRY', 'ER_NO_REFERENCED_ROW_2', 'ER_ROW_IS_REFERENCED_2', 'SQLITE_CONSTRAINT']);
/** The server cannot be reached, refused the connection, or went away (restart, shutdown, too many connections). */
const CONNECTION_LOSS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
define('transient', [...CONNECTION_LOSS, '40001', '40P01', '55P03', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

const CONNECTION_LOST = /Connection terminated|terminating connection|server closed the connection|connection timeout|timed out/i;

/** A transient error that lost the connection itself (not a deadlock or a lock wait): the session is gone. */
export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = String(e?.code ?? '');
  return CONNECTION_LOSS.has(code) || (!KINDS[code] && CONNECTION_LOST.test(String(e?.message ?? '')));
}

/** The kind of a driver error from its code (and, for connection loss without a code, its message); undefined when unknown. */
export function databaseErrorKind(err: unknown): DatabaseErrorKind | undefined {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = String(e?.code ?? '');
  const known = KINDS[code];
  if (known) return known;
  // Classes about the statement itself: 42 (syntax, names), 22 (data), P0 (raised), 0A (not supported), 21 (cardinality),
  // 25 (transaction state, e.g. switching a read-only transaction to read-write), 2F/38/39 (routines), 54 (program limits).
  if (/^(42|22|P0|0A|21|25|2F|38|39|54)[0-9A-Z]{3}$/.test(code)) return 'statement';
  if (/^23/.test(code)) return 'integrity';
  if (CONNECTION_LOST.test(String(e?.message ?? ''))) return 'transient';
  return undefined;
}

/** Retrying helps only transient errors; every other known kind needs a person. */
export function isTransient(kind: DatabaseErrorKind | undefined): boolean {
  return kind === 'transient';
}

/** The failure type of a kind; `statement` and `already-exists` depend on the step, so the caller says. */
export function failureTypeOf(kind: Exclude<DatabaseErrorKind, 'statement' | 'already-exists'>): DeliveryFailureType {
  switch (kind) {
    case 'unknown-host':
      return DeliveryFailureType.UnknownHost;
    case 'bad-credentials':
      return DeliveryFailureType.BadCredentials;
    case 'no-privilege':
      return DeliveryFailureType.InsufficientPrivileges;
    case 'missing-database':
      return DeliveryFailureType.EnvironmentNotFound;
    case 'missing-object':
      return DeliveryFailureType.MissingObject;
    case 'integrity':
      return DeliveryFailureType.VerificationFailed;
    case 'transient':
      return DeliveryFailureType.Unreachable;
  }
}
