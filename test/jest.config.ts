export default {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // A failed beforeAll can leave a Temporal connection open; never let that hang CI.
  forceExit: true,
};
