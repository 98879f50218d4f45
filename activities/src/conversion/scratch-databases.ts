import { Client } from 'pg';
import { DeliveryError, DeliveryFailureType, parseScratchEnvironmentRef } from '@sdo/contracts';
import type { ConnectionSettings, EnvironmentDirectory } from '@sdo/persistence';
import { dropDatabase, quoteIdent, readClonePrivileges, withClient, type TargetConnection } from '@sdo/upgrade-kit';

type Environments = Pick<EnvironmentDirectory, 'connectionFor'>;

/**
 * Lets data activities address a scratch database (`<environmentId>#sdo_scratch_…`) on a registered
 * PostgreSQL environment's server: same host and account, another database. The name is checked by
 * a strict pattern, so a reference can never point anywhere else.
 */
export function withScratchDatabases(environments: Environments): Environments {
  return {
    async connectionFor(ref: string): Promise<ConnectionSettings> {
      const scratch = parseScratchEnvironmentRef(ref);
      if (!scratch) return environments.connectionFor(ref);
      const base = await environments.connectionFor(scratch.environmentId);
      if (base.engine !== 'postgres') {
        throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Scratch databases live on PostgreSQL servers; environment ${scratch.environmentId} is ${base.engine}.`);
      }
      return { ...base, database: scratch.database };
    },
  };
}

export function pgConnection(settings: ConnectionSettings): TargetConnection {
  return { host: settings.host, port: settings.port, database: settings.database, user: settings.user, password: settings.password, ssl: settings.ssl, tlsServerName: settings.tlsServerName };
}

export async function requirePostgres(environments: Environments, environmentId: string, role: string): Promise<ConnectionSettings> {
  const settings = await environments.connectionFor(environmentId);
  if (settings.engine !== 'postgres') {
    throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The ${role} environment must be PostgreSQL (it is ${settings.engine}).`);
  }
  return settings;
}

/** Checked at assessment: a rehearsal that would fail for want of CREATEDB is a blocker the manager sees first. */
export async function assertCanCreateScratch(server: TargetConnection): Promise<void> {
  if (!(await readClonePrivileges(server)).canCreateDatabases) {
    throw new DeliveryError(
      DeliveryFailureType.InsufficientPrivileges,
      `The target environment's user lacks CREATEDB, which the rehearsal's scratch database needs: grant it (ALTER ROLE … CREATEDB) or register an account that has it.`,
      { privilege: 'CREATEDB' },
    );
  }
}

/** Drops (if left by an earlier attempt) and creates an empty database on the server of `server`. */
export async function recreateDatabase(server: TargetConnection, name: string): Promise<void> {
  await dropDatabase(server, name);
  await withClient(server, async (c: Client) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42501') {
        throw new DeliveryError(DeliveryFailureType.InsufficientPrivileges, `The target environment's user cannot create the scratch database "${name}": grant it CREATEDB.`);
      }
      throw err;
    }
  });
}

export { dropDatabase };
