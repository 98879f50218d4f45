/** The stack runner's building blocks, for tests that start servers of their own. */
export * from './processes';
export * from './postgres';
export * from './temporal';
export * from './state-dir';
export * from './console-build';
export * from './apps';
export { ROOT as REPO_ROOT, staleBuild, WORKFLOW_BUNDLE_SOURCES } from '../build/stamp';
export * from '../cluster/temporal-config';
export * from '../cluster/profile';
export * from '../cluster/web-ui-config';
