export * from './carryover-scope';
export * from './carryover-run';
