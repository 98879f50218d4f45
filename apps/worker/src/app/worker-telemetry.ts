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
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
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
        () => {
          let deliveryId: string | undefined;
          return {
            inbound: {
              execute(input, next) {
                const first = input.args[0] as { deliveryId?: unknown } | undefined;
                if (typeof first?.deliveryId === 'string') deliveryId = first.deliveryId;
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

const LEVELS: Record<SdoConfig['logLevel'], LogLevel> = { fatal: 'ERROR', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE' };

/** The worker's log: one JSON object a line, with the SDK's metadata (workflow ID, activity, …) and ours (delivery ID). */
export function jsonWorkerLogger(level: SdoConfig['logLevel'], write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): DefaultLogger {
  return new DefaultLogger(LEVELS[level], ({ level: severity, message, meta, timestampNanos }) => {
    const fields = Object.fromEntries(
      Object.entries(meta ?? {}).map(([k, v]) => [k, v instanceof Error ? { name: v.name, message: v.message } : typeof v === 'bigint' ? String(v) : v]),
    );
    write(JSON.stringify({ level: severity.toLowerCase(), time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(), msg: message, ...fields }));
  });
}
