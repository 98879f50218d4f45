import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The servers a test run uses. `npm test` starts them (tools/stack/test.ts) and exports these
 * variables; a developer can point them at servers of their own instead.
 */
export interface TestStack {
  /** Superuser URL of a PostgreSQL server tests may create and drop databases on. */
  postgresUrl: string;
  /** Root URL of a MariaDB/MySQL server, when the run has one. */
  mysqlUrl?: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** SDO_SQLITE_DIR of the run: tests put the SQLite files environments name here. */
  sqliteDir: string;
}

export function testStack(): TestStack {
  const postgresUrl = process.env['SDO_TEST_POSTGRES_URL'];
  const temporalAddress = process.env['TEMPORAL_ADDRESS'];
  if (!postgresUrl || !temporalAddress) {
    throw new Error(
      'SDO_TEST_POSTGRES_URL and TEMPORAL_ADDRESS are not set: run the suite with `npm test`, which starts PostgreSQL, MariaDB and Temporal for it.',
    );
  }
  return {
    postgresUrl,
    mysqlUrl: process.env['SDO_TEST_MYSQL_URL'],
    temporalAddress,
    temporalNamespace: process.env['TEMPORAL_NAMESPACE'] ?? 'default',
    sqliteDir: testSqliteDir(),
  };
}

export function requireMysqlUrl(): string {
  const url = testStack().mysqlUrl;
  if (!url) throw new Error('SDO_TEST_MYSQL_URL is not set: `npm test` starts MariaDB and sets it.');
  return url;
}

/** The stack's SQLite directory (tools/stack/test.ts makes it), or one of this user's under the temp folder. */
function testSqliteDir(): string {
  const dir = process.env['SDO_SQLITE_DIR'] || join(tmpdir(), `sdo-test-sqlite-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The payload key ring every test client and worker seals Temporal payloads with (`SDO_PAYLOAD_KEYS` form). */
export const TEST_PAYLOAD_KEYS = `test-1:${Buffer.alloc(32, 5).toString('base64')}`;
