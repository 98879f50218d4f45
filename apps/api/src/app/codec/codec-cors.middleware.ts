import type { HttpRequest } from '../infrastructure/http';

interface CorsResponse {
  setHeader(name: string, value: string): void;
  status(code: number): { end(): void };
}

/**
 * CORS for the codec server alone: the configured Temporal Web UI origin may call it from a browser
 * (with its bearer token); any other origin gets no CORS headers, so browsers refuse the answer.
 * Preflights are answered here, before authentication: browsers send them without credentials.
 */
export function codecCors(uiOrigin: string | undefined) {
  return (request: HttpRequest, response: CorsResponse, next: () => void): void => {
    const origin = request.headers['origin'];
    response.setHeader('Vary', 'Origin');
    const allowed = typeof origin === 'string' && origin === uiOrigin;
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (request.method !== 'OPTIONS') return next();
    if (allowed) {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      response.setHeader('Access-Control-Max-Age', '600');
    }
    response.status(allowed ? 204 : 403).end();
  };
}
