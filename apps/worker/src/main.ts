import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig, startTracing } from '@sdo/config';
import { jsonWorkerLogger } from './app/worker-telemetry';
import { DeliveryWorkerService, WorkerModule } from './app/worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const { host, workerPort } = config.metrics;
  Runtime.install({
    logger: jsonWorkerLogger(config.logLevel),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'WARN' } },
      // The SDK's own series (temporal_*: pollers, task latencies, slots) and SDO's activity metrics (sdo_*).
      ...(workerPort !== undefined ? { metrics: { prometheus: { bindAddress: `${host}:${workerPort}`, countersTotalSuffix: true } } } : {}),
    },
  });
  const tracing = startTracing('sdo-worker', { otlpTracesEndpoint: config.otlpTracesEndpoint });
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config, tracing), { logger: ['log', 'warn', 'error'] });
  app.enableShutdownHooks();
  if (workerPort !== undefined) console.log(`metrics on http://${host}:${workerPort}/metrics`);
  await app.get(DeliveryWorkerService).run();
  await app.close();
  await tracing.shutdown();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
