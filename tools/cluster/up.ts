/**
 * The cluster profile: SDO on the full Temporal server (Go-built, PostgreSQL persistence) with
 * several worker processes. Embedded PostgreSQL (data in .sdo-cluster/) carries both Temporal's
 * databases and SDO's; SDO_CLUSTER_PG_URL (a server URL with a user that may create databases)
 * uses an external one. SDO_CLUSTER_WORKERS sets the number of workers (default 3). API and workers
 * run the compiled build, built first when stale (SDO_FROM_SOURCE=1: TypeScript under ts-node). The
 * Temporal Web UI (SDO_CLUSTER_UI_PORT, default 8433; 0 for none) opens payloads through the API's
 * codec server. Ctrl-C stops all.
 */
import { generatePayloadKeyEntry } from '@sdo/config';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  ensureDatabase,
  makePrivateDir,
  makeStateDir,
  CLUSTER_RETENTION,
  Managed,
  namespaceRetention,
  orderlyShutdown,
  persistentSecret,
  postgresServiceGid,
  startEmbeddedPostgres,
  supervise,
  waitFor,
} from '../stack';
import {
  API_ENTRY,
  clusterMetricsPorts,
  clusterSdoEnv,
  DEFAULT_CLUSTER_WORKERS,
  ensureSdoBuilt,
  ensureServerBuilt,
  fromSource,
  ensureWebUiBuilt,
  registerNamespace,
  ROOT,
  setupTemporalSchema,
  startSdoProcess,
  startTemporalCluster,
  startTemporalWebUi,
  WORKER_ENTRY,
} from './cluster';

const STATE = process.env['SDO_CLUSTER_STATE_DIR'] ? resolve(process.env['SDO_CLUSTER_STATE_DIR']) : join(ROOT, '.sdo-cluster');
const WORKERS = Number(process.env['SDO_CLUSTER_WORKERS'] ?? DEFAULT_CLUSTER_WORKERS);
const UI_PORT = Number(process.env['SDO_CLUSTER_UI_PORT'] ?? 8433);
const log = (line: string) => console.log(line.trimEnd());

const started: Managed[] = [];
const stack = orderlyShutdown(started);
const shutdown = (code: number) => stack.shutdown(code);

