import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiMetrics, ApiTestApp, startApiTestApp, TEST_SECRETS_KEY } from '@sdo/api/testing';
import { startTracing } from '@sdo/config';
import { freePort } from '@sdo/stack';
import { testStack } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { connectionFields, UPGRADE_FIXTURES } from '../support/fixtures';
import { waitForDelivery } from '../support/waiting';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

jest.setTimeout(120_000);

type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string };

/** An OTLP/HTTP (JSON) traces endpoint: what a collector would receive from the worker. */
async function startOtlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
      for (const rs of parsed.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Issue #13, observability: one delivery through the API and the real worker process (as `npm start`
 * runs it, OTLP export configured) is one trace from the HTTP request through the workflow to its
 * activities; the metrics ports show SDO's and the Temporal SDK's series; the worker's log lines
 * for the delivery carry its delivery ID and workflow ID.
 */
describe('metrics, traces and log context of a delivery', () => {
  const apiSpans = new InMemorySpanExporter();
  const tracing = startTracing('sdo-api', { spanProcessor: new SimpleSpanProcessor(apiSpans) });
  let api: ApiTestApp;
  let worker: WorkerProcess;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let workerMetricsPort: number;
  let delivery: { id: string; workflowId: string };
  const taskQueue = `observability-${randomUUID()}`;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    workerMetricsPort = await freePort();
    api = await startApiTestApp({ env: { SDO_TASK_QUEUE: taskQueue, SDO_API_METRICS_PORT: '0' } });
    worker = await startWorkerProcess({
      appDatabaseUrl: api.database.url,
      secretsKey: TEST_SECRETS_KEY,
      taskQueue,
      env: {
        SDO_WORKER_METRICS_PORT: String(workerMetricsPort),
        SDO_LOG_LEVEL: 'debug',
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    // A database that does not exist: the assessment blocks at once, then the manager cancels.
    const env = await api.request('POST', '/v1/environments', {
      body: {
        customerId: 'CUST-OBS',
        name: 'ERP',
        engine: 'postgres',
        ...connectionFields(testStack().postgresUrl),
        database: `sdo_absent_${randomUUID().slice(0, 8)}`,
      },
    });
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: 'CUST-OBS',
        orderNo: `SO-OBS-${randomUUID().slice(0, 6)}`,
        environments: { target: env.body.id },
        parameters: { packageId: pkg.body.id },
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
      },
    });
    expect(started.status).toBe(202);
    delivery = started.body;
    await waitForDelivery(api, delivery.id, (d) => d.live?.awaiting === 'assessmentBlocked' && d.awaiting === 'assessmentBlocked');
    expect((await api.request('POST', `/v1/deliveries/${delivery.id}/cancellation`, { as: 'manager', body: { reason: 'observed enough' } })).status).toBe(202);
    await waitForDelivery(api, delivery.id, (d) => d.phase === 'cancelled');
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    await otlp?.close();
    await tracing.shutdown();
  });

  it('traces the delivery from the API request through its workflow to its activities', async () => {
    const request = apiSpans.getFinishedSpans().find((s) => s.name === 'POST /v1/deliveries');
    expect(request).toBeDefined();
    const traceId = request!.spanContext().traceId;
    const start = apiSpans.getFinishedSpans().find((s) => s.name === 'StartWorkflow:upgradeDelivery');
    expect(start?.spanContext().traceId).toBe(traceId);
    expect(start?.parentSpanId).toBe(request!.spanContext().spanId);

    const inTrace = await until('the worker exported the workflow and activity spans of the API request', () => {
      const spans = otlp.spans.filter((s) => s.traceId === traceId);
      return spans.some((s) => s.name === 'RunWorkflow:upgradeDelivery') && spans.some((s) => s.name.startsWith('RunActivity:')) ? spans : undefined;
    });
    const names = inTrace.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['RunWorkflow:upgradeDelivery', expect.stringMatching(/^StartActivity:/), expect.stringMatching(/^RunActivity:/)]),
    );
    const byId = new Map(inTrace.map((s) => [s.spanId, s]));
    // Each activity run hangs below the workflow run, which hangs below the API's start.
    const run = inTrace.find((s) => s.name.startsWith('RunActivity:'))!;
    const ancestors: string[] = [];
    for (let s: OtlpSpan | undefined = run; s?.parentSpanId; s = byId.get(s.parentSpanId)) ancestors.push(s.parentSpanId);
    expect(ancestors).toContain(inTrace.find((s) => s.name === 'RunWorkflow:upgradeDelivery')!.spanId);
    expect(ancestors.at(-1)).toBe(start!.spanContext().spanId);
  });

  it('shows SDO series on the API metrics port and Temporal SDK series on the worker metrics port', async () => {
    const apiPort = api.app.get(ApiMetrics).port();
    const apiMetrics = await (await fetch(`http://127.0.0.1:${apiPort}/metrics`)).text();
    expect(apiMetrics).toMatch(/^sdo_http_request_duration_seconds_bucket\{.*method="POST",route="\/v1\/deliveries",status="202"/m);
    expect(apiMetrics).toMatch(/^sdo_deliveries_started_total\{service="upgrade"\} 1$/m);
    expect(apiMetrics).toMatch(/^sdo_deliveries_failed_total\{service="upgrade"\} 0$/m);
    expect(apiMetrics).toMatch(/^sdo_deliveries_completed_total\{service="database-conversion"\} 0$/m);
    expect(apiMetrics).toMatch(/^# TYPE sdo_gate_waiting_seconds gauge$/m);
    expect(apiMetrics).toMatch(/^sdo_api_process_cpu_seconds_total/m);

    const workerMetrics = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    expect(workerMetrics).toMatch(/^temporal_num_pollers\{/m);
    expect(workerMetrics).toMatch(/^temporal_workflow_task_execution_latency_bucket\{/m);
    expect(workerMetrics).toMatch(/^temporal_activity_execution_latency_bucket\{.*activity_type="/m);
    expect(workerMetrics).toMatch(/task_queue="observability-/);
  });

  it("puts the delivery ID and the workflow ID on every worker log line of the delivery's workflow and activities", () => {
    const lines = worker
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['workflowId'] === delivery.workflowId);
    expect(lines.filter((l) => l['activityId'] !== undefined).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l['activityId'] === undefined).map((l) => l['msg'])).toEqual(expect.arrayContaining(['Workflow started']));
    expect(lines.filter((l) => l['deliveryId'] !== delivery.id)).toEqual([]);
  });
});
