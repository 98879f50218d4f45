/**
 * The cluster profile's shape, which docker/compose.yaml repeats in containers (test/cluster/compose.spec.ts
 * keeps the two in step): the Temporal server's version, how many workers, what the apps are given.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
export const DEFAULT_CLUSTER_WORKERS = 3;
/** Prometheus ports as under `npm start` (and in docker): the API's, then the first worker's; the next workers count on from it. */
export const DEFAULT_METRICS_PORTS = { api: 9464, firstWorker: 9465 } as const;

/**
 * Each process's Prometheus port on one host: `SDO_API_METRICS_PORT` for the API and
 * `SDO_WORKER_METRICS_PORT` for worker 1, worker i on the port i − 1 above it (set empty: none).
 * Refused when a port is out of range or two processes would share one.
 */
export function clusterMetricsPorts(workers: number, env: NodeJS.ProcessEnv): { api?: number; workers: (number | undefined)[] } {
  const setting = (name: string, fallback: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    if (!raw.trim()) return undefined;
    const port = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535) or empty for none, got "${raw}"`);
    return port;
  };
  const api = setting('SDO_API_METRICS_PORT', DEFAULT_METRICS_PORTS.api);
  const first = setting('SDO_WORKER_METRICS_PORT', DEFAULT_METRICS_PORTS.firstWorker);
  const workerPorts = Array.from({ length: workers }, (_, i) => (first === undefined ? undefined : first + i));
  if (first !== undefined && first + workers - 1 > 65535) throw new Error(`SDO_WORKER_METRICS_PORT ${first} leaves no port for worker ${workers}`);
  if (api !== undefined && workerPorts.includes(api))
    throw new Error(`SDO_API_METRICS_PORT ${api} is one of the workers' ports (${workerPorts.join(', ')}): move one of them`);
  return { ...(api === undefined ? {} : { api }), workers: workerPorts };
}

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
