export * from './expression';
export * from './mapping';
