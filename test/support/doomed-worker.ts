import { Client, Connection } from '@temporalio/client';
import { testPayloadKeys, testTemporalClient } from '@sdo/api/testing';
import { NativeConnection } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '@sdo/activities';
import { createAppDataSource } from '@sdo/persistence';
import { testStack } from '@sdo/testing';
import { buildActivityDeps } from '@sdo/worker/testing';
import { createDeliveryWorker } from '@sdo/worker/testing';
import { deliveryWorkflowBundle } from '@sdo/worker/testing';
import { workerPolicy } from './worker-harness';

export interface DoomedWorker {
  client: Client;
  dataSource: DataSource;
  /** Stops at once: running activities are cancelled mid-work, like a crashed worker's (their transactions roll back). */
  stop(): Promise<void>;
}

/**
 * A worker like the real one (same workflows, same activities) but with no shutdown grace, over
 * an existing app database: tests stop it in the middle of a copy and let a fresh harness finish.
 */
export async function startDoomedWorker(options: { appDatabaseUrl: string; secretsKey: string; taskQueue: string }): Promise<DoomedWorker> {
  const stack = testStack();
  const dataSource = await createAppDataSource(options.appDatabaseUrl).initialize();
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await createDeliveryWorker({
    connection: nativeConnection,
    namespace: stack.temporalNamespace,
    taskQueue: options.taskQueue,
    payloadKeys: testPayloadKeys(),
    workflowBundle: await deliveryWorkflowBundle(),
    activities: createActivities(buildActivityDeps(dataSource, options.secretsKey, { policy: workerPolicy(options.appDatabaseUrl) })),
    shutdownGraceTime: '1 ms',
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  return {
    dataSource,
    client: testTemporalClient(connection, stack.temporalNamespace),
    async stop() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await nativeConnection.close();
      await dataSource.destroy();
    },
  };
}
