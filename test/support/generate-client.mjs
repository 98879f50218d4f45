// Generates TypeScript types from an OpenAPI document with openapi-typescript, typechecks a client
// written against them and transpiles it for running. A Node of its own: openapi-typescript's
// dependencies are ES modules, which Jest's CommonJS runtime cannot load.
//   node generate-client.mjs <dir>   (reads <dir>/docs.json and <dir>/client.ts; writes <dir>/sdo-api.ts and <dir>/client.js;
//                                      prints the compiler's complaints as a JSON array)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const dir = process.argv[2];
writeFileSync(join(dir, 'sdo-api.ts'), astToString(await openapiTS(JSON.parse(readFileSync(join(dir, 'docs.json'), 'utf8')))));

const program = ts.createProgram([join(dir, 'client.ts')], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: true,
});
const complaints = ts.getPreEmitDiagnostics(program).map((d) => {
  const at = d.file && d.start !== undefined ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : '';
  return at + ts.flattenDiagnosticMessageText(d.messageText, '\n');
});

// Its imports are types only: the JavaScript needs nothing at run time but the fetch clients handed to it.
const source = readFileSync(join(dir, 'client.ts'), 'utf8');
writeFileSync(
  join(dir, 'client.js'),
  ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText,
);
process.stdout.write(JSON.stringify(complaints));
