/**
 * The cluster profile's building blocks: the full Temporal server (built from its Go module),
 * its schema on PostgreSQL, a config of ours, and SDO's API and workers against it. Used by
 * tools/cluster/up.ts, the orchestration benchmark and the failover run.
 */
import { execFile, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@sdo/contracts';
import type { BuildApp } from '../build/stamp';
import {
  appCommand,
  CLUSTER_RETENTION,
  ensureBuilt,
  ensureDatabase,
  freePort,
  Managed,
  resolveTemporalCli,
  setNamespaceRetention,
  startEmbeddedPostgres,
  startProcess,
  waitFor,
} from '../stack';
import { TEMPORAL_SERVER_VERSION } from './profile';
import { clusterPorts, renderTemporalConfig } from './temporal-config';
import { renderWebUiConfig, TEMPORAL_UI_VERSION } from './web-ui-config';

export { clusterMetricsPorts, clusterSdoEnv, DEFAULT_CLUSTER_WORKERS, DEFAULT_METRICS_PORTS, TEMPORAL_SERVER_VERSION } from './profile';

const run = promisify(execFile);
export const ROOT = join(__dirname, '..', '..');
const SERVER_DIR = process.env['SDO_TEMPORAL_SERVER_DIR'] ?? join(ROOT, '.tools', 'temporal-server');
const UI_DIR = process.env['SDO_TEMPORAL_UI_DIR'] ?? join(ROOT, '.tools', 'temporal-ui');

/** Builds the server and its SQL tool once (minutes; GOTOOLCHAIN=auto fetches the Go the module needs). */
export async function ensureServerBuilt(log: (line: string) => void): Promise<{ server: string; sqlTool: string }> {
  const server = join(SERVER_DIR, 'server');
  const sqlTool = join(SERVER_DIR, 'sql');
  for (const [bin, pkg] of [
    [server, 'go.temporal.io/server/cmd/server'],
    [sqlTool, 'go.temporal.io/server/cmd/tools/sql'],
  ] as const) {
    if (existsSync(bin)) continue;
    log(`building ${pkg}@${TEMPORAL_SERVER_VERSION} into ${SERVER_DIR} (takes minutes, once)`);
    await run('go', ['install', `${pkg}@${TEMPORAL_SERVER_VERSION}`], {
      env: { ...process.env, GOBIN: SERVER_DIR, GOTOOLCHAIN: 'auto' },
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  return { server, sqlTool };
}

/**
 * Builds the Web UI server once (about half a minute once the server's modules are cached). Optional:
 * a failed build (no Go, a module the proxy refuses) is reported, never thrown, and the cluster runs without a UI.
 */
export async function ensureWebUiBuilt(log: (line: string) => void): Promise<{ binary: string } | { missing: string }> {
  const binary = join(UI_DIR, 'server');
  if (existsSync(binary)) return { binary };
  const pkg = `github.com/temporalio/ui-server/v2/cmd/server@${TEMPORAL_UI_VERSION}`;
  log(`building ${pkg} into ${UI_DIR} (once)`);
  try {
    await run('go', ['install', pkg], { env: { ...process.env, GOBIN: UI_DIR, GOTOOLCHAIN: 'auto' }, maxBuffer: 64 * 1024 * 1024 });
    return { binary };
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    return { missing: `\`go install ${pkg}\` failed: ${(e.stderr || e.message || String(err)).trim().split('\n').slice(-3).join(' | ')}` };
  }
}

/** The PostgreSQL schemas ship in the Go module the server was built from. */
export async function schemaDir(): Promise<string> {
  if (process.env['SDO_TEMPORAL_SCHEMA_DIR']) return process.env['SDO_TEMPORAL_SCHEMA_DIR'];
  const { stdout } = await run('go', ['env', 'GOMODCACHE']);
  const dir = join(stdout.trim(), `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(dir))
    throw new Error(
      `Temporal's schema is not at ${dir}: run \`go mod download go.temporal.io/server@${TEMPORAL_SERVER_VERSION}\` or set SDO_TEMPORAL_SCHEMA_DIR`,
    );
  return dir;
}

export interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function pgEndpoint(serverUrl: string): PgEndpoint {
  const u = new URL(serverUrl);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

async function hasSchemaVersion(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'");
    return Boolean(rowCount);
  } finally {
    await client.end();
  }
}

/** Creates `temporal` and `temporal_visibility` and brings them to the module's schema version (idempotent). */
export async function setupTemporalSchema(serverUrl: string, sqlTool: string, log: (line: string) => void): Promise<void> {
  const pg = pgEndpoint(serverUrl);
  const dir = await schemaDir();
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    const url = await ensureDatabase(serverUrl, database);
    // The password goes through the environment, not argv (ps shows argv to every user).
    const sql = (...args: string[]) =>
      run(sqlTool, ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database, ...args], {
        env: { ...process.env, SQL_PASSWORD: pg.password },
      });
    if (!(await hasSchemaVersion(url))) {
      log(`setting up Temporal schema in ${database}`);
      await sql('setup-schema', '-v', '0.0');
    }
    await sql('update-schema', '-d', join(dir, schema, 'versioned'));
  }
}

async function cli(address: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(resolveTemporalCli().path, [...args, '--address', address]);
  return stdout;
}

/** The namespace and SDO's search attributes (what the dev server gets from its flags). */
export async function registerNamespace(address: string, namespace: string, log: (line: string) => void, retention = CLUSTER_RETENTION): Promise<void> {
  const exists = await cli(address, 'operator', 'namespace', 'describe', '--namespace', namespace).then(
    () => true,
    () => false,
  );
  if (!exists) {
    log(`registering namespace ${namespace}`);
    await cli(address, 'operator', 'namespace', 'create', '--namespace', namespace, '--retention', retention);
  } else await setNamespaceRetention(resolveTemporalCli().path, address, namespace, retention);
  // The namespace cache of a fresh server takes a few seconds to see a new namespace.
  await waitFor(`namespace ${namespace}`, () => cli(address, 'workflow', 'list', '--namespace', namespace, '--limit', '1').then(() => true), 60_000);
  const existing = await cli(address, 'operator', 'search-attribute', 'list', '--namespace', namespace, '-o', 'json');
  for (const registration of SEARCH_ATTRIBUTE_REGISTRATIONS) {
    const [name, type] = registration.split('=') as [string, string];
    if (existing.includes(`"${name}"`)) continue;
    await cli(address, 'operator', 'search-attribute', 'create', '--namespace', namespace, '--name', name, '--type', type);
  }
}

export interface TemporalCluster extends Managed {
  address: string;
  child: ChildProcess;
}

/** Starts the Go-built server with a rendered config (0600: it holds the database password). */
export async function startTemporalCluster(options: {
  server: string;
  stateDir: string;
  serverUrl: string;
  frontendPort: number;
  numHistoryShards?: number;
  metricsPort?: number;
  log: (line: string) => void;
}): Promise<TemporalCluster> {
  const configFile = join(options.stateDir, 'temporal-server.yaml');
  writeFileSync(
    configFile,
    renderTemporalConfig({
      postgres: pgEndpoint(options.serverUrl),
      frontendPort: options.frontendPort,
      numHistoryShards: options.numHistoryShards ?? 4,
      metricsPort: options.metricsPort,
      dynamicConfigFile: join(__dirname, 'dynamic-config.yaml'),
    }),
    { mode: 0o600 },
  );
  const { child, managed } = startProcess('temporal-server', options.server, ['--config-file', configFile, '--allow-no-auth', 'start'], {});
  child.stdout?.on('data', (d: Buffer) => options.log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => options.log(d.toString()));
  const address = `127.0.0.1:${clusterPorts(options.frontendPort).frontend}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`Temporal server exited (code ${code})`))));
  exited.catch(() => undefined);
  await Promise.race([waitFor('Temporal server', () => cli(address, 'operator', 'cluster', 'health').then(() => true), 180_000), exited]);
  return { ...managed, address, child };
}

/**
 * A throwaway cluster for a check (failover, Web UI): embedded PostgreSQL in `stateDir`, Temporal's
 * schema, the Go-built server and the default namespace. Each part goes into `started` as soon as it
 * runs, so the caller's clean-up stops whatever came up.
 */
export async function startThrowawayCluster(
  stateDir: string,
  started: Managed[],
  say: (line: string) => void,
): Promise<{ postgresUrl: string; temporalAddress: string }> {
  const { server, sqlTool } = await ensureServerBuilt(say);
  const postgres = await startEmbeddedPostgres({
    dataDir: join(stateDir, 'pg'),
    port: await freePort(),
    persistent: false,
    password: randomBytes(12).toString('hex'),
  });
  started.push(postgres);
  await setupTemporalSchema(postgres.url, sqlTool, () => undefined);
  const cluster = await startTemporalCluster({ server, stateDir, serverUrl: postgres.url, frontendPort: await freeClusterPort(), log: () => undefined });
  started.push(cluster);
  await registerNamespace(cluster.address, 'default', () => undefined);
  say(`Go-built Temporal server on PostgreSQL at ${cluster.address}`);
  return { postgresUrl: postgres.url, temporalAddress: cluster.address };
}

/** `SDO_FROM_SOURCE=1` runs the apps from TypeScript under ts-node, as it does for `npm start`. */
export const fromSource = (): boolean => process.env['SDO_FROM_SOURCE'] === '1';

let built = false;
/**
 * Builds api and worker when dist/ is missing or stale (the helper `npm start` uses); once per
 * process. Call it before starting servers whose output is piped: the build blocks the event loop.
 */
export function ensureSdoBuilt(log: (line: string) => void): void {
  if (built || fromSource()) return;
  ensureBuilt(log);
  built = true;
}

export interface TemporalWebUi extends Managed {
  url: string;
}

/** Starts the Web UI on the cluster's frontend with a config of ours (see web-ui-config.ts); resolves once it answers. */
export async function startTemporalWebUi(options: {
  binary: string;
  stateDir: string;
  temporalAddress: string;
  port: number;
  codecEndpoint?: string;
  namespace?: string;
  log: (line: string) => void;
}): Promise<TemporalWebUi> {
  const configDir = join(options.stateDir, 'temporal-ui');
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(configDir, 'sdo.yaml'),
    renderWebUiConfig({
      temporalGrpcAddress: options.temporalAddress,
      port: options.port,
      codecEndpoint: options.codecEndpoint,
      defaultNamespace: options.namespace,
    }),
    { mode: 0o600 },
  );
  const { child, managed } = startProcess('temporal-ui', options.binary, ['--root', configDir, '--config', '.', '--env', 'sdo', 'start'], {});
  child.stdout?.on('data', (d: Buffer) => options.log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => options.log(d.toString()));
  const url = `http://127.0.0.1:${options.port}`;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`Temporal Web UI exited (code ${code})`))));
  exited.catch(() => undefined);
  try {
    await Promise.race([waitFor('Temporal Web UI', async () => (await fetch(`${url}/healthz`)).ok, 60_000), exited]);
  } catch (err) {
    await managed.stop();
    throw err;
  }
  return { ...managed, url };
}

/** One SDO process (api or worker): its compiled build (`node dist/<app>/main.js`), as `npm start` runs it. */
export function startSdoProcess(
  name: string,
  app: BuildApp,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  nodeArgs: string[] = [],
): { child: ChildProcess; managed: Managed } {
  ensureSdoBuilt(log);
  const started = startProcess(name, process.execPath, [...nodeArgs, ...appCommand(app, fromSource())], {
    env: { TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    cwd: ROOT,
  });
  const prefix = (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => log(`[${name}] ${l}`));
  started.child.stdout?.on('data', prefix);
  started.child.stderr?.on('data', prefix);
  return started;
}

export const WORKER_ENTRY: BuildApp = 'worker';
export const API_ENTRY: BuildApp = 'api';

/** A frontend port whose neighbours fit Temporal's smallint membership ports (freePort's are often above 32767). */
export async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 9_000);
    if (await portFree(port)) return port;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
