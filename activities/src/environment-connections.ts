import { isIP } from 'node:net';
import type { ConnectionSettings as EngineConnection } from '@sdo/data-engine';
import type { ConnectionSettings, EnvironmentDirectory } from '@sdo/persistence';

/** A host as a URL wants it: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** The data engine's view of a registered environment; built in the worker, never sent to Temporal. */
export function toEngineConnection(settings: ConnectionSettings): EngineConnection {
  if (settings.engine === 'sqlite') return { engine: 'sqlite', path: settings.database };
  const auth = settings.user ? `${encodeURIComponent(settings.user)}${settings.password ? `:${encodeURIComponent(settings.password)}` : ''}@` : '';
  const url = `${settings.engine === 'postgres' ? 'postgres' : 'mysql'}://${auth}${urlHost(settings.host)}:${settings.port}/${encodeURIComponent(settings.database)}`;
  if (settings.engine === 'postgres') {
    // The host is the checked IP address: TLS verifies the certificate against the registered name.
    if (settings.ssl && settings.tlsServerName) return { engine: 'postgres', url, tlsServerName: settings.tlsServerName };
    return { engine: 'postgres', url: settings.ssl ? `${url}?sslmode=require` : url };
  }
  return { engine: 'mysql', url: settings.ssl ? `${url}?ssl={"rejectUnauthorized":true}` : url };
}

export function engineConnections(environments: Pick<EnvironmentDirectory, 'connectionFor'>) {
  return async (environmentId: string): Promise<EngineConnection> => toEngineConnection(await environments.connectionFor(environmentId));
}
