/** Test helpers of the toolkit (`@sdo/pg-kit/testing`): catalog fixtures and connections to scratch databases. */
export * from './catalog-fixtures';
export * from './connections';
