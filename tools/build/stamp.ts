import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BUILD_APPS = ['api', 'worker'] as const;
export type BuildApp = (typeof BUILD_APPS)[number];
/** The worker's workflow code, bundled at build time (dist/worker/workflow-bundle.js). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

export const distDir = (app: BuildApp, root = ROOT): string => join(root, 'dist', app);
export const buildStampPath = (app: BuildApp, root = ROOT): string => join(distDir(app, root), '.built');

/** What a build reads: sources of every app and lib, and the files that change how they compile. */
const SOURCE_DIRS = ['apps', 'libs', 'workflows', 'activities'];
const SOURCE_FILES = ['tsconfig.base.json', 'package-lock.json', 'tools/build/build.ts'];

export function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file shows as a newer directory
  for (const entry of readdirSync(path)) if (entry !== 'node_modules') newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the app must be (re)built, or undefined when dist/<app> is newer than every source. */
export function staleBuild(app: BuildApp, root = ROOT): string | undefined {
  const stamp = buildStampPath(app, root);
  if (!existsSync(stamp)) return 'no build yet';
  const builtAt = statSync(stamp).mtimeMs;
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES].map((p) => join(root, p)).filter(existsSync);
  return sources.some((p) => newestMtime(p) > builtAt) ? 'sources changed since the last build' : undefined;
}

/** What the workflow bundle is made of: the workflows, what they import, the converter and interceptors bundled with them. */
export const WORKFLOW_BUNDLE_SOURCES = [
  'workflows',
  'libs/contracts',
  'libs/config/src/failure-converter.ts',
  'apps/worker/src/app/workflow-tracing.ts',
  'package-lock.json',
  'tools/build/build.ts',
];

/** True when the worker's workflow bundle is missing or older than anything bundled into it. */
export function staleWorkflowBundle(root = ROOT): boolean {
  const bundle = join(distDir('worker', root), WORKFLOW_BUNDLE_FILE);
  if (!existsSync(bundle)) return true;
  const builtAt = statSync(bundle).mtimeMs;
  return WORKFLOW_BUNDLE_SOURCES.map((p) => join(root, p)).some((p) => existsSync(p) && newestMtime(p) > builtAt);
}
