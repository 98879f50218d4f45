import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
export const CONSOLE_SOURCE_DIR = join(ROOT, 'apps', 'console');
/** Where the API looks for the console (apps/api/src/app/console/serve-console.ts). */
export const CONSOLE_DIST_DIR = join(ROOT, 'dist', 'apps', 'console');

function newestIn(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestIn(join(path, name))), stat.mtimeMs);
}

/** Whether the console's production build is missing or older than any of its sources. */
export function consoleBuildIsStale(): boolean {
  const index = join(CONSOLE_DIST_DIR, 'index.html');
  return !existsSync(index) || newestIn(CONSOLE_SOURCE_DIR) > statSync(index).mtimeMs;
}

export interface ConsoleBuild {
  built: boolean;
  /** Files of the build and their sizes in bytes (what a browser downloads). */
  files: { file: string; bytes: number }[];
}

/** Builds the console with Vite when it is missing or stale; `npm start` and the browser tests call this. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<ConsoleBuild> {
  let built = false;
  if (consoleBuildIsStale()) {
    log('building the console (apps/console → dist/apps/console)');
    const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
    // Vite only: the typecheck is the build target's and `npm test`'s (tsc -p apps/console/tsconfig.json).
    // NODE_ENV=test (Jest) would bundle React's development build.
    await promisify(execFile)(bin('vite'), ['build', '--config', join(CONSOLE_SOURCE_DIR, 'vite.config.mts'), '--logLevel', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    built = true;
  }
  const files: ConsoleBuild['files'] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ file: path.slice(CONSOLE_DIST_DIR.length + 1), bytes: statSync(path).size });
    }
  };
  walk(CONSOLE_DIST_DIR);
  return { built, files };
}
