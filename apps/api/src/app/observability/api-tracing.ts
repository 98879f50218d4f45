import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HttpRequest } from '../infrastructure/http';

interface FinishingResponse {
  statusCode: number;
  once(event: 'finish', listener: () => void): void;
}

const tracer = trace.getTracer('sdo-api');

/**
 * One span per API request, continuing the caller's trace (`traceparent`) and active while the
 * request runs, so the Temporal client's interceptor carries it into the workflow it starts or
 * steers (and from there to the activities). Alongside the HTTP instrumentation main.ts installs,
 * this also holds where that instrumentation cannot patch (tests).
 */
export function requestTracing(request: HttpRequest & { route?: { path?: string } }, response: FinishingResponse, next: () => void): void {
  const parent = propagation.extract(context.active(), request.headers);
  const span = tracer.startSpan(`${request.method} ${request.path}`, { kind: SpanKind.SERVER, attributes: { 'http.method': request.method } }, parent);
  response.once('finish', () => {
    if (request.route?.path) span.updateName(`${request.method} ${request.route.path}`);
    span.setAttribute('http.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  context.with(trace.setSpan(parent, span), next);
}
