/**
 * `npm start`: the whole system on embedded defaults — Temporal dev server (file-backed, Web UI),
 * embedded PostgreSQL (data kept in .sdo/), the worker and the API. External Temporal or
 * PostgreSQL are used instead when TEMPORAL_ADDRESS or DATABASE_URL are set. A worker or API
 * that crashes is restarted (with backoff; a crash loop stops everything); Ctrl-C stops all.
 * SDO_STATE_DIR moves the state directory (default .sdo/). The worker and the API run compiled
 * (`node dist/<app>/main.js`), built first when dist/ is missing or older than the sources;
 * SDO_FROM_SOURCE=1 runs them from TypeScript under ts-node instead (development).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureConsoleBuilt } from './console-build';
import { generatePayloadKeyEntry } from '@sdo/config';
import { ensureDatabase, postgresServiceGid, startEmbeddedPostgres } from './postgres';
import { Managed, orderlyShutdown, waitFor } from './processes';
import { ensureBuilt, superviseApp } from './apps';
import { makePrivateDir, makeStateDir, persistentSecret } from './state-dir';
import { DEV_SERVER_RETENTION, namespaceRetention, startTemporal } from './temporal';
import type { BuildApp } from '../build/stamp';

const ROOT = join(__dirname, '..', '..');
const STATE = process.env['SDO_STATE_DIR'] ? resolve(process.env['SDO_STATE_DIR']) : join(ROOT, '.sdo');

/** A value generated once and kept in .sdo/ (0600), so restarts keep the same secrets. */
function persistent(name: string, make: () => string): string {
  return persistentSecret(join(STATE, name), make);
}

const FROM_SOURCE = process.env['SDO_FROM_SOURCE'] === '1';

