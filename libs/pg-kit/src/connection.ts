import { Client } from 'pg';
import { databaseErrorKind, DeliveryError, DeliveryFailureType, failureTypeOf, isConnectionLoss } from '@sdo/contracts';

/**
 * The one way SDO reaches a PostgreSQL database of a customer: connections, their failures in
 * delivery terms (kinds from the shared classifier in contracts), and nothing else.
 */

/**
 * How to reach a target database. The caller resolves it from an environment record; it is never
 * logged, put in an error message or passed through Temporal.
 */
export interface TargetConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl?: boolean;
  /** When `host` is an IP address and `ssl` is on: the name the server's certificate is checked against. */
  tlsServerName?: string;
}

/** The connection a `postgres://` URL names (tools and tests; deliveries resolve registered environments). */
export function connectionFromUrl(url: string): TargetConnection {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/** A registered environment's connection settings, as the environment directory resolves them. */
export interface EnvironmentSettings extends TargetConnection {
  engine: string;
}

/** The environment's settings as a PostgreSQL connection; any other engine is refused, naming the environment's role. */
export function pgConnection(settings: EnvironmentSettings, role = 'target', environmentId?: string): TargetConnection {
  if (settings.engine !== 'postgres') {
    const which = environmentId ? `The ${role} environment ${environmentId}` : `The ${role} environment`;
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${which} must be PostgreSQL (it is ${settings.engine}).`);
  }
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: settings.ssl,
    tlsServerName: settings.tlsServerName,
  };
}

export interface ConnectOptions {
  /** Connect to another database of the same server (e.g. a maintenance database). */
  database?: string;
  connectTimeoutMs?: number;
}

/**
 * Turns a connection-time error into a `DeliveryError` a person can act on (kinds from the shared
 * classifier in contracts). The message names the database but never the host, user or password.
 */
export function classifyConnectionError(err: unknown, database: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const message = String(e?.message ?? '');
  const kind = databaseErrorKind(err);
  if (kind === 'unknown-host') {
    return new DeliveryError(
      failureTypeOf(kind),
      `The host name of the environment of database "${database}" does not resolve (ENOTFOUND). Correct the environment's host.`,
      { code },
    );
  }
  if (kind === 'bad-credentials') {
    return new DeliveryError(
      failureTypeOf(kind),
      `The target server rejected the environment's user name or password for database "${database}" (${code}). Update the credentials of the environment and retry.`,
      { sqlState: code },
    );
  }
  if (kind === 'missing-database') {
    return new DeliveryError(
      failureTypeOf(kind),
      `Database "${database}" does not exist on the environment's server (${code}). Check the database name of the environment.`,
      { sqlState: code },
    );
  }
  if (kind === 'no-privilege') {
    return new DeliveryError(
      failureTypeOf(kind),
      `The environment's user may not connect to database "${database}" (${code}). Grant it CONNECT on the database.`,
      { sqlState: code },
    );
  }
  if (isConnectionLoss(err)) {
    return new DeliveryError(
      DeliveryFailureType.Unreachable,
      `The server of database "${database}" could not be reached (${code || 'timeout'}). It will be retried; check that the server is up and reachable from the worker.`,
      { code: code || 'timeout' },
    );
  }
  if (/ssl/i.test(message)) {
    return new DeliveryError(
      DeliveryFailureType.InvalidParameters,
      `The TLS settings of the environment do not match the server of database "${database}": ${redact(message)}. Change the environment's "ssl" setting.`,
    );
  }
  return new DeliveryError(DeliveryFailureType.Unreachable, `Could not connect to database "${database}": ${redact(message)}${code ? ` (${code})` : ''}.`, {
    code,
  });
}

/** Removes anything shaped like a connection string or an IP/host:port from a driver message. */
function redact(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<connection>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<host>')
    .replace(/\[[0-9a-f:]+\](:\d+)?/gi, '<host>');
}

/** An open client to the target (or, with `options.database`, to another database of its server). */
export async function connect(conn: TargetConnection, options: ConnectOptions = {}): Promise<Client> {
  const database = options.database ?? conn.database;
  const client = new Client({
    host: conn.host,
    port: conn.port,
    database,
    user: conn.user,
    password: conn.password,
    ssl: conn.ssl ? (conn.tlsServerName ? { servername: conn.tlsServerName } : true) : false,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: 'sdo-pg-kit',
  });
  // A server-side disconnect after connecting surfaces in the next query; do not crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyConnectionError(err, database);
  }
  return client;
}

/** Runs `fn` with a client and always closes it. */
export async function withClient<T>(conn: TargetConnection, fn: (client: Client) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
  const client = await connect(conn, options);
  try {
    return await fn(client);
  } catch (err) {
    // A connection lost mid-way is worth retrying; say so in the type, without the driver's details.
    if (!(err instanceof DeliveryError) && isConnectionLoss(err)) throw classifyConnectionError(err, options.database ?? conn.database);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Classifies an error raised by a statement: connection loss is retried; integrity, undefined or
 * duplicate objects and raised exceptions are not (retrying cannot fix them); deadlocks, lock
 * waits and the unknown are passed on (retried).
 */
export function classifySqlError(err: unknown, what: string, database: string): unknown {
  if (err instanceof DeliveryError) return err;
  const kind = databaseErrorKind(err);
  if (kind === 'unknown-host' || kind === 'bad-credentials' || kind === 'missing-database' || isConnectionLoss(err))
    return classifyConnectionError(err, database);
  const code = (err as { code?: string })?.code ?? '';
  const message = (err as Error)?.message ?? String(err);
  switch (kind) {
    case 'no-privilege':
    case 'missing-object':
    case 'integrity':
      return new DeliveryError(failureTypeOf(kind), `${what}: ${message} (${code}).`, { sqlState: code });
    case 'already-exists':
      return new DeliveryError(DeliveryFailureType.SchemaDrift, `${what}: ${message} (${code}); the database changed since it was assessed.`, {
        sqlState: code,
      });
    case 'statement':
      return new DeliveryError(DeliveryFailureType.ScriptFailed, `${what}: ${message} (${code}).`, { sqlState: code });
    default:
      return err;
  }
}

/** Errors raised while a query runs on an open connection: connection loss is retryable, the rest is passed on. */
export { isConnectionLoss };
