import { join } from 'node:path';

/** test/fixtures/upgrade of the repository (specs only). */
export const FIXTURES = join(__dirname, '../../../test/fixtures/upgrade');
