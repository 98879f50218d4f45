/**
 * The Temporal server's config file for the cluster profile: PostgreSQL persistence (postgres12
 * plugin, main and visibility databases), every service in one process, loopback only.
 */
export interface TemporalClusterConfig {
  postgres: { host: string; port: number; user: string; password: string };
  /** Frontend gRPC port; the other services use the next ports (see `clusterPorts`). */
  frontendPort: number;
  /** Small on one machine; fixed for the life of the databases (Temporal cannot change it later). */
  numHistoryShards: number;
  databases?: { main: string; visibility: string };
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  metricsPort?: number;
  /** Dynamic config file (YAML), polled by the server. */
  dynamicConfigFile?: string;
  /** Where the services listen and what they announce to each other (containers: 0.0.0.0 and their own IP). */
  bindOnIP?: string;
  broadcastAddress?: string;
  /**
   * A Go-template config (the server renders `{{ env "X" }}` at start): the docker image uses it so
   * the password comes from the environment. Values are then single-quoted so templates keep their quotes.
   */
  template?: boolean;
  /** The frontend as the server's own worker service dials it (default 127.0.0.1:<frontendPort>). */
  rpcAddress?: string;
}

const MEMBERSHIP_OFFSET = 2700;

export function clusterPorts(frontendPort: number): { frontend: number; history: number; matching: number; worker: number; http: number } {
  return { frontend: frontendPort, history: frontendPort + 1, matching: frontendPort + 2, worker: frontendPort + 6, http: frontendPort + 10 };
}

/** YAML by hand is safe here: every value is a number or a JSON-quoted string (JSON strings are YAML). */
export function renderTemporalConfig(c: TemporalClusterConfig): string {
  if (!Number.isInteger(c.numHistoryShards) || c.numHistoryShards < 1) throw new Error('numHistoryShards must be a positive integer');
  // Temporal keeps membership ports in a smallint column: a frontend port above this fails at start.
  if (c.frontendPort + 6 + MEMBERSHIP_OFFSET > 32767) throw new Error(`frontendPort must be at most ${32767 - 6 - MEMBERSHIP_OFFSET}`);
  const q = c.template ? (s: string) => `'${s.replace(/'/g, "''")}'` : (s: string) => JSON.stringify(s);
  const dbs = c.databases ?? { main: 'temporal', visibility: 'temporal_visibility' };
  const ports = clusterPorts(c.frontendPort);
  const store = (database: string, maxConns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: ${q(database)}
        connectAddr: ${q(`${c.postgres.host}:${c.postgres.port}`)}
        connectProtocol: "tcp"
        user: ${q(c.postgres.user)}
        password: ${q(c.postgres.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name: string, grpc: number, extra = '') => `  ${name}:
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${grpc + MEMBERSHIP_OFFSET}
      bindOnIP: ${q(c.bindOnIP ?? '127.0.0.1')}${extra}`;
  return `${c.template ? '# enable-template\n' : ''}log:
  stdout: true
  level: ${q(c.logLevel ?? 'warn')}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${c.numHistoryShards}
  datastores:
    postgres-default:
${store(dbs.main, 20)}
    postgres-visibility:
${store(dbs.visibility, 5)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: ${q(c.broadcastAddress ?? '127.0.0.1')}${
      c.metricsPort
        ? `
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: ${q(`127.0.0.1:${c.metricsPort}`)}`
        : ''
    }

services:
${service('frontend', ports.frontend, `\n      httpPort: ${ports.http}`)}
${service('history', ports.history)}
${service('matching', ports.matching)}
${service('worker', ports.worker)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: ${q(c.rpcAddress ?? `127.0.0.1:${ports.frontend}`)}

dcRedirectionPolicy:
  policy: "noop"
${
  c.dynamicConfigFile
    ? `
dynamicConfigClient:
  filepath: ${q(c.dynamicConfigFile)}
  pollInterval: "10s"
`
    : ''
}`;
}

/** docker/temporal/config.yaml is this, rendered (a test keeps the file in step with the cluster profile). */
export const DOCKER_TEMPORAL_CONFIG: TemporalClusterConfig = {
  postgres: { host: '{{ env "POSTGRES_SEEDS" }}', port: 5432, user: '{{ env "POSTGRES_USER" }}', password: '{{ env "POSTGRES_PWD" }}' },
  frontendPort: 7233,
  numHistoryShards: 4,
  logLevel: 'warn',
  metricsPort: 8000,
  dynamicConfigFile: '/etc/temporal/dynamic-config.yaml',
  bindOnIP: '0.0.0.0',
  broadcastAddress: '{{ env "TEMPORAL_BROADCAST_ADDRESS" }}',
  rpcAddress: 'temporal:7233',
  template: true,
};
