import { ConfigError, loadConfig } from '@sdo/config';
import { createApiApp } from './app/create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen(config.api.port, config.api.host);
  const url = `http://${config.api.host}:${config.api.port}`;
  console.log(`SDO API listening on ${url} (OpenAPI: ${url}/docs, JSON: ${url}/docs-json)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `SDO API failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
