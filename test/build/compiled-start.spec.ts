import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TEST_SECRETS_KEY, TOKENS } from '@sdo/api/testing';
import { dataTaskQueue } from '@sdo/contracts';
import { ensureBuilt, freePort, type Managed, superviseApp, waitFor } from '@sdo/stack';
import { createScratchDatabase, type ScratchDatabase, TEST_PAYLOAD_KEYS, testStack } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { waitForDelivery } from '../support/waiting';

// A cold build (no dist/) compiles api and worker and bundles the workflows: minutes on a loaded machine.
jest.setTimeout(420_000);

/**
 * Issue #13, `npm start` runs the compiled build: builds api and worker as `npm start` does (only
 * what is stale), runs `node dist/<app>/main.js` under the stack runner's supervisor, and checks
 * that the API answers, the worker polls both task queues and a delivery reaches its first gate.
 */
describe('npm start, compiled', () => {
  const stack = testStack();
  const taskQueue = `compiled-${randomUUID()}`;
  const output: string[] = [];
  const apps: Managed[] = [];
  let appDb: ScratchDatabase;
  let target: ScratchDatabase;
  let baseUrl: string;
  let connection: Connection;
  const timings: Record<string, number> = {};

  const request = async (method: string, path: string, options: { as?: keyof typeof TOKENS; body?: unknown; headers?: Record<string, string> } = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKENS[options.as ?? 'admin']}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    let t = Date.now();
    const built = ensureBuilt((line) => output.push(line));
    timings[`build (${built.join(' and ') || 'up to date'})`] = Date.now() - t;
    [appDb, target] = await Promise.all([createScratchDatabase('sdo_compiled'), createErpV1Database()]);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'production',
      DATABASE_URL: appDb.url,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.temporalNamespace,
      SDO_TASK_QUEUE: taskQueue,
      SDO_SECRETS_KEY: TEST_SECRETS_KEY,
      SDO_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      SDO_API_TOKENS: `ada:admin:${TOKENS.admin},max:manager:${TOKENS.manager},vic:viewer:${TOKENS.viewer}`,
      SDO_API_HOST: '127.0.0.1',
      SDO_API_PORT: String(port),
      SDO_SQLITE_DIR: stack.sqliteDir,
    };
    t = Date.now();
    let crashed!: (message: string) => void;
    const crash = new Promise<never>((_, reject) => (crashed = (message) => reject(new Error(`${message}\n${output.join('\n')}`))));
    crash.catch(() => undefined); // also settled when no one waits on it any more
    for (const app of ['worker', 'api'] as const) {
      apps.push(
        superviseApp(app, env, {
          maxCrashes: 1,
          onStart: (child) => {
            child.stdout?.on('data', (d: Buffer) => output.push(`[${app}] ${d.toString()}`));
            child.stderr?.on('data', (d: Buffer) => output.push(`[${app}] ${d.toString()}`));
          },
          onCrashLoop: crashed,
          log: (line) => output.push(line),
        }),
      );
    }
    // A crashed app fails the start at once, with its output.
    await Promise.race([
      crash,
      waitFor('the compiled API', async () => (await fetch(`${baseUrl}/health`)).ok, 120_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${output.join('\n')}`);
      }),
    ]);
    timings['API up'] = Date.now() - t;
    connection = await Connection.connect({ address: stack.temporalAddress });
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.stop();
    await connection?.close();
    await target?.drop();
    await appDb?.drop();
    console.log(
      `compiled start: ${Object.entries(timings)
        .map(([what, ms]) => `${what} ${(ms / 1000).toFixed(1)} s`)
        .join(', ')}`,
    );
  });

  it('answers /health from dist/, its worker polls both task queues, and a delivery reaches its first gate', async () => {
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);

    // The compiled worker polls the delivery queue (workflows and activities) and the data queue.
    const pollers = async (name: string, type: temporal.api.enums.v1.TaskQueueType) =>
      (await connection.workflowService.describeTaskQueue({ namespace: stack.temporalNamespace, taskQueue: { name }, taskQueueType: type })).pollers?.map(
        (p) => p.identity ?? '',
      ) ?? [];
    const { TASK_QUEUE_TYPE_WORKFLOW: WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY: ACTIVITY } = temporal.api.enums.v1.TaskQueueType;
    await waitFor(
      'the worker polling both queues',
      async () =>
        (await Promise.all([pollers(taskQueue, WORKFLOW), pollers(taskQueue, ACTIVITY), pollers(dataTaskQueue(taskQueue), ACTIVITY)])).every((ids) =>
          ids.some((id) => id.startsWith('sdo-worker@')),
        ),
      30_000,
    );

    // An upgrade through the compiled API: assessed and planned by the compiled worker (prebuilt workflow bundle).
    const t = Date.now();
    const env = await request('POST', '/v1/environments', {
      body: { customerId: 'CUST-BUILT', name: `erp-${randomUUID().slice(0, 6)}`, engine: 'postgres', ...connectionFields(target.url) },
    });
    expect(env.status).toBe(201);
    const pkg = await request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    expect(pkg.status).toBe(201);
    const started = await request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-BUILT',
        orderNo: `SO-BUILT-${randomUUID().slice(0, 6)}`,
        environments: { target: env.body.id },
        parameters: { packageId: pkg.body.id },
        contractRef: 'CT-BUILT-1',
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
      },
    });
    expect(started.status).toBe(202);
    const planned = await waitForDelivery({ request }, started.body.id, (d) => d.live?.awaiting === 'planApproval', 90_000);
    expect(planned.live.plans).toHaveLength(1);
    timings['delivery at its first gate'] = Date.now() - t;
    expect(output.join('\n')).not.toMatch(/exited \(/);
  });
});
