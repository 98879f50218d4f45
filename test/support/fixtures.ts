import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { checksum, loadPackage } from '@sdo/upgrade-kit';
import type { UpgradePackageRecord } from '@sdo/persistence';
import { deliveryTag } from '@sdo/pg-kit';

export const UPGRADE_FIXTURES = join(__dirname, '..', 'fixtures', 'upgrade');

/** A customer ERP database at version 1.x, loaded from the fixture script. */
export async function createErpV1Database(): Promise<ScratchDatabase> {
  const db = await createScratchDatabase('erp');
  await withPg(db.url, (c) => c.query(readFileSync(join(UPGRADE_FIXTURES, 'erp-v1.sql'), 'utf8')));
  return db;
}

/** A fixture package in the shape the upgrade-packages route stores it. */
export function upgradePackageRecord(name: 'erp-2.1' | 'erp-2.1-broken', registeredAs: string = name): UpgradePackageRecord {
  const folder = join(UPGRADE_FIXTURES, 'packages', name);
  if (!existsSync(folder)) throw new Error(`fixture package ${folder} is missing`);
  const pkg = loadPackage(folder);
  return {
    name: registeredAs,
    product: pkg.product,
    scripts: pkg.scripts.map((s) => ({ ...s, checksum: checksum(s.sql) })),
    verifications: pkg.verifications,
  };
}

export async function withPg<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Connection fields of a scratch database, as an environment registration wants them. */
export function connectionFields(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/** Scratch databases (rehearsal clones, backups) a delivery left on the server of `url`. */
export async function scratchDatabasesOf(url: string, deliveryId: string): Promise<string[]> {
  const rows = await withPg(url, (c) =>
    c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sdo\\_%' AND datname LIKE $1", [`%\\_${deliveryTag(deliveryId)}\\_%`]),
  );
  return rows.rows.map((r) => r.datname);
}
