import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { requireMysqlUrl } from '@sdo/testing';

/** The repository root: the nearest folder above this file holding nx.json. */
export function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'nx.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('repository root (nx.json) not found');
    d = up;
  }
  return d;
}

/**
 * Shared datasets live beside the clone (`<clone>/../shared`), in CI and on the dev machines.
 * `SDO_SHARED_DIR` overrides it.
 */
export function chinookDir(): string {
  const base = process.env['SDO_SHARED_DIR'] ?? resolve(repoRoot(), '..', 'shared');
  const dir = join(base, 'datasets', 'chinook');
  if (!existsSync(join(dir, 'Chinook_Sqlite.sqlite'))) {
    throw new Error(`Chinook dataset not found in ${dir}: the tests expect a copy of shared/ beside the repository (or SDO_SHARED_DIR pointing at it).`);
  }
  return dir;
}

/**
 * The script writes text as N'...' literals. In PostgreSQL those are `character(n)`, and turning
 * them into varchar drops trailing spaces ('Edinburgh ' loads as 'Edinburgh'), while the SQLite
 * and MySQL versions keep them. Dropping the N prefix (outside string literals only) loads the
 * values exactly as the script writes them.
 */
export function dropNationalPrefix(sql: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (inString) {
      out += ch;
      if (ch === "'") {
        if (sql[i + 1] === "'") {
          out += "'";
          i++;
        } else inString = false;
      }
    } else if (ch === "'") {
      inString = true;
      out += ch;
    } else if (ch === 'N' && sql[i + 1] === "'" && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
      // national literal prefix: skip it
    } else out += ch;
  }
  return out;
}

/** Loads the official Chinook PostgreSQL script into an existing (empty) database. */
export async function loadChinookPostgres(url: string): Promise<void> {
  const raw = readFileSync(join(chinookDir(), 'Chinook_PostgreSql.sql'), 'utf8')
    .replace(/^DROP DATABASE.*$/gim, '')
    .replace(/^CREATE DATABASE.*$/gim, '')
    .replace(/^\\c .*$/gim, '');
  const sql = dropNationalPrefix(raw);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export function mysqlDatabaseUrl(name: string): string {
  const u = new URL(requireMysqlUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** A uniquely named MariaDB database; `drop()` removes it. */
export async function createMysqlDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const c = await createConnection({ uri: requireMysqlUrl() });
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  return {
    name,
    url: mysqlDatabaseUrl(name),
    drop: async () => {
      const d = await createConnection({ uri: requireMysqlUrl() });
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

export async function mysqlExec(url: string, sql: string): Promise<void> {
  const c = await createConnection({ uri: url, multipleStatements: true, charset: 'utf8mb4' });
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Loads Chinook_MySql.sql into database `name`: the script creates and uses `Chinook`, so that name is replaced. */
export async function loadChinookMysql(name: string): Promise<void> {
  const sql = readFileSync(join(chinookDir(), 'Chinook_MySql.sql'), 'utf8')
    .replace(/^DROP DATABASE IF EXISTS `Chinook`;$/m, '')
    .replace(/^CREATE DATABASE `Chinook`;$/m, '')
    .replace(/^USE `Chinook`;$/m, `USE \`${name}\`;`);
  // The script writes backslashes literally ('Rusticana \\ Act'); MySQL's default string syntax would eat them.
  await mysqlExec(mysqlDatabaseUrl(name), `SET NAMES utf8mb4; SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES');\n${sql}`);
}

/**
 * Chinook's scripts name things differently: the SQLite/MySQL ones use PascalCase (`InvoiceLine`,
 * `InvoiceLineId`), the PostgreSQL one snake_case (`invoice_line`, `invoice_line_id`). This map is
 * the explicit correspondence; the test checks that every column maps onto an existing one.
 */
export const CHINOOK_TABLES: Record<string, { table: string; key: string[] }> = {
  Album: { table: 'album', key: ['AlbumId'] },
  Artist: { table: 'artist', key: ['ArtistId'] },
  Customer: { table: 'customer', key: ['CustomerId'] },
  Employee: { table: 'employee', key: ['EmployeeId'] },
  Genre: { table: 'genre', key: ['GenreId'] },
  Invoice: { table: 'invoice', key: ['InvoiceId'] },
  InvoiceLine: { table: 'invoice_line', key: ['InvoiceLineId'] },
  MediaType: { table: 'media_type', key: ['MediaTypeId'] },
  Playlist: { table: 'playlist', key: ['PlaylistId'] },
  PlaylistTrack: { table: 'playlist_track', key: ['PlaylistId', 'TrackId'] },
  Track: { table: 'track', key: ['TrackId'] },
};

export const chinookColumn = (c: string) => c.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export async function pgRows(url: string, sql: string, params: unknown[] = []): Promise<string[][]> {
  const c = new Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } as never });
  await c.connect();
  try {
    return (await c.query({ text: sql, values: params, rowMode: 'array' })).rows as string[][];
  } finally {
    await c.end();
  }
}
