/**
 * The e2e specs that must run alone (`*.alone.spec.ts`), one at a time after the others. The
 * decisions spec admits gate decisions while no worker runs and only then starts one: beside another
 * spec file on two cores its worker came too late for the decision ledger (noted on issue #13).
 */
export default {
  displayName: 'e2e-serial',
  preset: '../jest.preset.js',
  rootDir: '..',
  testMatch: ['<rootDir>/**/*.alone.spec.ts'],
  maxWorkers: 1,
};
