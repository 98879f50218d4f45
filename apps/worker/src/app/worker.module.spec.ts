import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { deliveryStatusQuery, DELIVERY_WORKFLOW_TYPES, deliveryWorkflowId } from '@sdo/contracts';
import { loadConfig, sdoDataConverter } from '@sdo/config';
import { DeliveryStore, SecretBox } from '@sdo/persistence';
import { createScratchDatabase, TEST_PAYLOAD_KEYS, testStack } from '@sdo/testing';
import { DeliveryWorkerService, WorkerModule } from './worker.module';

jest.setTimeout(90_000);

/** The worker process as `npm start` runs it: Nest context, migrations, real worker on real Temporal. */
describe('WorkerModule', () => {
  it('migrates the app database, polls its task queue, answers workflow tasks and shuts down cleanly', async () => {
    const stack = testStack();
    const appDb = await createScratchDatabase('sdo_worker');
    const taskQueue = `worker-spec-${randomUUID()}`;
    const config = loadConfig({
      DATABASE_URL: appDb.url,
      SDO_SECRETS_KEY: SecretBox.generateKey(),
      SDO_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      SDO_TASK_QUEUE: taskQueue,
    });
    const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), { logger: false });
    const running = app.get(DeliveryWorkerService).run();

    const migrations = await app.get(DataSource).query('SELECT name FROM sdo_migrations ORDER BY id');
    expect(migrations.map((m: { name: string }) => m.name)).toEqual([
      'InitialSchema1764230400000',
      'DataArtifacts1764316800000',
      'CustomerScopeAndDecisions1764489600000',
      'Notifications1764576000000',
      'CatalogTasks1764662400000',
      'EnvironmentLeases1764748800000',
      'SharedHeavyWork1764835200030',
      'ObligationTasksInInbox1764835200050',
      'CustomerTimeZoneAndMailContacts1764835200060',
      'DeliveryFinalStatus1764835200070',
    ]);

    // A delivery whose target is not registered: the worker runs the workflow, which fails typed.
    const orderNo = `W-${randomUUID().slice(0, 8)}`;
    const window = { startsAt: new Date().toISOString(), durationMinutes: 60 };
    const { delivery } = await new DeliveryStore(app.get(DataSource)).claim({
      workflowId: deliveryWorkflowId('upgrade', 'C', orderNo),
      idempotencyKey: randomUUID(),
      requestFingerprint: 'spec',
      serviceType: 'upgrade',
      customerId: 'C',
      orderNo,
      environments: {},
      parameters: {},
      cutoverWindow: window,
      contractRef: 'CT',
      createdBy: 'spec',
    });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const client = new Client({ connection, dataConverter: sdoDataConverter(config.payloadKeys) });
    const handle = await client.workflow.start(DELIVERY_WORKFLOW_TYPES.upgrade, {
      taskQueue,
      workflowId: delivery.workflowId,
      args: [
        {
          deliveryId: delivery.id,
          serviceType: 'upgrade',
          customerId: 'C',
          orderNo: 'W-1',
          environments: { target: randomUUID() },
          parameters: { packageId: randomUUID() },
          contractRef: 'CT',
          cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
          gatePolicy: { reminderEvery: '1 hour', escalateAfter: '1 day' },
        },
      ],
    });
    // The blocker waits for the manager to amend the environments rather than failing the delivery.
    let status = await handle.query(deliveryStatusQuery);
    for (let i = 0; i < 120 && status.awaiting !== 'assessmentBlocked'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = await handle.query(deliveryStatusQuery);
    }
    expect(status).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked', lastFailure: { type: 'EnvironmentNotFound' } });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();

    await app.close();
    await running;
    await connection.close();
    await appDb.drop();
  });
});
