export { createConversionActivities, type ConversionDeps } from './conversion.activities';
