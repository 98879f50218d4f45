export * from './errors';
export * from './search-attributes';
export * from './service-types';
export * from './task-queues';
export * from './workflow-ids';
