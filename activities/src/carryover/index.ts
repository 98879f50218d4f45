export { createCarryoverActivities, type CarryoverDeps } from './carryover.activities';
export { carryOverPeriod } from './carryover-run';
export { resolveSpec } from './carryover-spec';
