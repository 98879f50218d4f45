import { Client, Connection } from '@temporalio/client';
import { testPayloadKeys, testTemporalClient } from '@sdo/api/testing';
import { DefaultLogger, NativeConnection, Runtime, type WorkerOptions } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createActivities, type ActivityDeps } from '@sdo/activities';
import { createAppDataSource, EnvironmentPolicy, migrateAppDatabase, type ResolveHost, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, testStack } from '@sdo/testing';
import { buildActivityDeps, buildNotificationDeps } from '@sdo/worker/testing';
import type { PayloadKeyRing, SdoConfig } from '@sdo/config';
import { createDeliveryWorker } from '@sdo/worker/testing';
import { deliveryWorkflowBundle } from '@sdo/worker/testing';

/**
 * A real worker (real workflows, real activities) over a fresh app database, on a task queue of
 * its own so parallel test files never take each other's tasks.
 */
export interface WorkerHarness {
  client: Client;
  taskQueue: string;
  namespace: string;
  dataSource: DataSource;
  secretsKey: string;
  deps: ActivityDeps;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export interface WorkerHarnessOptions {
  /** Share the API's app database (end-to-end tests); otherwise the harness makes its own. */
  appDatabaseUrl?: string;
  secretsKey?: string;
  taskQueue?: string;
  /** A Temporal server of the test's own (default: the test stack's). */
  temporalAddress?: string;
  /** How long assessments retry an unreachable server (default: the worker's 5 minutes). */
  assessmentRetryBudgetMs?: number;
  /** How the worker's environment policy resolves host names (default: the OS resolver). */
  resolveHost?: ResolveHost;
  /** Send webhooks and gate mails (default: the outbox is not written). */
  notify?: { webhooks: SdoConfig['webhooks']; mail?: SdoConfig['mail'] };
  /** Activity slots of the data queue (default: the worker's 4). */
  dataSlots?: number;
  /** Instrumentation only, e.g. holding copies to fill the data slots; never changes what an activity does. */
  interceptors?: WorkerOptions['interceptors'];
  /** The worker's payload key ring (default: the test ring), e.g. to rotate keys. */
  payloadKeys?: PayloadKeyRing;
}

/** The worker's environment policy as its configuration would make it: its app database and Temporal are protected. */
export function workerPolicy(appDatabaseUrl: string, options: { temporalAddress?: string; resolveHost?: ResolveHost } = {}): EnvironmentPolicy {
  const stack = testStack();
  return EnvironmentPolicy.fromConfig(
    { databaseUrl: appDatabaseUrl, temporal: { address: options.temporalAddress ?? stack.temporalAddress }, sqliteDir: stack.sqliteDir },
    options.resolveHost,
  );
}

export async function startWorkerHarness(options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  if (!runtimeInstalled) {
    // Keep test output readable: the SDK logs every activity failure at INFO/WARN otherwise.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const stack = testStack();
  const ownDb = options.appDatabaseUrl ? undefined : await createScratchDatabase('sdo_app');
  const dataSource = await createAppDataSource(options.appDatabaseUrl ?? ownDb!.url).initialize();
  await migrateAppDatabase(dataSource);
  const secretsKey = options.secretsKey ?? SecretBox.generateKey();
  const appDatabaseUrl = options.appDatabaseUrl ?? ownDb!.url;
  const nativeConnection = await NativeConnection.connect({ address: options.temporalAddress ?? stack.temporalAddress });
  const deps = buildActivityDeps(dataSource, secretsKey, {
    policy: workerPolicy(appDatabaseUrl, options),
    assessmentRetryBudgetMs: options.assessmentRetryBudgetMs,
    ...(options.notify
      ? {
          notify: buildNotificationDeps(dataSource, secretsKey, {
            ...options.notify,
            connection: nativeConnection,
            namespace: stack.temporalNamespace,
            payloadKeys: options.payloadKeys ?? testPayloadKeys(),
          }),
        }
      : {}),
  });
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;

  const worker = await createDeliveryWorker({
    connection: nativeConnection,
    namespace: stack.temporalNamespace,
    taskQueue,
    payloadKeys: options.payloadKeys ?? testPayloadKeys(),
    activities: createActivities(deps),
    workflowBundle: await deliveryWorkflowBundle(),
    ...(options.dataSlots ? { dataSlots: options.dataSlots } : {}),
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: options.temporalAddress ?? stack.temporalAddress });
  const client = testTemporalClient(connection, stack.temporalNamespace);

  return {
    client,
    taskQueue,
    namespace: stack.temporalNamespace,
    dataSource,
    secretsKey,
    deps,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await dataSource.destroy();
      await ownDb?.drop();
    },
  };
}
