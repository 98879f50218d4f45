/**
 * The Temporal Web UI on the cluster profile, checked in Chromium (issue #13): the UI server built from
 * its Go module runs against the Go-built Temporal server on PostgreSQL with the config the cluster
 * profile uses; a delivery started through the API is listed, and its input — ciphertext in Temporal's
 * store — shows opened in the UI through SDO's codec server, with an engineer's token added by the
 * browser (the UI has no login, as under `npm start`).
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/cluster/web-ui-check.ts
 * Needs the Go toolchain (first run builds the server and the UI) and Debian's chromium. Exits 1 when
 * the UI does not list the workflow or does not show its input opened. Not part of npm test.
 */
import { generatePayloadKeyEntry } from '@sdo/config';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Connection, WorkflowClient } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { ensureDatabase, freePort, makeStateDir, Managed, postgresServiceGid, waitFor } from '../stack';
import { apiCaller, startConversion, untilDelivery } from './deliveries';
import { API_ENTRY, ensureSdoBuilt, ensureWebUiBuilt, startSdoProcess, startThrowawayCluster, startTemporalWebUi, WORKER_ENTRY } from './cluster';

const ADMIN = randomBytes(24).toString('hex');
const ENGINEER = randomBytes(24).toString('hex');
const CHROMIUM = process.env['SDO_CHROMIUM'] ?? '/usr/bin/chromium';
const t0 = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}`);

const started: Managed[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void Promise.allSettled([...started].reverse().map((m) => m.stop())).then(() => process.exit(130));
  });

/** Runs in the page (serialized by Playwright): self-contained. */
const pageShows = (needle: string) => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(needle);

async function main(): Promise<void> {
  ensureSdoBuilt(say); // compiled api and worker, before any server's output is piped
  const dir = mkdtempSync(join(tmpdir(), 'sdo-web-ui-'));
  makeStateDir(dir, { traverseGid: postgresServiceGid() });
  const sqliteDir = join(dir, 'sqlite');
  mkdirSync(sqliteDir, { mode: 0o700 });
  const problems: string[] = [];
  try {
    const built = await ensureWebUiBuilt(say);
    if ('missing' in built) throw new Error(`no Web UI build: ${built.missing}`);
    const { postgresUrl, temporalAddress } = await startThrowawayCluster(dir, started, say);

    const apiUrl = `http://127.0.0.1:${await freePort()}`;
    const ui = await startTemporalWebUi({
      binary: built.binary,
      stateDir: dir,
      temporalAddress: temporalAddress,
      port: await freePort(),
      codecEndpoint: `${apiUrl}/codec`,
      log: (l) => say(`[temporal-ui] ${l.trimEnd()}`),
    });
    started.push(ui);
    say(`Web UI (ui-server) at ${ui.url}`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: await ensureDatabase(postgresUrl, 'sdo'),
      TEMPORAL_ADDRESS: temporalAddress,
      SDO_API_PORT: new URL(apiUrl).port,
      SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
      SDO_PAYLOAD_KEYS: generatePayloadKeyEntry(),
      SDO_API_TOKENS: `check:admin:${ADMIN},eng:engineer:${ENGINEER}`,
      SDO_CODEC_CORS_ORIGIN: ui.url,
      SDO_SQLITE_DIR: sqliteDir,
      SDO_LOG_LEVEL: 'warn',
    };
    started.push(startSdoProcess('worker', WORKER_ENTRY, env, () => undefined).managed);
    started.push(startSdoProcess('api', API_ENTRY, env, () => undefined).managed);
    await waitFor('the API', async () => (await fetch(`${apiUrl}/health`)).ok, 240_000);
    say('API and a worker up');

    const source = join(sqliteDir, 'orders.sqlite');
    const db = new Sqlite(source);
    db.exec("CREATE TABLE delivery_line (id INTEGER PRIMARY KEY, order_no TEXT NOT NULL); INSERT INTO delivery_line VALUES (1, 'SO-1'), (2, 'SO-2');");
    db.close();
    // Only in the sealed workflow input: the UI can show it only by opening it through the codec server.
    const contractRef = `CT-WEBUI-${randomBytes(4).toString('hex')}`;
    const call = apiCaller(apiUrl, ADMIN);
    const delivery = await startConversion(call, {
      customerId: 'CUST-UI',
      name: 'web-ui',
      sqliteFile: source,
      targetUrl: new URL(await ensureDatabase(postgresUrl, 'web_ui_target')),
      contractRef,
      cutoverDurationMinutes: 60,
    });
    await untilDelivery(call, delivery.id, (d) => d.live?.awaiting === 'planApproval', { everyMs: 500 });
    say(`delivery ${delivery.workflowId} waits for plan approval`);

    const connection = await Connection.connect({ address: temporalAddress });
    const start = (await new WorkflowClient({ connection }).getHandle(delivery.workflowId).fetchHistory()).events?.[0];
    const input = start?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const encoding = Buffer.from(input?.metadata?.['encoding'] ?? new Uint8Array()).toString();
    if (encoding !== 'binary/encrypted' || Buffer.from(input?.data ?? new Uint8Array()).includes(contractRef))
      problems.push(`the stored input is not sealed (encoding ${encoding})`);
    await connection.close();

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const codecCalls: number[] = [];
      await page.route(`${apiUrl}/codec/**`, async (route) => {
        const response = await route.fetch({ headers: { ...route.request().headers(), authorization: `Bearer ${ENGINEER}` } });
        codecCalls.push(response.status());
        await route.fulfill({ response });
      });
      await page.goto(`${ui.url}/namespaces/default/workflows`);
      const listed = await page.waitForFunction(pageShows, delivery.workflowId, { timeout: 60_000 }).then(
        () => true,
        () => false,
      );
      say(listed ? 'the workflow list shows the delivery' : 'the workflow list does NOT show the delivery');
      if (!listed) problems.push('the workflow list does not show the delivery');
      await page.goto(`${ui.url}/namespaces/default/workflows/${encodeURIComponent(delivery.workflowId)}`);
      const opened = await page.waitForFunction(pageShows, contractRef, { timeout: 60_000 }).then(
        () => true,
        () => false,
      );
      await page.screenshot({ path: join(tmpdir(), 'sdo-web-ui-check.png'), fullPage: true });
      say(`workflow page ${opened ? 'shows' : 'does NOT show'} the input opened (${contractRef}); codec calls: ${codecCalls.join(', ') || 'none'}`);
      say(`screenshot: ${join(tmpdir(), 'sdo-web-ui-check.png')}`);
      if (!opened) problems.push(`the workflow page does not show ${contractRef}`);
      if (!codecCalls.length || codecCalls.some((s) => s !== 200)) problems.push(`codec calls: ${codecCalls.join(', ') || 'none'}`);
    } finally {
      await browser.close();
    }
  } finally {
    for (const m of started.reverse()) await m.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  say(problems.length ? `WEB UI CHECK FAILED: ${problems.join('; ')}` : 'WEB UI CHECK PASSED');
  process.exit(problems.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
