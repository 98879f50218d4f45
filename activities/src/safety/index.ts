export * from './safety.activities';
