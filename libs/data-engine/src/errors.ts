import { databaseErrorKind, DeliveryError, DeliveryFailureType, failureTypeOf } from '@sdo/contracts';

/**
 * Turns a driver error into a `DeliveryError` whose type says whether retrying can help (the
 * kinds come from the shared classifier in contracts). The message names what a person should
 * check and never includes connection strings.
 */
export function classifyDriverError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string | number; message?: string };
  const code = String(e?.code ?? '');
  const msg = (e?.message ?? String(err)).replace(/\b[a-z]+:\/\/[^\s]+/gi, '<url>');
  const kind = databaseErrorKind(err);
  switch (kind) {
    case 'unknown-host':
      return new DeliveryError(failureTypeOf(kind), `${what}: the environment's host name does not resolve (ENOTFOUND) — correct the environment's host.`, {
        code,
      });
    case 'bad-credentials':
      return new DeliveryError(failureTypeOf(kind), `${what}: authentication failed — check the environment's user and password.`, { code });
    case 'no-privilege':
      return new DeliveryError(failureTypeOf(kind), `${what}: permission denied — ${msg}`, { code });
    case 'missing-database':
      return new DeliveryError(failureTypeOf(kind), `${what}: database does not exist — ${msg}`, { code });
    case 'missing-object':
      return new DeliveryError(failureTypeOf(kind), code.startsWith('SQLITE') ? `${what}: cannot open the SQLite file — ${msg}` : `${what}: ${msg}`, { code });
    case 'integrity':
      // Keys and foreign keys the data violates (e.g. orphan rows): the same data fails every time.
      return new DeliveryError(failureTypeOf(kind), `${what}: ${msg}`, { code });
    case 'statement':
      // Syntax, an unknown or ambiguous name, a write refused by a read-only session, a statement timeout: retrying the same statement cannot help.
      return new DeliveryError(DeliveryFailureType.InvalidParameters, `${what}: ${msg}`, { code });
    case 'transient':
      return new DeliveryError(failureTypeOf(kind), `${what}: database unreachable or restarting (${code || 'connection lost'}); will retry.`, { code });
    default:
      // Unknown, and "already exists", which a retry after a crash may meet: retried.
      return new DeliveryError(DeliveryFailureType.Unreachable, `${what}: ${msg}`, { code });
  }
}

export function invalid(message: string): DeliveryError {
  return new DeliveryError(DeliveryFailureType.InvalidParameters, message);
}
