import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTestApp, startApiTestApp, TEST_SECRETS_KEY, TOKENS } from '@sdo/api/testing';
import { AesGcmPayloadCodec, payloadKeyRing } from '@sdo/config';
import { DELIVERY_PHASES, DeliverySearchAttributes, CatalogTaskSearchAttributes, GATE_NAMES, SERVICE_TYPES } from '@sdo/contracts';
import type { ScratchDatabase } from '@sdo/testing';
import { freePort, startTemporal } from '@sdo/stack';
import { loadPackage } from '@sdo/upgrade-kit';
import { chromium } from 'playwright-core';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { registerEnvironmentViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

type JsonPayload = { metadata: Record<string, string>; data?: string };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

/** Every payload of a history as proto3 JSON with where it is, except search attributes (Temporal indexes those: they stay readable by design). */
function payloadsOf(node: unknown, path = '', found: (JsonPayload & { path: string })[] = []): (JsonPayload & { path: string })[] {
  if (Array.isArray(node)) node.forEach((n, i) => payloadsOf(n, `${path}[${i}]`, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['metadata'] && typeof o['metadata'] === 'object' && 'encoding' in (o['metadata'] as object)) found.push({ ...(o as JsonPayload), path });
    else for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') payloadsOf(v, `${path}.${k}`, found);
  }
  return found;
}

/** Every search attribute value a history sets (start and upserts), decoded: Temporal indexes them, so they are never encrypted. */
function searchAttributesOf(history: string): Record<string, unknown[]> {
  const found: Record<string, unknown[]> = {};
  for (const event of JSON.parse(history).events as Record<string, { searchAttributes?: { indexedFields?: Record<string, JsonPayload> } }>[]) {
    const fields =
      event['workflowExecutionStartedEventAttributes']?.searchAttributes?.indexedFields ??
      event['upsertWorkflowSearchAttributesEventAttributes']?.searchAttributes?.indexedFields ??
      {};
    for (const [key, payload] of Object.entries(fields)) (found[key] ??= []).push(JSON.parse(text(payload.data)));
  }
  return found;
}

/** What each search attribute SDO sets may hold: codes, phases, gates, numbers and the customer ID — never free text of a person's or a secret. */
const STEP =
  /^(starting|assessing|assessing the amended parameters|awaiting [a-zA-Z]+|awaiting contract signature|drafting plan revision \d+|rehearsing|waiting for the cutover window|executing cutover|rolling back the failed cutover|compiling acceptance report|accepted by [\w.@-]+|completed|done|[a-z0-9-]+)$/;
function expectOnlyNonSecretSearchAttributes(attributes: Record<string, unknown[]>, customerId: string): void {
  const allowed: Record<string, (v: unknown) => boolean> = {
    [DeliverySearchAttributes.serviceType.name]: (v) => (SERVICE_TYPES as readonly unknown[]).includes(v),
    [DeliverySearchAttributes.customerId.name]: (v) => v === customerId,
    [DeliverySearchAttributes.phase.name]: (v) => (DELIVERY_PHASES as readonly unknown[]).includes(v),
    [DeliverySearchAttributes.step.name]: (v) => typeof v === 'string' && STEP.test(v),
    [DeliverySearchAttributes.awaiting.name]: (v) => v === 'none' || (GATE_NAMES as readonly unknown[]).includes(v),
    [DeliverySearchAttributes.progress.name]: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100,
    [CatalogTaskSearchAttributes.assignee.name]: (v) => typeof v === 'string' && /^[\w.@-]+$/.test(v),
    [CatalogTaskSearchAttributes.overdue.name]: (v) => typeof v === 'boolean',
    // The SDK's own, for patched(): the patch IDs.
    TemporalChangeVersion: (v) => Array.isArray(v) && v.every((id) => typeof id === 'string' && /^[\w-]+$/.test(id)),
  };
  expect(Object.keys(attributes).filter((k) => !(k in allowed))).toEqual([]);
  for (const [key, values] of Object.entries(attributes)) expect([key, values.filter((v) => !allowed[key]!(v))]).toEqual([key, []]);
}

/**
 * Issue #13, encrypted payloads: what SDO sends to Temporal (inputs, memo, activity arguments and
 * results, queries' answers) is sealed with AES-256-GCM, so a history read without SDO's keys holds
 * only ciphertext; engineers open it through the API's codec server, as the Temporal Web UI calls it.
 */
describe('encrypted Temporal payloads and the codec server', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let target: ScratchDatabase;
  let connection: Connection;
  let history: string;
  let secrets: Record<string, string>;
  let temporal: Awaited<ReturnType<typeof startTemporal>>;
  let uiOrigin: string;
  let workflowId: string;
  let targetEnvironmentId: string;
  const taskQueue = `codec-${randomUUID()}`;

  const codec = (path: 'decode' | 'encode', payloads: JsonPayload[], as: keyof typeof TOKENS | null = 'engineer', headers: Record<string, string> = {}) =>
    fetch(`${api.baseUrl}/codec/${path}`, {
      method: 'POST',
      headers: {
        origin: uiOrigin,
        'content-type': 'application/json',
        'x-namespace': api.config.temporal.namespace,
        ...(as ? { authorization: `Bearer ${TOKENS[as]}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ payloads }),
    });

  beforeAll(async () => {
    // A dev server of its own, with its Web UI using the API as its codec server, as `npm start` runs it.
    const [port, uiPort] = [await freePort(), await freePort()];
    uiOrigin = `http://127.0.0.1:${uiPort}`;
    api = await startApiTestApp({ env: { SDO_TASK_QUEUE: taskQueue, SDO_CODEC_CORS_ORIGIN: `${uiOrigin}/`, TEMPORAL_ADDRESS: `127.0.0.1:${port}` } });
    temporal = await startTemporal({
      port,
      uiPort,
      uiCodecEndpoint: `${api.baseUrl}/codec`,
      dbFile: join(mkdtempSync(join(tmpdir(), 'sdo-codec-')), 'temporal.db'),
    });
    worker = await startWorkerHarness({ appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue, temporalAddress: temporal.address });
    target = await createErpV1Database();
    const environmentName = `Wonder Widgets ERP ${randomUUID().slice(0, 6)}`;
    const env = await registerEnvironmentViaApi(api, 'CUST-CODEC', environmentName, { postgres: target.url });
    targetEnvironmentId = env.id;
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    const orderNo = `SO-CODEC-${randomUUID().slice(0, 6)}`;
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-CODEC',
        orderNo,
        environments: { target: env.id },
        parameters: { packageId: pkg.body.id },
        contractRef: 'CT-CODEC-4711',
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
      },
    });
    expect(started.status).toBe(202);
    workflowId = started.body.workflowId;
    const planned = await waitForDelivery(api, started.body.id, (d) => d.live?.awaiting === 'planApproval');
    const reports = await Promise.all(
      planned.live.reports.map(async (r: { reportId: string }) => (await api.request('GET', `/v1/deliveries/${started.body.id}/reports/${r.reportId}`)).body),
    );
    expect(reports.length).toBeGreaterThanOrEqual(2);
    const fields = connectionFields(target.url);
    secrets = {
      password: fields.password,
      host: `${fields.host}:${fields.port}`,
      database: fields.database,
      'environment name': environmentName,
      'package ID': pkg.body.id,
      'contract reference': 'CT-CODEC-4711',
      ...Object.fromEntries(reports.map((r: { kind: string; summary: string }) => [`${r.kind} report text`, r.summary])),
    };
    // A client without SDO's codec, as anyone with access to Temporal would read it.
    connection = await Connection.connect({ address: api.config.temporal.address });
    history = historyToJSON(
      await new Client({ connection, namespace: api.config.temporal.namespace }).workflow.getHandle(started.body.workflowId).fetchHistory(),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await connection?.close();
    await api?.close();
    await temporal?.stop();
    await target?.drop();
  });

  it('leaves only ciphertext in the history: every payload sealed, no password, host, name, parameter or report text', () => {
    const payloads = payloadsOf(JSON.parse(history));
    expect(payloads.length).toBeGreaterThan(10);
    // Trace context travels in headers as plaintext (tracing reads it before any codec); it is only IDs.
    const traceContext = payloads.filter((p) => p.path.endsWith('.header.fields._tracer-data'));
    for (const p of traceContext) expect(['traceparent', 'tracestate']).toEqual(expect.arrayContaining(Object.keys(JSON.parse(text(p.data)))));
    // The SDK core writes its markers' own bookkeeping itself, past any codec: a patch's ID, and a local
    // activity's sequence, attempt, ID, type and times. Only those keys; the activity's result is sealed.
    const coreMarkerData = payloads.filter((p) => /\.markerRecordedEventAttributes\.details\.(patch-data|data)\.payloads\[\d+\]$/.test(p.path));
    for (const p of coreMarkerData) {
      const keys = Object.keys(JSON.parse(text(p.data)) as object);
      const allowed = p.path.includes('patch-data')
        ? ['id', 'deprecated']
        : ['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'];
      expect([p.path, keys.filter((k) => !allowed.includes(k))]).toEqual([p.path, []]);
    }
    expect(coreMarkerData.some((p) => p.path.includes('patch-data'))).toBe(true);
    const sealed = payloads.filter((p) => !traceContext.includes(p) && !coreMarkerData.includes(p));
    expect(sealed.filter((p) => text(p.metadata['encoding']) !== 'binary/encrypted').map((p) => `${p.path}: ${text(p.metadata['encoding'])}`)).toEqual([]);
    expect(new Set(sealed.map((p) => text(p.metadata['encryption-key-id'])))).toEqual(new Set(['test-1']));
    const readable = JSON.stringify(JSON.parse(history), (k, v) => (k === 'searchAttributes' ? undefined : v));
    const decodedPayloadBytes = sealed.map((p) => text(p.data)).join('\n');
    for (const [what, secret] of Object.entries(secrets)) {
      expect([what, readable.includes(secret) || decodedPayloadBytes.includes(secret)]).toEqual([what, false]);
    }
    expectOnlyNonSecretSearchAttributes(searchAttributesOf(history), 'CUST-CODEC');
  });

  it("seals failures: an assessment failing on a host/password-looking database name leaves neither it nor the manager's comment in the history, the API still says why", async () => {
    // A database name that looks like credentials and a host: it does not exist, so the assessment fails naming it.
    const missing = `erp-pw=Hunter2-${randomUUID().slice(0, 6)}@db07.acme.internal`;
    const comment = `retry with token=S3cr3t-${randomUUID().slice(0, 6)}`;
    const env = await api.request('POST', '/v1/environments', {
      body: { customerId: 'CUST-CODEC', name: `missing-${randomUUID().slice(0, 6)}`, engine: 'postgres', ...connectionFields(target.url), database: missing },
    });
    expect(env.status).toBe(201);
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-CODEC',
        orderNo: `SO-FAIL-${randomUUID().slice(0, 6)}`,
        environments: { target: env.body.id },
        parameters: { packageId: secrets['package ID'] },
        contractRef: 'CT-CODEC-4711',
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 120 },
      },
    });
    expect(started.status).toBe(202);
    // The API's error surface: the classified reason (it names the database, never host, user or password).
    const blocked = await waitForDelivery(api, started.body.id, (d) => d.live?.awaiting === 'assessmentBlocked' && d.awaiting === 'assessmentBlocked');
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', message: expect.stringContaining(`Database "${missing}" does not exist`) });
    expect(blocked.live.lastFailure).toEqual(blocked.lastFailure);
    const amended = await api.request('PUT', `/v1/deliveries/${started.body.id}/parameters`, {
      as: 'manager',
      body: { parameters: { packageId: secrets['package ID'] }, environments: { target: targetEnvironmentId }, comment },
    });
    expect(amended.status).toBe(200);
    const planned = await waitForDelivery(api, started.body.id, (d) => d.live?.awaiting === 'planApproval');
    expect(planned.live.events.map((e: { note: string }) => e.note).join('\n')).toContain(comment);

    const failedHistory = historyToJSON(
      await new Client({ connection, namespace: api.config.temporal.namespace }).workflow.getHandle(started.body.workflowId).fetchHistory(),
    );
    const events = JSON.parse(failedHistory).events as Record<
      string,
      { failure?: { message: string; stackTrace?: string; encodedAttributes?: JsonPayload } }
    >[];
    const failures = events.map((e) => e['activityTaskFailedEventAttributes']?.failure).filter((f) => f !== undefined);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect([f.message, f.stackTrace ?? '']).toEqual(['Encoded failure', '']);
      expect(text(f.encodedAttributes!.metadata['encoding'])).toBe('binary/encrypted');
    }
    for (const secret of [missing, 'Hunter2', 'db07.acme.internal', comment, 'S3cr3t'])
      expect([secret, failedHistory.includes(secret)]).toEqual([secret, false]);
    expect(JSON.stringify(searchAttributesOf(failedHistory))).not.toContain('S3cr3t');
    expectOnlyNonSecretSearchAttributes(searchAttributesOf(failedHistory), 'CUST-CODEC');
  });

  it('opens the payloads for an engineer, exactly as the Web UI calls the codec server (preflight, then POST)', async () => {
    const preflight = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'x-namespace']),
    );

    const start = JSON.parse(history).events[0].workflowExecutionStartedEventAttributes;
    const opened = await codec('decode', start.input.payloads);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const [input] = ((await opened.json()) as { payloads: JsonPayload[] }).payloads;
    expect(text(input!.metadata['encoding'])).toBe('json/plain');
    expect(JSON.parse(text(input!.data))).toMatchObject({ customerId: 'CUST-CODEC', parameters: { packageId: secrets['package ID'] } });

    // Encode seals with the current key; decode opens it again.
    const sealed = (await (await codec('encode', [{ metadata: { encoding: b64('json/plain') }, data: b64('"hello"') }])).json()) as { payloads: JsonPayload[] };
    expect(text(sealed.payloads[0]!.metadata['encoding'])).toBe('binary/encrypted');
    const back = (await (await codec('decode', sealed.payloads)).json()) as { payloads: JsonPayload[] };
    expect(text(back.payloads[0]!.data)).toBe('"hello"');
  });

  it('refuses other origins, other roles and bad payloads, and fails clearly on a key it does not have', async () => {
    const foreign = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await codec('decode', [], 'engineer', { origin: 'http://evil.example' })).headers.get('access-control-allow-origin')).toBeNull();

    const start = JSON.parse(history).events[0].workflowExecutionStartedEventAttributes;
    expect((await codec('decode', start.input.payloads, null)).status).toBe(401);
    for (const role of ['viewer', 'manager', 'confined'] as const)
      expect([role, (await codec('decode', start.input.payloads, role)).status]).toEqual([role, 403]);
    expect((await codec('decode', start.input.payloads, 'admin')).status).toBe(200);

    const bad = await codec('decode', [{ metadata: { encoding: 'not base64!' }, data: 'AAAA' }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: unknown }).details).toEqual([{ field: 'payloads[0].metadata.encoding', reason: 'must be base64' }]);
    expect((await codec('decode', start.input.payloads, 'engineer', { 'x-namespace': 'elsewhere' })).status).toBe(400);

    // A payload sealed with a key the API lacks, or with another key under the same ID: a 422 naming it, never plaintext.
    const plain = defaultPayloadConverter.toPayload({ secret: 'x' });
    for (const ring of [`retired:${b64('r'.repeat(32))}`, `test-1:${b64('w'.repeat(32))}`]) {
      const [foreignSealed] = await new AesGcmPayloadCodec(payloadKeyRing(ring)).encode([plain]);
      const json = JSON.parse(historyToJSON({ events: [{ workflowExecutionStartedEventAttributes: { input: { payloads: [foreignSealed!] } } }] })).events[0]
        .workflowExecutionStartedEventAttributes.input.payloads;
      const refused = await codec('decode', json);
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { details: { field: string; reason: string }[] };
      expect(body.details[0]!.field).toBe('payloads[0]');
      expect(body.details[0]!.reason).toMatch(ring.startsWith('retired') ? /key "retired", which is not in the payload key ring/ : /does not open/);
    }
  });

  it('shows the payloads opened in the Temporal Web UI (Chromium), through the codec server', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      // The dev server's UI has no login to pass a token from: the engineer's browser adds it (as an authenticating proxy would).
      const codecCalls: number[] = [];
      await page.route(`${api.baseUrl}/codec/**`, async (route) => {
        const response = await route.fetch({ headers: { ...route.request().headers(), authorization: `Bearer ${TOKENS.engineer}` } });
        codecCalls.push(response.status());
        await route.fulfill({ response });
      });
      await page.goto(`${uiOrigin}/namespaces/${api.config.temporal.namespace}/workflows/${encodeURIComponent(workflowId)}`);
      await page.waitForFunction(
        (packageId) => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText.includes(packageId),
        secrets['package ID'],
        { timeout: 30_000 },
      );
      expect(codecCalls.length).toBeGreaterThan(0);
      expect(codecCalls.every((status) => status === 200)).toBe(true);
      // The page may still be decoding (a marker, a later event): its calls in flight must not outlive the browser.
      await page.unrouteAll({ behavior: 'wait' });
    } finally {
      await browser.close();
    }
  });
});
