import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { TargetConnection, withClient } from './connection';
import { quoteIdent } from './identifiers';
import { copyDatabaseLogically } from './logical-clone';
import { closeIdlePools } from './shared-pools';
import { isBackupName, isScratchDatabase } from './scratch-names';

/**
 * Whole-database operations on the target's server: the rehearsal clone, the cutover backup and
 * its compensation. They run from a maintenance database (the environment's own database unless it
 * is the one being copied or replaced, then `postgres`, then `template1`), because a session on the
 * source would itself block `CREATE DATABASE … TEMPLATE`.
 */

export interface ClonePrivileges {
  canCreateDatabases: boolean;
  isSuperuser: boolean;
  ownsDatabase: boolean;
}

/** What the connected role may do for rehearsal clones and backups of its database. */
export async function readClonePrivileges(conn: TargetConnection): Promise<ClonePrivileges> {
  return withClient(conn, async (c) => {
    const r = await c.query<{ rolcreatedb: boolean; rolsuper: boolean; owns: boolean }>(
      `SELECT r.rolcreatedb, r.rolsuper, pg_has_role(current_user, d.datdba, 'MEMBER') AS owns
         FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    const row = r.rows[0];
    return { canCreateDatabases: !!row?.rolcreatedb || !!row?.rolsuper, isSuperuser: !!row?.rolsuper, ownsDatabase: !!row?.owns };
  });
}

/**
 * Throws `InsufficientPrivileges` unless the connected role can create databases and copy this one
 * (`CREATE DATABASE … TEMPLATE` needs CREATEDB and ownership of the source, or superuser).
 */
export async function assertCanCloneDatabase(conn: TargetConnection): Promise<void> {
  const p = await readClonePrivileges(conn);
  if (!p.canCreateDatabases) {
    throw new DeliveryError(
      DeliveryFailureType.InsufficientPrivileges,
      `The environment's user cannot create databases, which the rehearsal clone and the cutover backup of "${conn.database}" need. Grant it CREATEDB (ALTER ROLE … CREATEDB) or use an account that has it.`,
    );
  }
  if (!p.ownsDatabase && !p.isSuperuser) {
    throw new DeliveryError(
      DeliveryFailureType.InsufficientPrivileges,
      `The environment's user does not own database "${conn.database}" and so cannot copy it as a template for the rehearsal clone and the cutover backup. Make it the owner (or a member of the owning role) or use the owner's account.`,
    );
  }
}

/** Checked at assessment: a rehearsal that would fail for want of CREATEDB is a blocker the manager sees first. */
export async function assertCanCreateScratch(conn: TargetConnection): Promise<void> {
  if (!(await readClonePrivileges(conn)).canCreateDatabases) {
    throw new DeliveryError(
      DeliveryFailureType.InsufficientPrivileges,
      `The target environment's user lacks CREATEDB, which the rehearsal's scratch database needs: grant it (ALTER ROLE … CREATEDB) or register an account that has it.`,
      { privilege: 'CREATEDB' },
    );
  }
}

export async function databaseExists(serverConn: TargetConnection, name: string): Promise<boolean> {
  return onMaintenance(serverConn, [name], async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export interface CloneOptions {
  /**
   * Disconnect other sessions of the source first (only inside a cutover window: it interrupts users).
   * Without it, a source in use makes the clone fail with a retryable `Unreachable` error.
   */
  terminateSessions?: boolean;
}

/** Creates `targetName` as an exact copy of `source` (`CREATE DATABASE … TEMPLATE`). */
export async function cloneDatabase(serverConn: TargetConnection, source: string, targetName: string, options: CloneOptions = {}): Promise<void> {
  const createSql = `CREATE DATABASE ${quoteIdent(targetName)} TEMPLATE ${quoteIdent(source)}`;
  if (source === targetName) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Cannot clone database "${source}" onto itself.`);
  }
  await onMaintenance(serverConn, [source, targetName], async (c) => {
    await assertDatabase(c, source);
    const taken = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [targetName]);
    if (taken.rowCount) {
      throw new DeliveryError(
        DeliveryFailureType.InvalidParameters,
        `A database named "${targetName}" already exists on the server; choose another name for the copy of "${source}" or drop it first.`,
      );
    }
    // A session can connect between the termination and CREATE DATABASE: try a few times.
    for (let attempt = 1; ; attempt++) {
      if (options.terminateSessions) await terminateSessions(c, source);
      try {
        await c.query(createSql);
        return;
      } catch (err) {
        if (sqlState(err) === '55006' && options.terminateSessions && attempt < 3) continue;
        if (sqlState(err) === '55006') {
          throw new DeliveryError(
            DeliveryFailureType.Unreachable,
            `Database "${source}" is in use by other sessions, so it cannot be copied now. Retry when it is idle, or inside the cutover window where sessions are disconnected.`,
            { sqlState: '55006' },
          );
        }
        throw asDeliveryError(err, `Copying database "${source}" to "${targetName}" failed`);
      }
    }
  });
}

/** Drops a database if it exists, disconnecting its sessions (`WITH (FORCE)`). */
export async function dropDatabase(serverConn: TargetConnection, name: string): Promise<void> {
  const sql = `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`;
  await onMaintenance(serverConn, [name], async (c) => {
    try {
      await c.query(sql);
    } catch (err) {
      throw asDeliveryError(err, `Dropping database "${name}" failed`);
    }
  });
}

/**
 * Compensation for a failed cutover: replaces the target database (`target.database`) with a copy
 * of `backup`, keeping the original owner. The backup is checked before anything is dropped, and is
 * kept (discard it with `dropDatabase` once the delivery no longer needs it).
 */
export async function restoreFromBackup(target: TargetConnection, backup: string): Promise<void> {
  const name = target.database;
  // Only a backup SDO took may replace a customer's database: a bad name in a request or history cannot.
  if (!isBackupName(backup)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${backup} is not a cutover backup.`);
  if (name === backup) {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The backup of "${name}" cannot be the database itself.`);
  }
  // Copy first under a temporary name, so a failing copy leaves the target untouched; then swap.
  const staging = `sdo_restore_${randomBytes(6).toString('hex')}`;
  await onMaintenance(target, [name, backup, staging], async (c) => {
    await assertDatabase(
      c,
      backup,
      `The backup database "${backup}" of "${name}" does not exist, so the target was left untouched. Restore it by hand from another backup.`,
    );
    const owner = await c.query<{ owner: string; may: boolean }>(
      `SELECT pg_get_userbyid(datdba) AS owner, pg_has_role(current_user, datdba, 'MEMBER') AS may FROM pg_database WHERE datname = $1`,
      [name],
    );
    const ownerClause = owner.rows[0]?.may ? ` OWNER ${quoteIdent(owner.rows[0].owner)}` : '';
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(staging)} TEMPLATE ${quoteIdent(backup)}${ownerClause}`);
    } catch (err) {
      throw asDeliveryError(err, `Copying backup "${backup}" failed; database "${name}" was left untouched`);
    }
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await c.query(`ALTER DATABASE ${quoteIdent(staging)} RENAME TO ${quoteIdent(name)}`);
    } catch (err) {
      throw asDeliveryError(
        err,
        `Replacing database "${name}" with the copy of backup "${backup}" failed (the copy is database "${staging}"; the backup is kept)`,
      );
    }
  });
}

