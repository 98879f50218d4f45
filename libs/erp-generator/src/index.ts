export * from './schema';
export * from './generate';
