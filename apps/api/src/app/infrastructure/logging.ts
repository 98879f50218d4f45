import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { SdoConfig } from '@sdo/config';

/** `scheme://user:password@host` → `scheme://user:***@host`, and `password=…` → `password=***`. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/\s]*@/gi, '$1:***@')
    .replace(/((?:password|passwd|pwd|secret|token|api[_-]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi, '$1***');
}

/** Query parameters that carry credentials when a client misplaces them, in any case. */
const SECRET_QUERY_KEY = /^(?:(?:[a-z]+[_-]?)?token|api[_-]?key|apikey|key|password|passwd|pwd|secret|client[_-]?secret|auth|authorization|signature|sig)$/i;

/**
 * A URL as it may be logged: the value of every credential-like query parameter replaced by
 * `[redacted]` (the key is kept, so the misuse is visible). Decodes keys the way servers do.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq < 0 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // undecodable: judge the raw spelling
      }
      return SECRET_QUERY_KEY.test(key.trim()) ? `${rawKey}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${redacted}`;
}

/** Fields that must never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'password',
  '*.password',
  '*.*.password',
  'secretCiphertext',
  '*.secretCiphertext',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
  'apiTokens',
  '*.apiTokens',
];

/**
 * nestjs-pino settings: one line per request with method, URL, status and identity, never headers
 * or bodies (environment registrations carry passwords); credentials redacted and scrubbed from
 * messages and error texts.
 */
export function loggerParams(config: SdoConfig, destination?: DestinationStream): Params {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: IncomingMessage & { id?: unknown; actor?: { name: string } }) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? '') }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: (err: unknown) => {
        const e = err as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown } | null;
        if (!e || typeof e !== 'object' || typeof e.message !== 'string') return { message: scrubSecrets(String(err)) };
        return {
          type: typeof e.name === 'string' ? e.name : undefined,
          code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
          message: scrubSecrets(e.message),
          stack: typeof e.stack === 'string' ? scrubSecrets(e.stack) : undefined,
        };
      },
    },
    customProps: (req: IncomingMessage & { actor?: { name: string } }) => (req.actor ? { actor: req.actor.name } : {}),
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)),
        );
      },
    },
  };
  return { pinoHttp: destination ? [options, destination] : options } as Params;
}
