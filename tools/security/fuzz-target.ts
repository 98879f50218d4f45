/**
 * Runs the real API (rate limit lifted so the fuzzer measures validation, not throttling) and a
 * real worker on the test stack's servers, then schemathesis against /docs-json once per identity.
 * Reads each run's NDJSON events and prints, per identity, requests made and answers by status class.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@sdo/config';
import { createApiApp } from '@sdo/api/testing';
import { ensureDatabase } from '../stack/postgres';
import { freePort, waitFor } from '../stack/processes';

const ROOT = join(__dirname, '..', '..');
const examples = Number(process.env['FUZZ_EXAMPLES'] ?? 30);
const seconds = Number(process.env['FUZZ_SECONDS'] ?? 240);

async function main(): Promise<number> {
  const serverUrl = process.env['SDO_TEST_POSTGRES_URL'];
  if (!serverUrl) throw new Error('run through tools/security/fuzz.sh (it starts the servers)');
  const tokens = { admin: randomBytes(24).toString('hex'), manager: randomBytes(24).toString('hex') };
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATABASE_URL: await ensureDatabase(serverUrl, 'sdo_fuzz'),
    SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
    SDO_PAYLOAD_KEYS: `fuzz:${randomBytes(32).toString('base64')}`,
    SDO_API_TOKENS: `fuzz-admin:admin:${tokens.admin},fuzz-manager:manager:${tokens.manager}`,
    SDO_API_PORT: String(port),
    SDO_TASK_QUEUE: 'sdo-fuzz',
    SDO_LOG_LEVEL: 'error',
    TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
  };
  Object.assign(process.env, env);
  const app = await createApiApp(loadConfig(env), { rateLimit: { limit: 1_000_000, windowMs: 60_000 } });
  await app.listen(port, '127.0.0.1');
  const worker = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  await waitFor('the API', async () => (await fetch(`${base}/health`)).ok, 60_000);

  const reportDir = join(ROOT, '.sdo', 'fuzz');
  mkdirSync(reportDir, { recursive: true });
  let serverErrors = 0;
  const failures: string[] = [];
  try {
    for (const [identity, token] of Object.entries(tokens)) {
      const events = join(reportDir, `${identity}.ndjson`);
      // Asynchronous: the API answers from this very process.
      const exit = await run(process.env['SCHEMATHESIS'] ?? 'st', [
        'run',
        `${base}/docs-json`,
        '-H',
        `Authorization: Bearer ${token}`,
        '--checks',
        'not_a_server_error',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        String(examples),
        '--max-time',
        String(seconds),
        '--workers',
        '2',
        '--generation-allow-x00',
        'true',
        '--seed',
        '8',
        '--report',
        'ndjson',
        '--report-ndjson-path',
        events,
        '--no-color',
        '--output-truncate',
        'true',
      ]);
      const counts = statusClasses(events);
      serverErrors += counts['5xx'] ?? 0;
      if (!counts['requests']) failures.push(`${identity}: no request was made`);
      console.log(
        `[fuzz] ${identity}: exit ${exit}; ${Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    }
  } finally {
    worker.kill('SIGTERM');
    await app.close();
  }
  console.log(`[fuzz] server errors: ${serverErrors} (reports in ${reportDir})`);
  for (const failure of failures) console.log(`[fuzz] ${failure}`);
  return serverErrors === 0 && failures.length === 0 ? 0 : 1;
}

function run(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] }).on('exit', (code) => resolve(code)));
}

/** Answers by status class, read from schemathesis' NDJSON event stream. */
function statusClasses(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return counts;
  }
  for (const match of text.matchAll(/"status_code":\s*(\d{3})/g)) {
    const key = `${match[1]![0]}xx`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  counts['requests'] = Object.values(counts).reduce((a, b) => a + b, 0);
  return counts;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
