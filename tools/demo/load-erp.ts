/**
 * Loads the synthetic ERP dataset into a PostgreSQL database (created if missing), for demos.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/demo/load-erp.ts \
 *     postgres://user:pass@host:5432/erp_demo --organisations 3 --years 3 --docs 2000 --seed 1
 */
import { Client } from 'pg';
import { generateErpDataset } from '@sdo/erp-generator';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url || !url.startsWith('postgres'))
    throw new Error('usage: load-erp.ts <postgres-url> [--organisations n] [--years n] [--first-year y] [--docs n] [--seed n]');
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const a = new Client({ connectionString: admin.toString() });
  await a.connect();
  if (!(await a.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount) await a.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  await a.end();
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const summary = await generateErpDataset(c, {
      organisations: option('organisations', 3),
      years: option('years', 3),
      firstYear: option('first-year', 2022),
      documentsPerOrgPerYear: option('docs', 2000),
      seed: option('seed', 1),
    });
    console.log(JSON.stringify(summary, null, 2));
  } finally {
    await c.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
