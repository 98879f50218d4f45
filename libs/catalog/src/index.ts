export * from './catalog';
export * from './parameters';
export * from './conversion-parameters';
export * from './org-split-parameters';
export * from './carryover-parameters';
export * from './migration-parameters';
export * from './validators';
