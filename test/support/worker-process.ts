import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_PAYLOAD_KEYS, testStack } from '@sdo/testing';

const ROOT = join(__dirname, '..', '..');

export interface WorkerProcess {
  pid: number;
  /** SIGKILL: no shutdown hook, no activity failure reported; Temporal notices through the heartbeat timeout. */
  kill(): Promise<void>;
  /** What the process wrote, for a failing test's message. */
  output(): string;
  /** Settles when the process has exited (on its own or killed). */
  exited: Promise<void>;
}

/**
 * The real worker (`apps/worker/src/main.ts`, as `npm start` runs it) in a process of its own, on
 * the test stack's Temporal and the given app database; resolves once it polls its task queue.
 */
export async function startWorkerProcess(options: {
  appDatabaseUrl: string;
  secretsKey: string;
  taskQueue: string;
  /** Another entry point than the real worker's (e.g. test/support/killing-worker.ts), relative to the repository. */
  entry?: string;
  env?: Record<string, string>;
}): Promise<WorkerProcess> {
  const stack = testStack();
  const entry = options.entry ?? 'apps/worker/src/main.ts';
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      DATABASE_URL: options.appDatabaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      SDO_TASK_QUEUE: options.taskQueue,
      SDO_SECRETS_KEY: options.secretsKey,
      SDO_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      SDO_SQLITE_DIR: stack.sqliteDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/polling /.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`the worker process exited (${signal ?? code}) before polling:\n${output}`)));
  });
  return {
    pid: child.pid!,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    output: () => output,
    exited,
  };
}
