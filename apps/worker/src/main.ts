import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '@sdo/config';
import { DeliveryWorkerService, WorkerModule } from './app/worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' } } } });
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  await app.get(DeliveryWorkerService).run();
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
