/**
 * Starts throwaway servers for the test suite — embedded PostgreSQL, MariaDB and the Temporal dev
 * server — runs the given command with their addresses in the environment, then stops them.
 *   node <ts-node> tools/stack/test.ts -- <command> [args...]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMariaDb } from './mariadb';
import { postgresServiceGid, startEmbeddedPostgres } from './postgres';
import { freePort, Managed, startTogether } from './processes';
import { makePrivateDir, makeStateDir } from './state-dir';
import { startTemporal } from './temporal';

async function main(): Promise<number> {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  if (!command.length) throw new Error('usage: test.ts -- <command> [args...]');

  const workDir = mkdtempSync(join(tmpdir(), 'sdo-test-'));
  makeStateDir(workDir, { traverseGid: postgresServiceGid() });
  const sqliteDir = join(workDir, 'sqlite');
  makePrivateDir(sqliteDir);
  const started: Managed[] = [];
  const stopAll = async () => {
    for (const m of started.reverse()) await m.stop().catch((e) => console.error(`stopping ${m.name}:`, e));
    try {
      rmSync(workDir, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      console.error(`could not remove ${workDir}:`, e);
    }
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

  try {
    const [pgPort, temporalPort, mysqlPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const [postgres, temporal, mariadb] = await startTogether(started, [
      startEmbeddedPostgres({ dataDir: join(workDir, 'postgres'), port: pgPort, persistent: false, password: 'sdo-test' }),
      startTemporal({ port: temporalPort, dbFile: join(workDir, 'temporal.db') }),
      process.env['SDO_TEST_SKIP_MARIADB'] ? Promise.resolve(undefined) : startMariaDb(join(workDir, 'mariadb'), mysqlPort),
    ] as const);
    console.log(
      `test stack: postgres ${postgres.url.replace(/:[^:@/]+@/, ':***@')}, temporal ${temporal.address} (CLI from ${temporal.cliSource})${mariadb ? `, mariadb ${mariadb.url}` : ''}`,
    );

    const env = {
      ...process.env,
      TZ: 'UTC',
      SDO_TEST_POSTGRES_URL: postgres.url,
      ...(mariadb ? { SDO_TEST_MYSQL_URL: mariadb.url } : {}),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_CLI_PATH: temporal.cli,
      SDO_TEST_WORK_DIR: workDir,
      SDO_SQLITE_DIR: sqliteDir,
    };
    const [cmd, ...args] = command;
    return await new Promise<number>((resolve) => {
      const child = spawn(cmd!, args, { stdio: 'inherit', env });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
