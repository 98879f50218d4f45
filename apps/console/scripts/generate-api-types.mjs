// The console's API types, generated from the API's OpenAPI document with openapi-typescript.
//   node apps/console/scripts/generate-api-types.mjs <docs.json file or http://…/docs-json> [--check]
// Writes apps/console/src/api/sdo-api.ts; with --check writes nothing and exits 1 when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const [source, flag] = process.argv.slice(2);
const target = fileURLToPath(new URL('../src/api/sdo-api.ts', import.meta.url));
const document = /^https?:/.test(source) ? await (await fetch(source)).json() : JSON.parse(readFileSync(source, 'utf8'));
const generated =
  '// Generated from /docs-json by apps/console/scripts/generate-api-types.mjs (openapi-typescript). Do not edit.\n' +
  astToString(await openapiTS(document, { alphabetize: true }));
if (flag === '--check') {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // missing: stale
  }
  process.stdout.write(JSON.stringify({ current: committed === generated }));
} else {
  writeFileSync(target, generated);
  process.stdout.write(JSON.stringify({ written: target }));
}
