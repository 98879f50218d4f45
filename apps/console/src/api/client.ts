import createClient, { type Middleware } from 'openapi-fetch';
import { signIn } from '../auth/session';
import type { components, paths } from './sdo-api';

export type Schemas = components['schemas'];
export type Delivery = Schemas['DeliveryViewDto'];
export type DeliveryDetail = Schemas['DeliveryDetailDto'];
export type Session = Schemas['SessionDto'];

/** The API's refusal, as it words it: a message and, for bad input, which field and why. */
export interface ApiProblem {
  status: number;
  message: string;
  details?: { field?: string; reason?: string }[];
}

const authorize: Middleware = {
  onRequest({ request }) {
    const authorization = signIn.authorization();
    if (authorization) request.headers.set('Authorization', authorization);
    return request;
  },
};

/** Typed from /docs-json (openapi-typescript); same origin, so no token ever leaves in a URL. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(authorize);

export function problemOf(response: Response, error: unknown): ApiProblem {
  const body = (error ?? {}) as { message?: unknown; details?: unknown };
  const message = Array.isArray(body.message) ? body.message.join('; ') : typeof body.message === 'string' ? body.message : response.statusText;
  const details = Array.isArray(body.details) ? (body.details as ApiProblem['details']) : undefined;
  return { status: response.status, message, ...(details ? { details } : {}) };
}

/** Unwraps an openapi-fetch result: the data, or throws the API's problem. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemOf(response, error);
  return data as T;
}

export function isProblem(value: unknown): value is ApiProblem {
  return typeof value === 'object' && value !== null && 'status' in value && 'message' in value;
}

/** The server ends a delivery's event stream once it and its live run are in one of these phases. */
const FINAL_PHASES: readonly string[] = ['completed', 'cancelled', 'failed'];
const isFinal = (d: DeliveryDetail | undefined): boolean => !!d && FINAL_PHASES.includes(d.phase) && (d.live === null || FINAL_PHASES.includes(d.live.phase));

/**
 * Follows a delivery over server-sent events (`GET /v1/deliveries/{id}/events`), read with fetch so
 * the token stays in the Authorization header. When the stream cannot be had, breaks, or ends before
 * the delivery does, polls instead.
 * Returns a function that stops following.
 */
export function followDelivery(id: string, onDelivery: (d: DeliveryDetail) => void, pollEveryMs = 3000): () => void {
  const abort = new AbortController();
  let stopped = false;
  let last: DeliveryDetail | undefined;
  const seen = (d: DeliveryDetail) => {
    last = d;
    onDelivery(d);
  };
  const poll = async () => {
    while (!stopped) {
      const { data } = await api.GET('/v1/deliveries/{id}', { params: { path: { id } }, signal: abort.signal }).catch(() => ({ data: undefined }));
      if (data) seen(data);
      await new Promise((r) => setTimeout(r, pollEveryMs));
    }
  };
  const stream = async () => {
    const authorization = signIn.authorization();
    const response = await fetch(`/v1/deliveries/${encodeURIComponent(id)}/events`, {
      headers: { Accept: 'text/event-stream', ...(authorization ? { Authorization: authorization } : {}) },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        if (lines.includes('event: failure')) throw new Error('events: the server could not read the delivery');
        if (!lines.includes('event: delivery')) continue;
        const data = lines
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        seen(JSON.parse(data) as DeliveryDetail);
      }
    }
  };
  // A stream that breaks, or ends before the delivery does (a proxy's idle cut, a server restart), falls back to polling.
  stream().then(
    () => (stopped || isFinal(last) ? undefined : poll()),
    () => (stopped ? undefined : poll()),
  );
  return () => {
    stopped = true;
    abort.abort();
  };
}
