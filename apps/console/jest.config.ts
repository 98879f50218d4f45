export default {
  displayName: 'console',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The console's pure rules (time zones, forms from schemas, overdue); the browser tests are test/e2e/console.spec.ts.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', target: 'ES2022', isolatedModules: true }, diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
