export * from './expression';
export * from './mapping';
export * from './load';
