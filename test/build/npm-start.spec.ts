import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_SERVER_RETENTION, freePort, namespaceRetention, resolveTemporalCli } from '@sdo/stack';
import { processAlive } from '../support/waiting';

// From source, with the console built when stale: up to a minute or two on a loaded machine.
jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');

/** The PID of the process whose command line mentions `text`, if one runs. */
function pidOf(text: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * `npm start` stopped with Ctrl-C: a terminal sends SIGINT to its whole foreground process group.
 * PostgreSQL and Temporal used to get it too and stop at once, while the worker was still draining
 * its activities against them. Now the runner alone gets it and stops the API and the worker
 * first, then Temporal, then PostgreSQL; it exits 0.
 */
describe('SDO_TEMPORAL_RETENTION', () => {
  it('takes hours or days from one day to ten years, and refuses anything else', () => {
    expect(namespaceRetention(undefined, DEV_SERVER_RETENTION)).toBe('720h');
    expect(namespaceRetention('  ', '72h')).toBe('72h');
    expect(namespaceRetention('30d', '72h')).toBe('720h');
    expect(namespaceRetention('24h', '72h')).toBe('24h');
    expect(namespaceRetention('3650d', '72h')).toBe('87600h');
    for (const bad of ['23h', '0d', '3651d', '720', '1.5d', '-1d', '1e3h', '720h --namespace other', '720h\0', 'P30D', '999999999999d']) {
      expect(() => namespaceRetention(bad, '72h')).toThrow(/SDO_TEMPORAL_RETENTION must be hours or days/);
    }
  });
});

describe('npm start: a month of histories, and Ctrl-C', () => {
  let runner: ChildProcess | undefined;
  let state: string;
  let output = '';
  const pids: Record<string, number | undefined> = {};

  afterAll(() => {
    // Only after a failure is anything left: the runner runs in a session of its own.
    if (runner?.pid && processAlive(runner.pid)) process.kill(-runner.pid, 'SIGKILL');
    for (const pid of Object.values(pids)) if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(state, { recursive: true, force: true });
  });

  it('keeps ended histories 30 days (the dev server keeps one); Ctrl-C stops the apps, then Temporal, then PostgreSQL, and exits 0', async () => {
    state = mkdtempSync(join(tmpdir(), 'sdo-stop-'));
    const [pgPort, temporalPort, uiPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'SDO_API_TOKENS', 'SDO_SQLITE_DIR']) delete env[name];
    // Its own process group, as a terminal's foreground job is: the signal below goes to all of it.
    runner = spawn('bash', ['tools/scripts/up.sh'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        SDO_FROM_SOURCE: '1',
        SDO_STATE_DIR: state,
        SDO_EMBEDDED_PG_PORT: String(pgPort),
        SDO_TEMPORAL_PORT: String(temporalPort),
        SDO_TEMPORAL_UI_PORT: String(uiPort),
        SDO_API_PORT: String(apiPort),
        SDO_API_METRICS_PORT: '',
        SDO_WORKER_METRICS_PORT: '',
        SDO_TEMPORAL_RETENTION: '',
      },
    });
    runner.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    runner.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => runner!.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 200_000;
    while (!output.includes('Ctrl-C stops everything.')) {
      if (Date.now() > deadline || runner.exitCode !== null) throw new Error(`the stack did not come up:\n${output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const namespace = execFileSync(
      resolveTemporalCli().path,
      ['operator', 'namespace', 'describe', '--namespace', 'default', '--address', `127.0.0.1:${temporalPort}`],
      {
        encoding: 'utf8',
      },
    );
    expect(namespace).toMatch(/WorkflowExecutionRetentionTtl\s+720h0m0s/);

    Object.assign(pids, {
      api: Number(readFileSync(join(state, 'api.pid'), 'utf8')),
      worker: Number(readFileSync(join(state, 'worker.pid'), 'utf8')),
      temporal: pidOf(join(state, 'temporal.db')),
      postgres: Number(readFileSync(join(state, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]),
    });
    for (const [name, pid] of Object.entries(pids)) expect([name, pid !== undefined && processAlive(pid)]).toEqual([name, true]);

    const stoppedAt: Record<string, number> = {};
    const signalledAt = Date.now();
    process.kill(-runner.pid!, 'SIGINT');
    while (Object.keys(stoppedAt).length < 4 && Date.now() - signalledAt < 60_000) {
      for (const [name, pid] of Object.entries(pids)) if (!(name in stoppedAt) && !processAlive(pid!)) stoppedAt[name] = Date.now() - signalledAt;
      await new Promise((r) => setTimeout(r, 5));
    }
    const code = await exited;
    const order = Object.entries(stoppedAt)
      .sort((a, b) => a[1] - b[1])
      .map(([name]) => name);
    console.log(`npm start stopped: ${order.map((name) => `${name} after ${stoppedAt[name]} ms`).join(', ')}`);
    const context = `stopped after (ms): ${JSON.stringify(stoppedAt)}\n${output.slice(-3000)}`;
    expect([order.slice(0, 2).sort(), order.slice(2), context]).toEqual([['api', 'worker'], ['temporal', 'postgres'], context]);
    expect(code).toBe(0);
    // Nothing lost its database while stopping.
    expect(output).not.toMatch(/no usable database connection|terminating connection due to administrator command|Connection terminated unexpectedly/);
  });
});
