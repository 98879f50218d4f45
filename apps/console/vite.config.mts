import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Served by the API at `/` (apps/api/src/app/console/serve-console.ts), under a CSP that allows no inline script.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  // `vite` (dev): the API runs on its own port; /v1 is proxied so the token stays a header on one origin.
  server: { proxy: { '/v1': process.env['SDO_API_URL'] ?? 'http://127.0.0.1:3000' } },
});
