export * from './split-plan';
export * from './extract';
export * from './verify-split';
export * from './remove-from-source';
