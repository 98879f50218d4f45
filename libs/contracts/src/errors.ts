/**
 * Failure types every layer agrees on. Activities throw `ApplicationFailure`s with one of these
 * types; the API maps them to HTTP answers; engineers filter on them in the Temporal UI.
 * `nonRetryable` ones are failures that retrying cannot fix: a person has to act.
 */
export enum DeliveryFailureType {
  InvalidParameters = 'InvalidParameters',
  BadCredentials = 'BadCredentials',
  InsufficientPrivileges = 'InsufficientPrivileges',
  EnvironmentNotFound = 'EnvironmentNotFound',
  /** The environment's host or SQLite file is refused by the environment policy (checked again at every connect). */
  EnvironmentNotAllowed = 'EnvironmentNotAllowed',
  MissingObject = 'MissingObject',
  UnsupportedType = 'UnsupportedType',
  InvalidPackage = 'InvalidPackage',
  ScriptFailed = 'ScriptFailed',
  VerificationFailed = 'VerificationFailed',
  RehearsalFailed = 'RehearsalFailed',
  SchemaDrift = 'SchemaDrift',
  StaleAttempt = 'StaleAttempt',
  Unreachable = 'Unreachable',
  /** The environment's host name does not resolve: a person must correct the environment. */
  UnknownHost = 'UnknownHost',
}

const NON_RETRYABLE = new Set<DeliveryFailureType>([
  DeliveryFailureType.InvalidParameters,
  DeliveryFailureType.BadCredentials,
  DeliveryFailureType.InsufficientPrivileges,
  DeliveryFailureType.EnvironmentNotFound,
  DeliveryFailureType.EnvironmentNotAllowed,
  DeliveryFailureType.MissingObject,
  DeliveryFailureType.UnsupportedType,
  DeliveryFailureType.InvalidPackage,
  DeliveryFailureType.ScriptFailed,
  DeliveryFailureType.VerificationFailed,
  DeliveryFailureType.RehearsalFailed,
  DeliveryFailureType.SchemaDrift,
  DeliveryFailureType.StaleAttempt,
  DeliveryFailureType.UnknownHost,
]);

export function isNonRetryable(type: DeliveryFailureType): boolean {
  return NON_RETRYABLE.has(type);
}

/**
 * Thrown by libraries (data engine, upgrade kit) that know nothing of Temporal; the activity
 * layer converts it into an `ApplicationFailure` of the same type. The message must tell a
 * person what to do and must never contain a password or connection string.
 */
export class DeliveryError extends Error {
  constructor(
    readonly type: DeliveryFailureType,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  get nonRetryable(): boolean {
    return isNonRetryable(this.type);
  }
}
