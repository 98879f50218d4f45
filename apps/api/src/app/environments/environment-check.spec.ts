import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { requireMysqlUrl, testStack } from '@sdo/testing';
import type { ConnectionSettings } from '@sdo/persistence';
import { checkEnvironment } from './environment-check';

/** The engines the HTTP spec (test/e2e/assessment-blockers.spec.ts) does not reach: MySQL/MariaDB and SQLite. */
describe('checkEnvironment on MySQL/MariaDB and SQLite', () => {
  it('names the MariaDB tables the account cannot read; creating databases is not asked of a source', async () => {
    const root = new URL(requireMysqlUrl());
    const database = `sdo_check_${randomUUID().slice(0, 8)}`;
    const user = `chk_${randomUUID().slice(0, 8)}`;
    const password = randomUUID();
    const admin = await createConnection({
      host: root.hostname,
      port: Number(root.port),
      user: decodeURIComponent(root.username),
      password: decodeURIComponent(root.password),
    });
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE TABLE ${database}.customers (id INT PRIMARY KEY)`);
      await admin.query(`CREATE TABLE ${database}.payroll (id INT PRIMARY KEY)`);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT SELECT ON ${database}.customers TO '${user}'@'%'`);
      const settings: ConnectionSettings = {
        environmentId: randomUUID(),
        engine: 'mysql',
        host: root.hostname,
        port: Number(root.port),
        database,
        user,
        password,
        ssl: false,
      };
      const checked = await checkEnvironment(settings);
      // Only what the account may see is listed by the server; payroll is not even visible to it, customers is readable.
      expect(checked).toMatchObject({
        reachable: true,
        engine: 'mysql',
        version: expect.stringMatching(/^(MariaDB|MySQL) \d+/),
        rights: { createdb: null, ownsDatabase: null },
      });
      expect(checked.missing).toEqual([]);
      await admin.query(`GRANT INSERT ON ${database}.payroll TO '${user}'@'%'`);
      const partly = await checkEnvironment(settings);
      expect(partly.missing).toEqual(['SELECT on payroll']);
      expect(partly.rights).toMatchObject({ selectAllTables: false, tables: 2 });

      const wrong = await checkEnvironment({ ...settings, password: `not-${password}` });
      expect(wrong).toMatchObject({ reachable: false, missing: [], problem: expect.stringMatching(/refused the credentials \(ER_ACCESS_DENIED_ERROR\)/) });
      expect(wrong.problem).not.toContain(password);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
      await admin.end();
    }
  });

  it('opens a SQLite file read-only and says its version; a missing file is not reachable', async () => {
    const file = join(testStack().sqliteDir, `check-${randomUUID()}.db`);
    const db = new Database(file);
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY)');
    db.close();
    try {
      const settings: ConnectionSettings = {
        environmentId: randomUUID(),
        engine: 'sqlite',
        host: '',
        port: 0,
        database: file,
        user: '',
        password: '',
        ssl: false,
      };
      expect(await checkEnvironment(settings)).toMatchObject({
        reachable: true,
        engine: 'sqlite',
        version: expect.stringMatching(/^SQLite 3\./),
        rights: { tables: 1, selectAllTables: true },
        missing: [],
      });
      expect(await checkEnvironment({ ...settings, database: `${file}.gone` })).toMatchObject({ reachable: false, problem: expect.any(String) });
    } finally {
      rmSync(file, { force: true });
    }
  });
});
