import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { NativeConnection } from '@temporalio/worker';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { createActivities } from '@sdo/activities';
import { SdoConfig, type SdoTracing, temporalConnectionOptions } from '@sdo/config';
import { createAppDataSource, EnvironmentPolicy, migrateAppDatabase } from '@sdo/persistence';
import { closeAllIdlePools } from '@sdo/pg-kit';
import { buildActivityDeps } from './activity-deps';
import { createDeliveryWorker, DeliveryWorker } from './delivery-worker';
import { buildNotificationDeps } from './notification-deps';
import { workerWorkflowBundle } from './workflow-bundle';

export const SDO_CONFIG = Symbol('SDO_CONFIG');
export const WORKER_TRACING = Symbol('WORKER_TRACING');

/** Owns the Temporal worker: builds activities from injected stores, runs until shutdown. */
@Injectable()
export class DeliveryWorkerService implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorkerService.name);
  private worker: DeliveryWorker | undefined;
  private connection: NativeConnection | undefined;

  constructor(
    @Inject(SDO_CONFIG) private readonly config: SdoConfig,
    private readonly dataSource: DataSource,
    @Optional() @Inject(WORKER_TRACING) private readonly tracing?: SdoTracing,
  ) {}

  async run(): Promise<void> {
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config.temporal));
    this.worker = await createDeliveryWorker({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      payloadKeys: this.config.payloadKeys,
      tracing: this.tracing,
      queues: this.config.worker.queues,
      orchestrationSlots: this.config.worker.orchestrationSlots,
      dataSlots: this.config.worker.dataSlots,
      activities: createActivities(
        buildActivityDeps(this.dataSource, this.config.secretsKey, {
          policy: EnvironmentPolicy.fromConfig(this.config),
          assessmentRetryBudgetMs: msToNumber(this.config.assessmentRetryBudget as Duration),
          notify: buildNotificationDeps(this.dataSource, this.config.secretsKey, {
            connection: this.connection,
            namespace: this.config.temporal.namespace,
            payloadKeys: this.config.payloadKeys,
            webhooks: this.config.webhooks,
            mail: this.config.mail,
          }),
        }),
      ),
      workflowBundle: await workerWorkflowBundle(),
      identity: `sdo-worker@${hostname()}:${process.pid}`,
    });
    const queues = [...this.worker.workers.keys()]
      .map((kind) => `${kind} (${kind === 'data' ? this.config.worker.dataSlots : this.config.worker.orchestrationSlots} activity slots)`)
      .join(' and ');
    this.logger.log(`polling ${this.config.temporal.address} namespace ${this.config.temporal.namespace}: ${queues}`);
    await this.worker.run();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.connection?.close().catch(() => undefined);
    // Customer databases' idle sessions end now rather than when their idle timeout would.
    await closeAllIdlePools();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

@Module({})
export class WorkerModule {
  static forConfig(config: SdoConfig, tracing?: SdoTracing): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: SDO_CONFIG, useValue: config },
        ...(tracing ? [{ provide: WORKER_TRACING, useValue: tracing }] : []),
        {
          provide: DataSource,
          useFactory: async () => {
            const dataSource = await createAppDataSource(config.databaseUrl).initialize();
            await migrateAppDatabase(dataSource);
            return dataSource;
          },
        },
        DeliveryWorkerService,
      ],
    };
  }
}
