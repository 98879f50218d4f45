import { API_PATHS, type HttpRequest, type HttpResponse } from './http';

/**
 * Every API answer is about one caller's deliveries (reports, evidence files, decoded payloads):
 * no browser or proxy may keep a copy (`no-store`), and none may guess another content type than
 * the one sent (`nosniff`). A route that streams may still choose its own caching; the console's
 * files set theirs.
 */
export function apiResponseHeaders(req: HttpRequest, res: HttpResponse, next: () => void): void {
  if (API_PATHS.test(req.path)) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  }
  next();
}
