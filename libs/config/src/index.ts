export * from './config';
export * from './temporal-connection';
export * from './payload-codec';
export * from './tracing';