/**
 * The cutover backup of `conn.database`: a full copy named `backupName` (a `scratchName` with the
 * backup prefix), taken after disconnecting sessions. A copy left by an earlier attempt is replaced.
 */
export async function backupDatabase(conn: TargetConnection, backupName: string): Promise<void> {
  if (!isBackupName(backupName)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${backupName} is not a cutover backup name.`);
  await assertCanCloneDatabase(conn);
  await dropDatabase(conn, backupName);
  await cloneDatabase(conn, conn.database, backupName, { terminateSessions: true });
}

/** Drops a cutover backup once the delivery no longer needs it; refuses any other database. */
export async function discardBackup(conn: TargetConnection, backupName: string): Promise<void> {
  if (!isBackupName(backupName)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${backupName} is not a cutover backup.`);
  await dropDatabase(conn, backupName);
}

/** Drops a rehearsal's scratch database on `conn`'s server; refuses any name SDO did not make for a rehearsal. */
export async function dropScratchDatabase(conn: TargetConnection, name: string): Promise<void> {
  if (!isScratchDatabase(name)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${name} is not a rehearsal database.`);
  await dropDatabase(conn, name);
}

/** Creates `name` as an empty scratch database on `conn`'s server, replacing what an earlier attempt left. */
export async function createScratchDatabase(conn: TargetConnection, name: string): Promise<void> {
  if (!isScratchDatabase(name)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${name} is not a rehearsal database.`);
  await dropDatabase(conn, name);
  await onMaintenance(conn, [name], async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (err) {
      if (sqlState(err) === '42501') {
        throw new DeliveryError(
          DeliveryFailureType.InsufficientPrivileges,
          `The environment's user cannot create the scratch database "${name}": grant it CREATEDB.`,
          { sqlState: '42501' },
        );
      }
      throw asDeliveryError(err, `Creating the scratch database "${name}" failed`);
    }
  });
}

