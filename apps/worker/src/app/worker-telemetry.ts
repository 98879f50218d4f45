import type { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { DefaultLogger, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import { Resource as OtelResource } from '@opentelemetry/resources';
import { join } from 'node:path';
import type { SdoConfig } from '@sdo/config';

/** The workflow interceptor modules bundled with the workflows: trace propagation, and the delivery ID on log lines. */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  // Source paths, bundled at build time (the compiled worker loads the prebuilt bundle and never resolves them).
  // The package's interceptors, with its SDK flag kept in history (see workflow-tracing.ts).
  join(__dirname, 'workflow-tracing.ts'),
  join(__dirname, '..', '..', '..', '..', 'workflows', 'src', 'log-context.ts'),
];

/**
 * Activity interceptors and sinks of every delivery worker: spans for each activity (children of
 * the workflow's, from the headers the bundled workflow interceptors set), the workflow spans' sink,
 * and the delivery ID on every activity log line (the SDK adds the workflow ID itself).
 */
export function workerTelemetry(tracing?: { spanProcessor: SpanProcessor; resource: Resource }): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  const { spanProcessor, resource } = tracing ?? { spanProcessor: new NoopSpanProcessor(), resource: new OtelResource({ 'service.name': 'sdo-worker' }) };
  return {
    interceptors: {
      activity: [
        (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
        (ctx) => {
          const workflowId = ctx.info.workflowExecution?.workflowId;
          // The SDK logs "Activity started" before any interceptor sees the arguments: start from what the worker knows.
          let deliveryId = workflowId ? deliveryOfWorkflow.get(workflowId) : undefined;
          return {
            inbound: {
              execute(input, next) {
                const first = input.args[0] as { deliveryId?: unknown } | undefined;
                if (typeof first?.deliveryId === 'string') {
                  deliveryId = first.deliveryId;
                  if (workflowId) rememberDelivery(workflowId, deliveryId);
                }
                return next(input);
              },
            },
            outbound: {
              getLogAttributes(input, next) {
                return next(deliveryId ? { ...input, deliveryId } : input);
              },
            },
          };
        },
      ],
    },
    sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
  };
}

/** Delivery IDs of the workflows this worker ran lately (learnt from workflow log lines and activity inputs). */
const deliveryOfWorkflow = new Map<string, string>();
const REMEMBERED = 10_000;

function rememberDelivery(workflowId: string, deliveryId: string): void {
  if (deliveryOfWorkflow.get(workflowId) === deliveryId) return;
  deliveryOfWorkflow.delete(workflowId);
  deliveryOfWorkflow.set(workflowId, deliveryId);
  if (deliveryOfWorkflow.size > REMEMBERED) deliveryOfWorkflow.delete(deliveryOfWorkflow.keys().next().value!);
}

/** A log line's delivery ID: its own (workflow lines get it from the memo), else the one its workflow is known by. */
function withDeliveryId(meta: Record<string, unknown>): Record<string, unknown> {
  const workflowId = meta['workflowId'];
  if (typeof workflowId !== 'string') return meta;
  if (typeof meta['deliveryId'] === 'string') {
    rememberDelivery(workflowId, meta['deliveryId']);
    return meta;
  }
  const known = deliveryOfWorkflow.get(workflowId);
  return known ? { ...meta, deliveryId: known } : meta;
}

const LEVELS: Record<SdoConfig['logLevel'], LogLevel> = { fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE' };

/** The worker's log: one JSON object a line, with the SDK's metadata (workflow ID, activity, …) and ours (delivery ID). */
export function jsonWorkerLogger(level: SdoConfig['logLevel'], write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): DefaultLogger {
  return new DefaultLogger(LEVELS[level], ({ level: severity, message, meta, timestampNanos }) => {
    const fields = Object.fromEntries(
      Object.entries(withDeliveryId(meta ?? {})).map(([k, v]) => [
        k,
        v instanceof Error ? { name: v.name, message: v.message } : typeof v === 'bigint' ? String(v) : v,
      ]),
    );
    write(JSON.stringify({ level: severity.toLowerCase(), time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(), msg: message, ...fields }));
  });
}
