import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { join } from 'node:path';
import { TsconfigPathsPlugin } from 'tsconfig-paths-webpack-plugin';
import { WORKFLOW_INTERCEPTOR_MODULES } from './worker-telemetry';

const ROOT = join(__dirname, '..', '..', '..', '..');
export const WORKFLOWS_PATH = join(ROOT, 'workflows', 'src', 'index.ts');

/** Temporal's bundler runs its own webpack, which does not know our tsconfig path aliases. */
export const bundlerOptions = {
  webpackConfigHook: (config: Parameters<NonNullable<import('@temporalio/worker').BundleOptions['webpackConfigHook']>>[0]) => {
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

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (message: string) => console.error(message), log: noop };
