export * from './activities';
export * from './delivery';
export * from './errors';
export * from './messages';
export * from './search-attributes';
export * from './service-types';
export * from './task-queues';
export * from './workflow-ids';
