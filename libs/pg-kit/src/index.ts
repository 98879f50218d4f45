export * from './connection';
export * from './databases';
export * from './identifiers';
export * from './scratch-names';
export * from './transactions';
export * from './catalog';
export * from './logical-clone';
export * from './shared-pools';