export type CloneMethod = 'template' | 'online-copy';

/**
 * Creates `name` as a scratch copy of `conn.database` for a rehearsal (replacing an earlier
 * attempt's); sessions are left alone. `CREATE DATABASE … TEMPLATE` is the fast path; a database in
 * use (a live ERP always is) is copied online instead, in one snapshot, verified table by table.
 */
export async function cloneToScratch(conn: TargetConnection, name: string): Promise<CloneMethod> {
  if (!isScratchDatabase(name)) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${name} is not a rehearsal database.`);
  await dropDatabase(conn, name);
  try {
    await cloneDatabase(conn, conn.database, name);
    return 'template';
  } catch (err) {
    if (!(err instanceof DeliveryError) || err.details?.['sqlState'] !== '55006') throw err;
  }
  await createScratchDatabase(conn, name);
  try {
    await copyDatabaseLogically(conn, name);
  } catch (err) {
    // Leave no half copy behind; the retry starts from an empty database again.
    await dropDatabase(conn, name).catch(() => undefined);
    throw err;
  }
  return 'online-copy';
}

async function terminateSessions(client: Client, database: string): Promise<number> {
  const r = await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return r.rowCount ?? 0;
}

async function assertDatabase(client: Client, name: string, message?: string): Promise<void> {
  const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!r.rowCount) {
    throw new DeliveryError(DeliveryFailureType.MissingObject, message ?? `Database "${name}" does not exist on the server.`);
  }
}

/** Connects to a database of the server other than `avoid` and runs `fn` there. */
async function onMaintenance<T>(serverConn: TargetConnection, avoid: string[], fn: (c: Client) => Promise<T>): Promise<T> {
  const database = [serverConn.database, 'postgres', 'template1'].find((d) => !avoid.includes(d))!;
  // This worker's idle pooled sessions on them would block a template copy, a rename or a plain drop.
  await Promise.all(avoid.map((d) => closeIdlePools({ host: serverConn.host, port: serverConn.port, database: d })));
  return withClient(serverConn, fn, { database });
}

function sqlState(err: unknown): string | undefined {
  return (err as { code?: string })?.code;
}

function asDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = sqlState(err);
  const message = (err as Error)?.message ?? String(err);
  if (code === '42501') {
    return new DeliveryError(DeliveryFailureType.InsufficientPrivileges, `${what}: ${message} (42501). Grant the environment's user the privilege named.`);
  }
  return new DeliveryError(DeliveryFailureType.Unreachable, `${what}: ${message}${code ? ` (${code})` : ''}.`, { sqlState: code });
}