/** Runs the worker or the API under supervision; its PID is kept in <state>/<name>.pid. */
function runApp(name: BuildApp, env: NodeJS.ProcessEnv): Managed {
  const prefix = (line: string) =>
    line
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}`)
      .join('\n');
  return superviseApp(name, env, {
    fromSource: FROM_SOURCE,
    onStart: (child) => {
      child.stdout?.on('data', (d: Buffer) => console.log(prefix(d.toString())));
      child.stderr?.on('data', (d: Buffer) => console.error(prefix(d.toString())));
      writeFileSync(join(STATE, `${name}.pid`), `${child.pid}\n`, { mode: 0o600 });
    },
    onCrashLoop: (message) => {
      console.error(message);
      void shutdown(1);
    },
    shuttingDown: () => stack.stopping,
  });
}

const started: Managed[] = [];
const stack = orderlyShutdown(started);
const shutdown = (code: number) => stack.shutdown(code);

async function main(): Promise<void> {
  makeStateDir(STATE, { traverseGid: process.env['DATABASE_URL'] ? undefined : postgresServiceGid() });
  const sqliteDir = process.env['SDO_SQLITE_DIR'] ?? join(STATE, 'sqlite');
  if (!process.env['SDO_SQLITE_DIR']) makePrivateDir(sqliteDir);
  // Refused before anything starts.
  const retention = namespaceRetention(process.env['SDO_TEMPORAL_RETENTION'], DEV_SERVER_RETENTION);
  if (!FROM_SOURCE) ensureBuilt();

  let databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) {
    const pgPort = Number(process.env['SDO_EMBEDDED_PG_PORT'] ?? 54329);
    const postgres = await startEmbeddedPostgres({
      dataDir: join(STATE, 'postgres'),
      port: pgPort,
      persistent: true,
      password: persistent('postgres-password', () => randomBytes(18).toString('base64url')),
      stoppedByCaller: true,
    });
    started.push(postgres);
    databaseUrl = await ensureDatabase(postgres.url, 'sdo');
  }

  const apiUrl = `http://${process.env['SDO_API_HOST'] ?? '127.0.0.1'}:${process.env['SDO_API_PORT'] ?? 3000}`;
  let temporalAddress = process.env['TEMPORAL_ADDRESS'];
  let uiUrl: string | undefined;
  let uiOrigin = process.env['SDO_CODEC_CORS_ORIGIN'];
  if (!temporalAddress) {
    const port = Number(process.env['SDO_TEMPORAL_PORT'] ?? 7233);
    const uiPort = Number(process.env['SDO_TEMPORAL_UI_PORT'] ?? port + 1000);
    uiOrigin ??= `http://127.0.0.1:${uiPort}`;
    const temporal = await startTemporal({
      port,
      uiPort,
      uiCodecEndpoint: `${apiUrl}/codec`,
      dbFile: join(STATE, 'temporal.db'),
      namespace: process.env['TEMPORAL_NAMESPACE'] ?? 'default',
      retention,
    });
    started.push(temporal);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
    console.log(`Temporal CLI from ${temporal.cliSource}`);
  }

  const build = await ensureConsoleBuilt((line) => console.log(line));
  const bundleKb = Math.round(build.files.filter((f) => /\.(js|css)$/.test(f.file)).reduce((sum, f) => sum + f.bytes, 0) / 1024);

  const adminToken = persistent('admin-token', () => randomBytes(24).toString('hex'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    SDO_SECRETS_KEY: process.env['SDO_SECRETS_KEY'] ?? persistent('secrets-key', () => randomBytes(32).toString('base64')),
    // Rotation: put a new id:key first in .sdo/payload-keys (or SDO_PAYLOAD_KEYS) and keep the old ones after it.
    SDO_PAYLOAD_KEYS: process.env['SDO_PAYLOAD_KEYS'] ?? persistent('payload-keys', () => generatePayloadKeyEntry()),
    ...(uiOrigin ? { SDO_CODEC_CORS_ORIGIN: uiOrigin } : {}),
    SDO_API_METRICS_PORT: process.env['SDO_API_METRICS_PORT'] ?? '9464',
    SDO_WORKER_METRICS_PORT: process.env['SDO_WORKER_METRICS_PORT'] ?? '9465',
    SDO_API_TOKENS: process.env['SDO_API_TOKENS'] ?? `admin:admin:${adminToken}`,
    SDO_SQLITE_DIR: sqliteDir,
    ...(uiUrl && !process.env['SDO_TEMPORAL_UI_URL'] ? { SDO_TEMPORAL_UI_URL: uiUrl } : {}),
  };
  started.push(runApp('worker', env));
  started.push(runApp('api', env));

  await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 120_000);
  // Relative to the repository (npm runs scripts there) when inside it, as the user sees it.
  const shown = (path: string): string => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path) || '.');
  const tokenFile = shown(join(STATE, 'admin-token'));
  console.log(
    [
      '',
      'SDO is up:',
      `  Console       ${apiUrl}/  (sign in with an API token; bundle ${bundleKb} kB)`,
      `  API           ${apiUrl}/v1`,
      `  OpenAPI       ${apiUrl}/docs  (JSON: ${apiUrl}/docs-json)`,
      `  Health        ${apiUrl}/health`,
      `  Temporal      ${temporalAddress}${uiUrl ? `  (Web UI: ${uiUrl}, payloads opened by ${apiUrl}/codec for engineers)` : ''}`,
      env['SDO_API_METRICS_PORT'] && env['SDO_WORKER_METRICS_PORT']
        ? `  Metrics       API http://${env['SDO_METRICS_HOST'] ?? '127.0.0.1'}:${env['SDO_API_METRICS_PORT']}/metrics, worker http://${env['SDO_METRICS_HOST'] ?? '127.0.0.1'}:${env['SDO_WORKER_METRICS_PORT']}/metrics`
        : '',
      `  PostgreSQL    ${process.env['DATABASE_URL'] ? 'external (DATABASE_URL)' : `embedded, data in ${shown(join(STATE, 'postgres'))}`}`,
      `  SQLite files  ${sqliteDir}  (SQLite environments name files in here)`,
      process.env['SDO_API_TOKENS'] ? '' : `  Admin token   ${tokenFile}  (curl -H "Authorization: Bearer $(cat '${tokenFile}')" ${apiUrl}/v1/deliveries)`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  void shutdown(1);
});
