import { ConfigError, loadConfig, startTracing } from '@sdo/config';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

async function main(): Promise<void> {
  const config = loadConfig();
  const tracing = startTracing('sdo-api', { otlpTracesEndpoint: config.otlpTracesEndpoint });
  // Instrumentations patch http and express as they load: the app is loaded after them.
  registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });
  const { createApiApp } = await import('./app/create-app');
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  process.once('beforeExit', () => void tracing.shutdown());
  const url = `http://${config.api.host}:${config.api.port}`;
  console.log(`SDO API listening on ${url} (OpenAPI: ${url}/docs, JSON: ${url}/docs-json)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `SDO API failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
