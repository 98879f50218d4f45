import { databaseErrorKind, failureTypeOf, isConnectionLoss, isTransient } from './database-errors';
import { DeliveryFailureType, isNonRetryable } from './errors';

describe('databaseErrorKind (the one classifier of driver errors)', () => {
  it.each([
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND nonexistent.invalid' }, 'unknown-host'],
    [{ code: 'EAI_AGAIN' }, 'transient'],
    [{ code: 'ECONNREFUSED' }, 'transient'],
    [{ code: 'ETIMEDOUT' }, 'transient'],
    [{ code: '28P01' }, 'bad-credentials'],
    [{ code: 'ER_ACCESS_DENIED_ERROR' }, 'bad-credentials'],
    [{ code: '3D000' }, 'missing-database'],
    [{ code: 'ER_BAD_DB_ERROR' }, 'missing-database'],
    [{ code: '42501' }, 'no-privilege'],
    [{ code: '42P01' }, 'missing-object'],
    [{ code: 'SQLITE_CANTOPEN' }, 'missing-object'],
    [{ code: '42P07' }, 'already-exists'],
    [{ code: '23503' }, 'integrity'],
    [{ code: 'ER_DUP_ENTRY' }, 'integrity'],
    [{ code: '42601' }, 'statement'],
    [{ code: '22P02' }, 'statement'],
    [{ code: 'P0001' }, 'statement'],
    [{ code: '57014' }, 'statement'],
    [{ code: '40P01' }, 'transient'],
    [{ code: '57P01' }, 'transient'],
    [{ message: 'Connection terminated unexpectedly' }, 'transient'],
    [{ code: 'XX000', message: 'internal error' }, undefined],
    [new Error('something else'), undefined],
  ])('%j is %s', (err, kind) => {
    expect(databaseErrorKind(err)).toBe(kind);
  });

  it('only transient errors are worth retrying; host, credentials and database are typed non-retryable', () => {
    expect(isTransient('transient')).toBe(true);
    for (const kind of ['unknown-host', 'bad-credentials', 'missing-database', 'no-privilege', 'missing-object', 'integrity'] as const) {
      expect(isTransient(kind)).toBe(false);
      expect(isNonRetryable(failureTypeOf(kind))).toBe(true);
    }
    expect(failureTypeOf('unknown-host')).toBe(DeliveryFailureType.UnknownHost);
    expect(isNonRetryable(failureTypeOf('transient'))).toBe(false);
  });

  it('a deadlock is transient but not a lost connection; a refused connection is both', () => {
    expect(isConnectionLoss({ code: '40P01' })).toBe(false);
    expect(isConnectionLoss({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isConnectionLoss({ code: 'ENOTFOUND' })).toBe(false);
  });
});
