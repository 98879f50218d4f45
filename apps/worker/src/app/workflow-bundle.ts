import { bundleWorkflowCode, WorkflowBundleOption, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_CONVERTER_PATH } from '@sdo/config';
import { WORKFLOW_INTERCEPTOR_MODULES } from './worker-telemetry';

/** The repository root in source mode; dist/worker/ in the compiled build (tools/build/build.ts). */
const ROOT = join(__dirname, '..', '..', '..', '..');
export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'src', 'index.ts');
/** Written by the build next to the compiled worker; read by it instead of bundling at start. */
const PREBUILT_BUNDLE = join(ROOT, 'workflow-bundle.js');
const COMPILED = __filename.endsWith('.js');

/**
 * Temporal's bundler runs its own webpack, which does not know our tsconfig path aliases. The
 * workflows convert failures inside the sandbox, with the converter every client and worker uses.
 */
export const bundlerOptions = {
  failureConverterPath: FAILURE_CONVERTER_PATH,
  webpackConfigHook: (config: Parameters<NonNullable<import('@temporalio/worker').BundleOptions['webpackConfigHook']>>[0]) => {
    // Loaded only when bundling: a dev dependency, absent from the compiled worker's production install.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TsconfigPathsPlugin } = require('tsconfig-paths-webpack-plugin') as typeof import('tsconfig-paths-webpack-plugin');
    config.resolve = config.resolve ?? {};
    config.resolve.plugins = [...(config.resolve.plugins ?? []), new TsconfigPathsPlugin({ configFile: join(ROOT, 'tsconfig.base.json') })];
    return config;
  },
};

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflows once per process (a few seconds); workers and replay tests share it. */
export function deliveryWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ...bundlerOptions,
    logger: quietBundlerLogger,
  });
  return cached;
}

/**
 * What the worker runs: the compiled build's prebuilt bundle (no webpack at start, and the code
 * that was tested is the code that runs), or in source mode (tests, dev) a fresh bundle.
 */
export async function workerWorkflowBundle(): Promise<WorkflowBundleOption> {
  if (!COMPILED) return deliveryWorkflowBundle();
  if (!existsSync(PREBUILT_BUNDLE)) throw new Error(`no workflow bundle at ${PREBUILT_BUNDLE}: build the worker (npx nx run worker:build)`);
  return { codePath: PREBUILT_BUNDLE };
}

/** The build's step: bundles the workflows from source into `path`. */
export async function writeWorkflowBundle(path: string): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ...bundlerOptions,
    logger: quietBundlerLogger,
  });
  writeFileSync(path, code);
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (message: string) => console.error(message), log: noop };
