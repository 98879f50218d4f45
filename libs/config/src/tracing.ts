import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Where a process's spans go: the workflow span sink and the global tracer provider share the processor. */
export interface SdoTracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/**
 * Traces of one SDO process (`sdo-api`, `sdo-worker`): exported over OTLP/HTTP when an endpoint
 * is configured, otherwise spans are made (so trace context still travels) and dropped.
 * `spanProcessor` replaces the exporter (tests pass an in-memory one).
 */
export function startTracing(serviceName: string, options: { otlpTracesEndpoint?: string; spanProcessor?: SpanProcessor }): SdoTracing {
  const resource = new Resource({ 'service.name': serviceName });
  const spanProcessor =
    options.spanProcessor ??
    (options.otlpTracesEndpoint ? new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpTracesEndpoint })) : new NoopSpanProcessor());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}