async function main(): Promise<void> {
  if (!Number.isInteger(WORKERS) || WORKERS < 1) throw new Error('SDO_CLUSTER_WORKERS must be a positive integer');
  if (!Number.isInteger(UI_PORT) || UI_PORT < 0 || UI_PORT > 65535) throw new Error('SDO_CLUSTER_UI_PORT must be a port number (0: no Web UI)');
  const metrics = clusterMetricsPorts(WORKERS, process.env);
  const retention = namespaceRetention(process.env['SDO_TEMPORAL_RETENTION'], CLUSTER_RETENTION);
  const external = process.env['SDO_CLUSTER_PG_URL'];
  makeStateDir(STATE, { traverseGid: external ? undefined : postgresServiceGid() });
  const sqliteDir = process.env['SDO_SQLITE_DIR'] ?? join(STATE, 'sqlite');
  if (!process.env['SDO_SQLITE_DIR']) makePrivateDir(sqliteDir);

  // Before any server starts: the build is synchronous and their piped output would wait on it.
  ensureSdoBuilt(log);
  const { server, sqlTool } = await ensureServerBuilt(log);
  let serverUrl = external;
  if (!serverUrl) {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(STATE, 'postgres'),
      port: Number(process.env['SDO_CLUSTER_PG_PORT'] ?? 54339),
      persistent: true,
      password: persistentSecret(join(STATE, 'postgres-password'), () => randomBytes(18).toString('base64url')),
      stoppedByCaller: true,
    });
    started.push(postgres);
    serverUrl = postgres.url;
  }
  await setupTemporalSchema(serverUrl, sqlTool, log);
  const temporal = await startTemporalCluster({
    server,
    stateDir: STATE,
    serverUrl,
    frontendPort: Number(process.env['SDO_CLUSTER_TEMPORAL_PORT'] ?? 7433),
    numHistoryShards: Number(process.env['SDO_CLUSTER_HISTORY_SHARDS'] ?? 4),
    log: (l) => log(`[temporal] ${l}`),
  });
  started.push(temporal);
  const namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
  await registerNamespace(temporal.address, namespace, log, retention);

  const apiUrl = `http://${process.env['SDO_API_HOST'] ?? '127.0.0.1'}:${process.env['SDO_API_PORT'] ?? 3000}`;
  // The Web UI is a convenience: without its build (or when it does not start) the cluster runs on.
  let ui: { url?: string; note: string } = { note: 'off (SDO_CLUSTER_UI_PORT=0)' };
  if (UI_PORT) {
    const built = await ensureWebUiBuilt(log);
    if ('missing' in built) ui = { note: `none: ${built.missing}` };
    else
      try {
        const webUi = await startTemporalWebUi({
          binary: built.binary,
          stateDir: STATE,
          temporalAddress: temporal.address,
          port: UI_PORT,
          codecEndpoint: `${apiUrl}/codec`,
          namespace,
          log: (l) => log(`[temporal-ui] ${l}`),
        });
        started.push(webUi);
        ui = { url: webUi.url, note: `payloads opened by ${apiUrl}/codec for engineers` };
      } catch (err) {
        ui = { note: `none: ${err instanceof Error ? err.message : String(err)}` };
      }
    if (!ui.url) log(`Temporal Web UI ${ui.note}; the cluster runs without it`);
  }

  const adminToken = persistentSecret(join(STATE, 'admin-token'), () => randomBytes(24).toString('hex'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...clusterSdoEnv({
      databaseUrl: await ensureDatabase(serverUrl, 'sdo'),
      temporalAddress: temporal.address,
      namespace,
      secretsKey: process.env['SDO_SECRETS_KEY'] ?? persistentSecret(join(STATE, 'secrets-key'), () => randomBytes(32).toString('base64')),
      payloadKeys: process.env['SDO_PAYLOAD_KEYS'] ?? persistentSecret(join(STATE, 'payload-keys'), () => generatePayloadKeyEntry()),
      apiTokens: process.env['SDO_API_TOKENS'] ?? `admin:admin:${adminToken}`,
      sqliteDir,
    }),
    // As under `npm start`: the codec server answers the UI's origin, the console links to the UI.
    ...(ui.url ? { SDO_CODEC_CORS_ORIGIN: process.env['SDO_CODEC_CORS_ORIGIN'] ?? ui.url } : {}),
    ...(ui.url ? { SDO_TEMPORAL_UI_URL: process.env['SDO_TEMPORAL_UI_URL'] ?? ui.url } : {}),
  };
  // One host, several processes: each serves its own Prometheus port (empty: none).
  const supervised = (name: string, entry: typeof API_ENTRY, own: NodeJS.ProcessEnv) =>
    supervise(name, () => startSdoProcess(name, entry, { ...env, ...own }, log), {
      onCrashLoop: (message) => {
        console.error(message);
        void shutdown(1);
      },
      shuttingDown: () => stack.stopping,
    });
  for (let i = 1; i <= WORKERS; i++) started.push(supervised(`worker-${i}`, WORKER_ENTRY, { SDO_WORKER_METRICS_PORT: String(metrics.workers[i - 1] ?? '') }));
  started.push(supervised('api', API_ENTRY, { SDO_API_METRICS_PORT: String(metrics.api ?? '') }));
  const metricsHost = process.env['SDO_METRICS_HOST'] ?? '127.0.0.1';
  const metricsAt = (port: number | undefined) => (port === undefined ? 'none' : `http://${metricsHost}:${port}/metrics`);
  // The state directory as the user would type it: relative to the repository when inside it.
  const state = (file: string) => {
    const path = relative(ROOT, join(STATE, file));
    return path.startsWith('..') || isAbsolute(path) ? join(STATE, file) : path;
  };

  await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 180_000);
  console.log(
    [
      '',
      'SDO is up on the cluster profile:',
      `  API           ${apiUrl}/v1  (console ${apiUrl}/ when built by npm start)`,
      `  Temporal      ${temporal.address}  (Go-built server, PostgreSQL persistence)`,
      `  Web UI        ${ui.url ? `${ui.url}  (${ui.note})` : ui.note}`,
      `  Workers       ${WORKERS} processes`,
      `  Metrics       API ${metricsAt(metrics.api)}, workers ${metrics.workers.every((p) => p === undefined) ? 'none' : metrics.workers.map(metricsAt).join(', ')}`,
      `  Apps          ${fromSource() ? 'TypeScript under ts-node (SDO_FROM_SOURCE=1)' : 'compiled build (dist/api, dist/worker)'}`,
      `  PostgreSQL    ${external ? 'external (SDO_CLUSTER_PG_URL)' : `embedded, data in ${state('postgres')}`}`,
      `  Admin token   ${process.env['SDO_API_TOKENS'] ? '(SDO_API_TOKENS)' : state('admin-token')}`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void shutdown(1);
});
