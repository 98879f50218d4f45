import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { Managed, startProcess, waitFor } from './processes';

/** A throwaway MariaDB server for data-engine tests (Debian's mariadb-server, installed by bootstrap). */
export async function startMariaDb(dataDir: string, port: number): Promise<Managed & { url: string }> {
  const mariadbd = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
  if (!mariadbd) throw new Error('mariadbd not found: tools/scripts/bootstrap.sh --with-mariadb installs it');
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, 'mysql'))) {
    execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${dataDir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], {
      stdio: 'ignore',
    });
  }
  const { managed } = startProcess(
    'mariadb',
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      `--socket=${join(dataDir, 'mysqld.sock')}`,
      `--pid-file=${join(dataDir, 'mysqld.pid')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=256M',
      '--max-allowed-packet=256M',
      '--character-set-server=utf8mb4',
    ],
    {},
  );
  await waitFor(
    'MariaDB',
    () =>
      new Promise((resolve) => {
        const s = new Socket();
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
        s.connect(port, '127.0.0.1');
      }),
  );
  return { ...managed, url: `mysql://root@127.0.0.1:${port}` };
}
