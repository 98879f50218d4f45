import Database from 'better-sqlite3';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { Client } from 'pg';
import { databaseErrorKind, DeliveryError } from '@sdo/contracts';
import type { ConnectionSettings } from '@sdo/persistence';

/** Connecting and each statement get this long: the check answers a person waiting on it. */
export const CHECK_TIMEOUT_MS = 5_000;
/** Tables probed one by one for SELECT on MySQL/MariaDB (PostgreSQL answers for all at once). */
const MAX_PROBED_TABLES = 500;
const MAX_NAMED = 10;

export interface EnvironmentRights {
  /**
   * May create databases: rehearsal clones and scratch databases (upgrade, conversion, migration,
   * org split, carryover), cutover backups. null where SDO never creates any (MySQL/MariaDB, SQLite: only read).
   */
  createdb: boolean | null;
  /** Owns the database (or is superuser): copying it as a template (rehearsal clones, cutover backups); null as above. */
  ownsDatabase: boolean | null;
  superuser: boolean;
  /** May read every table of the database: sources of conversions, migrations, splits, carryovers. */
  selectAllTables: boolean;
  tables: number;
}

export interface EnvironmentCheck {
  reachable: boolean;
  engine: ConnectionSettings['engine'];
  /** The server's version string, when reachable. */
  version?: string;
  rights?: EnvironmentRights;
  /** Rights some service needs that the account lacks, e.g. `CREATEDB`, `SELECT on public.orders`. */
  missing: string[];
  /** Why it is not reachable (or could not be checked): a reason for a person, never a password. */
  problem?: string;
}

/** Connects to the checked address, reads version and rights within CHECK_TIMEOUT_MS, and never throws for the server's sake. */
export async function checkEnvironment(settings: ConnectionSettings): Promise<EnvironmentCheck> {
  try {
    const found =
      settings.engine === 'postgres' ? await checkPostgres(settings) : settings.engine === 'mysql' ? await checkMysql(settings) : checkSqlite(settings);
    return { reachable: true, engine: settings.engine, ...found, missing: missingOf(found.rights, found.unreadable) };
  } catch (err) {
    return { reachable: false, engine: settings.engine, missing: [], problem: describe(err, settings) };
  }
}

type Found = { version: string; rights: EnvironmentRights; unreadable: string[] };

function missingOf(rights: EnvironmentRights, unreadable: string[]): string[] {
  const missing: string[] = [];
  if (rights.createdb === false) missing.push('CREATEDB');
  if (rights.ownsDatabase === false) missing.push('ownership of the database');
  const named = unreadable.slice(0, MAX_NAMED).map((t) => `SELECT on ${t}`);
  if (unreadable.length > MAX_NAMED) named.push(`SELECT on ${unreadable.length - MAX_NAMED} more table(s)`);
  return [...missing, ...named];
}

async function checkPostgres(s: ConnectionSettings): Promise<Found> {
  const client = new Client({
    host: s.host,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    ...(s.ssl ? { ssl: s.tlsServerName ? { servername: s.tlsServerName } : { rejectUnauthorized: true } } : {}),
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    statement_timeout: CHECK_TIMEOUT_MS,
    query_timeout: CHECK_TIMEOUT_MS + 1_000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const role = await client.query<{ version: string; createdb: boolean; superuser: boolean; owns: boolean }>(
      `SELECT current_setting('server_version') AS version, r.rolcreatedb AS createdb, r.rolsuper AS superuser,
              pg_has_role(current_user, d.datdba, 'MEMBER') AS owns
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    const tables = await client.query<{ name: string; readable: boolean }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name, has_table_privilege(c.oid, 'SELECT') AS readable
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1`,
    );
    const r = role.rows[0]!;
    const unreadable = tables.rows.filter((t) => !t.readable).map((t) => t.name);
    return {
      version: `PostgreSQL ${r.version}`,
      rights: {
        createdb: r.createdb || r.superuser,
        ownsDatabase: r.owns || r.superuser,
        superuser: r.superuser,
        selectAllTables: unreadable.length === 0,
        tables: tables.rows.length,
      },
      unreadable,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkMysql(s: ConnectionSettings): Promise<Found> {
  const connection = await createConnection({
    host: s.host,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    connectTimeout: CHECK_TIMEOUT_MS,
    ...(s.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
  });
  connection.on('error', () => undefined);
  try {
    const [[version]] = await connection.query<RowDataPacket[]>({ sql: 'SELECT VERSION() AS v', timeout: CHECK_TIMEOUT_MS });
    const [tables] = await connection.query<RowDataPacket[]>({
      sql: "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
      timeout: CHECK_TIMEOUT_MS,
    });
    const unreadable: string[] = [];
    for (const { t } of tables.slice(0, MAX_PROBED_TABLES)) {
      await connection
        .query({ sql: `SELECT 1 FROM \`${String(t).replace(/`/g, '``')}\` LIMIT 0`, timeout: CHECK_TIMEOUT_MS })
        .catch(() => unreadable.push(String(t)));
    }
    const v = String(version?.['v'] ?? '');
    // MySQL/MariaDB databases are only ever read (conversion and migration sources): nothing is created on them.
    return {
      version: `${/mariadb/i.test(v) ? 'MariaDB' : 'MySQL'} ${v}`,
      rights: { createdb: null, ownsDatabase: null, superuser: false, selectAllTables: unreadable.length === 0, tables: tables.length },
      unreadable,
    };
  } finally {
    await connection.end().catch(() => undefined);
  }
}

function checkSqlite(s: ConnectionSettings): Found {
  const db = new Database(s.database, { readonly: true, fileMustExist: true, timeout: CHECK_TIMEOUT_MS });
  try {
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").get() as { n: number };
    // A file SDO may open is read whole; SQLite databases are only ever sources.
    return {
      version: `SQLite ${version}`,
      rights: { createdb: null, ownsDatabase: null, superuser: false, selectAllTables: true, tables: tables.n },
      unreadable: [],
    };
  } finally {
    db.close();
  }
}

/** A reason without secrets: the driver's code and message (drivers do not echo passwords), or the policy's refusal. */
function describe(err: unknown, s: ConnectionSettings): string {
  if (err instanceof DeliveryError) return err.message;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const kind = databaseErrorKind(err);
  const what =
    kind === 'bad-credentials'
      ? 'the server refused the credentials'
      : kind === 'missing-database'
        ? 'the database does not exist'
        : kind === 'transient'
          ? 'the server cannot be reached'
          : kind === 'unknown-host'
            ? 'the host name does not resolve'
            : 'the check failed';
  const message = String(e?.message ?? err)
    .split(s.password || '\u0000')
    .join('***');
  return `${what}${code ? ` (${code})` : ''}: ${message}`;
}
