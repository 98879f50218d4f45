export * from './catalog';
export * from './parameters';
