/**
 * The cluster profile's shape, which docker/compose.yaml repeats in containers (test/cluster/compose.spec.ts
 * keeps the two in step): the Temporal server's version, how many workers, what the apps are given.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const DEFAULT_CLUSTER_WORKERS = 3;

/** What the cluster profile gives the API and every worker on top of the caller's environment. */
export function clusterSdoEnv(settings: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  secretsKey: string;
  payloadKeys: string;
  apiTokens: string;
  sqliteDir: string;
}): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    TEMPORAL_ADDRESS: settings.temporalAddress,
    TEMPORAL_NAMESPACE: settings.namespace,
    SDO_SECRETS_KEY: settings.secretsKey,
    SDO_PAYLOAD_KEYS: settings.payloadKeys,
    SDO_API_TOKENS: settings.apiTokens,
    SDO_SQLITE_DIR: settings.sqliteDir,
  };
}
