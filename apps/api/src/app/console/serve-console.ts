import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_PATHS, type HttpRequest, type HttpResponse } from '../infrastructure/http';

/** Where `nx run console:build` writes the production build (relative to the repository root). */
// The repository root: five folders up in source mode, seven from the compiled build (dist/api/apps/api/src/app/console).
const ROOT = join(__dirname, ...Array<string>(__filename.endsWith('.js') ? 7 : 5).fill('..'));
export const CONSOLE_BUILD_DIR = join(ROOT, 'dist', 'apps', 'console');

/**
 * The console may load only its own scripts and styles and talk only to this API; nothing inline,
 * no frames. React sets styles through the CSSOM, which CSP does not restrict.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the console's build at `/` (its pages route by URL fragment, so `/` is the only document);
 * /v1, /docs and /health stay the API's. Nothing is served when the console was not built.
 */
export function serveConsole(app: NestExpressApplication, dir: string = CONSOLE_BUILD_DIR): boolean {
  if (!existsSync(join(dir, 'index.html'))) return false;
  const index = readFileSync(join(dir, 'index.html'));
  app.use((req: HttpRequest, res: HttpResponse & { send(body: Buffer): void }, next: () => void) => {
    if (API_PATHS.test(req.path) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.path === '/' || req.path === '/index.html') {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('text/html; charset=utf-8');
      return res.send(index);
    }
    next();
  });
  // Hashed file names under assets/ never change content: cached for a year.
  app.useStaticAssets(dir, { index: false, immutable: true, maxAge: '365d', fallthrough: true });
  return true;
}
