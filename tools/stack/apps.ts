import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BUILD_APPS, BuildApp, distDir, ROOT, staleBuild } from '../build/stamp';
import { startProcess, supervise, type SupervisorOptions, type Supervised } from './processes';

/** Builds every app whose dist/ is missing or stale (tools/build/build.ts); what `npm start` does first. */
export function ensureBuilt(log: (line: string) => void = (l) => console.log(l)): BuildApp[] {
  const stale = BUILD_APPS.map((app) => ({ app, why: staleBuild(app) })).filter((s) => s.why);
  if (!stale.length) return [];
  for (const { app, why } of stale) log(`building ${app} (${why})`);
  execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'tools/build/build.ts', ...stale.map((s) => s.app)],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
  );
  return stale.map((s) => s.app);
}

/** How a supervised app starts: its compiled entry, or its TypeScript main under ts-node. */
export function appCommand(app: BuildApp, fromSource = false): string[] {
  return fromSource ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`] : [join(distDir(app), 'main.js')];
}

/** Runs the worker or the API under supervision (restarted when it crashes), as `npm start` does. */
export function superviseApp(app: BuildApp, env: NodeJS.ProcessEnv, options: SupervisorOptions & { fromSource?: boolean }): Supervised {
  return supervise(app, () => startProcess(app, process.execPath, appCommand(app, options.fromSource), { env, cwd: ROOT }), options);
}
