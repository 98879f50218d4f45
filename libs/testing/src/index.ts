export * from './scratch-database';
export * from './stack-env';
