import { readFileSync } from 'node:fs';
import type { SdoConfig } from './config';

/** Options for `Connection.connect` / `NativeConnection.connect` (same shape for both). */
export function temporalConnectionOptions(config: SdoConfig['temporal']) {
  const tls = config.tls
    ? {
        serverNameOverride: config.tls.serverName,
        serverRootCACertificate: config.tls.serverRootCaPath ? readFileSync(config.tls.serverRootCaPath) : undefined,
        clientCertPair:
          config.tls.clientCertPath && config.tls.clientKeyPath
            ? { crt: readFileSync(config.tls.clientCertPath), key: readFileSync(config.tls.clientKeyPath) }
            : undefined,
      }
    : undefined;
  return { address: config.address, tls, apiKey: config.apiKey };
}
