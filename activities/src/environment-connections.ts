import type { ConnectionSettings as EngineConnection } from '@sdo/data-engine';
import type { ConnectionSettings, EnvironmentDirectory } from '@sdo/persistence';

/** The data engine's view of a registered environment; built in the worker, never sent to Temporal. */
export function toEngineConnection(settings: ConnectionSettings): EngineConnection {
  if (settings.engine === 'sqlite') return { engine: 'sqlite', path: settings.database };
  const auth = settings.user ? `${encodeURIComponent(settings.user)}${settings.password ? `:${encodeURIComponent(settings.password)}` : ''}@` : '';
  const scheme = settings.engine === 'postgres' ? 'postgres' : 'mysql';
  const ssl = settings.ssl ? (settings.engine === 'postgres' ? '?sslmode=require' : '?ssl={"rejectUnauthorized":true}') : '';
  return { engine: settings.engine, url: `${scheme}://${auth}${settings.host}:${settings.port}/${encodeURIComponent(settings.database)}${ssl}` };
}

export function engineConnections(environments: Pick<EnvironmentDirectory, 'connectionFor'>) {
  return async (environmentId: string): Promise<EngineConnection> => toEngineConnection(await environments.connectionFor(environmentId));
}
