export { createDataActivities, type DataActivityDeps } from './data.activities';
