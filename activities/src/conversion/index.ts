export { createConversionActivities, type ConversionDeps } from './conversion.activities';
export { withScratchDatabases } from './scratch-databases';
