import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { testTemporalClient } from '@sdo/api/testing';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createScratchDatabase, type ScratchDatabase, TEST_PAYLOAD_KEYS, testStack } from '@sdo/testing';
import { freePort, startProcess, supervise } from '@sdo/stack';
import { connectionFields, withPg } from '../support/fixtures';
import { processAlive } from '../support/waiting';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`never reached: ${what}\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Issue #8: "the embedded stack survives a crashed worker". */
describe('the stack runner supervises its processes', () => {
  const node = (script: string) => () => startProcess('child', process.execPath, ['-e', script], {});

  it('restarts a SIGKILLed child with backoff and says so; stop() ends it for good', async () => {
    const lines: string[] = [];
    const crashLoops: string[] = [];
    const s = supervise('worker', node('setInterval(() => {}, 1000)'), {
      initialDelayMs: 100,
      log: (l) => lines.push(l),
      onCrashLoop: (m) => crashLoops.push(m),
    });
    const first = s.child!.pid!;
    process.kill(first, 'SIGKILL');
    const second = await until('a new child', () => (s.child?.pid && s.child.pid !== first ? s.child.pid : undefined), 5_000);
    expect(processAlive(second)).toBe(true);
    expect(lines).toEqual(['[worker] exited (SIGKILL); restarting in 100 ms (restart 1)']);
    await s.stop();
    expect(processAlive(second)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.child).toBeUndefined();
    expect(s.restarts).toBe(1);
    expect(crashLoops).toEqual([]);
  });

  it('gives up on a crash loop: 5 crashes within the window stop everything, with a clear message', async () => {
    const lines: string[] = [];
    const crashLoop = new Promise<string>((resolve) => {
      supervise('api', node('process.exit(3)'), { initialDelayMs: 20, maxCrashes: 5, windowMs: 60_000, log: (l) => lines.push(l), onCrashLoop: resolve });
    });
    expect(await crashLoop).toBe('[api] exited (code 3): 5 crashes within 60 s, a crash loop; stopping everything');
    expect(lines).toEqual([1, 2, 3, 4].map((n) => `[api] exited (code 3); restarting in ${20 * 2 ** (n - 1)} ms (restart ${n})`));
  });
});

/**
 * Issue #8: "the embedded stack survives a crashed worker" and "one kill can stall a delivery for
 * two hours". The real runner (npm start's tools/stack/up.ts, on the test stack's PostgreSQL and
 * Temporal) runs a SQLite → PostgreSQL conversion; its worker is SIGKILLed while the cutover's
 * first step, checkSourceDrift, is blocked on a lock in the app database. The runner restarts the
 * worker, the dead attempt times out on its heartbeat, attempt 2 runs on the new worker, and the
 * delivery moves on within a minute and completes.
 */
describe("npm start's runner whose worker is SIGKILLed inside the conversion cutover step", () => {
  let runner: ChildProcess | undefined;
  let output = '';
  let state: string;
  let appDb: ScratchDatabase;
  let target: ScratchDatabase;
  let lock: Client | undefined;
  let temporal: Connection | undefined;

  beforeAll(async () => {
    state = mkdtempSync(join(tmpdir(), 'sdo-state-'));
    [appDb, target] = await Promise.all([createScratchDatabase('sdo_app'), createScratchDatabase('conv_target')]);
    mkdirSync(join(state, 'sqlite'));
    const db = new Database(join(state, 'sqlite', 'erp.db'));
    db.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
             CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), amount REAL NOT NULL);`);
    const addCustomer = db.prepare('INSERT INTO customers (id, name) VALUES (?, ?)');
    const addOrder = db.prepare('INSERT INTO orders (id, customer_id, amount) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 200; i++) addCustomer.run(i, `customer ${i}`);
      for (let i = 1; i <= 2000; i++) addOrder.run(i, 1 + (i % 200), i / 4);
    })();
    db.close();
  });

  afterAll(async () => {
    await lock?.query('ROLLBACK').catch(() => undefined);
    await lock?.end().catch(() => undefined);
    await temporal?.close().catch(() => undefined);
    if (runner && runner.exitCode === null && runner.signalCode === null) {
      runner.kill('SIGTERM');
      await new Promise((r) => runner!.once('exit', r));
    }
    for (const name of ['worker', 'api']) {
      const file = join(state, `${name}.pid`);
      const pid = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
      if (pid && processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(state, { recursive: true, force: true });
    await target?.drop();
    await appDb?.drop();
  });

  it('restarts the worker within seconds; attempt 2 of checkSourceDrift runs after the heartbeat timeout; the delivery completes', async () => {
    const stack = testStack();
    const port = await freePort();
    const tokens = { admin: randomBytes(24).toString('hex'), manager: randomBytes(24).toString('hex') };
    runner = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'tools/stack/up.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        // Tests run the sources; npm start itself runs (and first builds) dist/.
        SDO_FROM_SOURCE: '1',
        SDO_STATE_DIR: state,
        SDO_SQLITE_DIR: join(state, 'sqlite'),
        DATABASE_URL: appDb.url,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_NAMESPACE: stack.temporalNamespace,
        SDO_TASK_QUEUE: `stack-restart-${randomUUID()}`,
        SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
        SDO_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
        SDO_API_PORT: String(port),
        SDO_API_TOKENS: `ada:admin:${tokens.admin},max:manager:${tokens.manager}`,
        // npm start's fixed metrics ports may be taken by another stack on this machine: none here.
        SDO_API_METRICS_PORT: '',
        SDO_WORKER_METRICS_PORT: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    runner.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    runner.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const seen = () => output.slice(-4000);
    const polling = () => output.split('\n').filter((l) => /^\[worker\].*DeliveryWorkerService.*polling /.test(l)).length;
    await until('the stack is up and the worker polls', () => /SDO is up/.test(output) && polling() === 1, 90_000, seen);

    const api = async (method: string, path: string, as: keyof typeof tokens, body?: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[as]}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json().catch(() => undefined)) as any };
    };
    const delivery = (id: string) => api('GET', `/v1/deliveries/${id}`, 'manager').then((r) => r.body);
    const register = async (body: Record<string, unknown>) => {
      const r = await api('POST', '/v1/environments', 'admin', { customerId: 'CUST-RESTART', name: `erp-${randomUUID().slice(0, 8)}`, ...body });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const source = await register({ engine: 'sqlite', database: join(state, 'sqlite', 'erp.db') });
    const targetEnv = await register({ engine: 'postgres', ...connectionFields(target.url) });
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    const started = await api('POST', '/v1/deliveries', 'manager', {
      serviceType: 'database-conversion',
      customerId: 'CUST-RESTART',
      orderNo,
      contractRef: 'CT-RESTART',
      environments: { source, target: targetEnv },
      parameters: { targetSchema: 'erp' },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    });
    expect(started.status).toBe(202);
    const id: string = started.body.id;
    await until('the plan awaits approval', async () => (await delivery(id)).live?.awaiting === 'planApproval', 30_000, seen);
    expect((await api('POST', `/v1/deliveries/${id}/plan-approval`, 'manager', { revision: 1, comment: 'go' })).status).toBe(200);
    await until('the rehearsal passed and the window is awaited', async () => (await delivery(id)).live?.awaiting === 'cutoverWindow', 60_000, seen);

    // The drift check reads the rehearsal's introspection from the app database: hold it there.
    lock = new Client({ connectionString: appDb.url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE data_artifacts IN ACCESS EXCLUSIVE MODE');
    expect((await api('PUT', `/v1/deliveries/${id}/cutover-window`, 'manager', { startsAt: new Date().toISOString() })).status).toBe(200);
    temporal = await Connection.connect({ address: stack.temporalAddress });
    const handle = testTemporalClient(temporal, stack.temporalNamespace).workflow.getHandle(started.body.workflowId);
    const driftCheck = async () => (await handle.describe()).raw.pendingActivities?.find((a) => a.activityType?.name === 'checkSourceDrift');
    await until('checkSourceDrift runs (blocked on the lock)', async () => ((await driftCheck())?.lastStartedTime ? true : undefined), 30_000, seen);

    const first = Number(readFileSync(join(state, 'worker.pid'), 'utf8'));
    const killedAt = Date.now();
    process.kill(first, 'SIGKILL');
    await until('the runner restarts the worker', () => output.includes('[worker] exited (SIGKILL); restarting in 1 s (restart 1)'), 10_000, seen);
    await until('the new worker polls', () => polling() === 2, 60_000, seen);
    const second = Number(readFileSync(join(state, 'worker.pid'), 'utf8'));
    expect(second).not.toBe(first);
    expect(processAlive(second)).toBe(true);
    const backAfter = (Date.now() - killedAt) / 1000;
    await until(
      'attempt 2 of checkSourceDrift starts on the new worker',
      async () => {
        const pending = await driftCheck();
        return pending && (pending.attempt ?? 0) >= 2 && pending.lastStartedTime && pending.lastWorkerIdentity?.endsWith(`:${second}`) ? true : undefined;
      },
      45_000,
      seen,
    );
    const retriedAfter = (Date.now() - killedAt) / 1000;
    await lock.query('ROLLBACK');
    await lock.end();
    lock = undefined;

    await until('the delivery moves on to acceptance', async () => (await delivery(id)).live?.awaiting === 'acceptance', 60_000, seen);
    const movedOnAfter = (Date.now() - killedAt) / 1000;
    process.stdout.write(
      `[stack-restart] after SIGKILL: worker polling again at ${backAfter.toFixed(1)} s, attempt 2 started at ${retriedAfter.toFixed(1)} s, cutover done at ${movedOnAfter.toFixed(1)} s\n`,
    );
    expect(movedOnAfter).toBeLessThan(60);
    expect(output).not.toMatch(/stopping everything/);
    expect((await api('POST', `/v1/deliveries/${id}/acceptance-confirmation`, 'manager', { comment: 'ok' })).status).toBe(200);
    await until('the delivery completes', async () => ((await delivery(id)).phase === 'completed' ? true : undefined), 30_000, seen);
    const rows = await withPg(target.url, (c) =>
      c.query<{ n: string }>('SELECT (SELECT count(*) FROM erp.customers) + (SELECT count(*) FROM erp.orders) AS n'),
    );
    expect(Number(rows.rows[0]!.n)).toBe(2200);

    // SIGTERM (as Ctrl-C) still stops everything, and nothing is restarted.
    runner.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => runner!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(processAlive(second)).toBe(false);
    expect(output.match(/restarting in/g)).toHaveLength(1);
  });
});
