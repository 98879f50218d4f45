export { createCarryoverActivities, type CarryoverDeps } from './carryover.activities';
