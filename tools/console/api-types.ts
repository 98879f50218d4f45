// Regenerates the console's API types from the API's own OpenAPI document (no running stack needed
// beyond the throwaway servers): tools/scripts/with-test-stack.sh npx ts-node … tools/console/api-types.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiTestApp } from '@sdo/api/testing';

async function main(): Promise<void> {
  const api = await startApiTestApp();
  try {
    const document = await (await fetch(`${api.baseUrl}/docs-json`)).text();
    const file = join(mkdtempSync(join(tmpdir(), 'sdo-docs-')), 'docs.json');
    writeFileSync(file, document);
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'apps', 'console', 'scripts', 'generate-api-types.mjs'), file], { stdio: 'inherit' });
  } finally {
    await api.app.close();
    await api.database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
