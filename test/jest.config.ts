export default {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Two spec files at a time: they mostly wait on Temporal timers and servers, and one at a time
  // the suite outgrew its 15 minutes. Each file has its own task queue, app database and orders.
  maxWorkers: 2,
  // …except those that must run alone (`*.alone.spec.ts`: project e2e-serial, test/serial).
  testPathIgnorePatterns: ['/node_modules/', '\\.alone\\.spec\\.ts$'],
};
