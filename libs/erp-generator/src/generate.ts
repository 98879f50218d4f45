import type { ClientBase } from 'pg';
import { ERP_SCHEMA_SQL, ERP_TABLES } from './schema';

export interface ErpDatasetOptions {
  /** Same seed, same options → the same rows, byte for byte. */
  seed?: number;
  organisations?: number;
  years?: number;
  firstYear?: number;
  /** Vouchers per organisation per year; sales orders and purchase invoices are half as many each. */
  documentsPerOrgPerYear?: number;
  accountsPerOrg?: number;
  /** Create the schema first (default); false loads into existing, empty tables. */
  createSchema?: boolean;
}

export interface ErpDatasetSummary {
  options: Required<Omit<ErpDatasetOptions, 'createSchema'>>;
  rows: Record<string, number>;
  elapsedMs: number;
}

const DEFAULTS = { seed: 1, organisations: 3, years: 3, firstYear: 2022, documentsPerOrgPerYear: 200, accountsPerOrg: 20 };

/**
 * Loads a synthetic multi-organisation ERP account set into the connected PostgreSQL database.
 * Everything is generated server-side with `generate_series` (no rows pass through Node), and
 * pseudo-randomness is an md5 of (seed, stream, row number), so output does not depend on plan
 * or parallelism. Every voucher balances: its last entry credits the sum of its debits.
 */
export async function generateErpDataset(client: ClientBase, options: ErpDatasetOptions = {}): Promise<ErpDatasetSummary> {
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  for (const [name, value] of Object.entries(o)) {
    if (name === 'createSchema') continue;
    if (!Number.isInteger(value) || (value as number) < (name === 'seed' ? 0 : 1)) throw new Error(`${name} must be a positive whole number`);
  }
  const started = Date.now();
  const O = o.organisations,
    Y = o.years,
    A = o.accountsPerOrg,
    D = o.documentsPerOrgPerYear;
  const half = Math.max(1, Math.ceil(D / 2));
  const customers = 10 * O + 10,
    suppliers = 8 * O + 8,
    items = 60;
  const rnd = (stream: string, n: string) => `pg_temp.sdo_rnd('${o.seed}:${stream}', ${n})`;
  const sql = `
    CREATE OR REPLACE FUNCTION pg_temp.sdo_rnd(s text, n bigint) RETURNS double precision LANGUAGE sql IMMUTABLE AS
      $$ SELECT ('x' || substr(md5(s || ':' || n), 1, 12))::bit(48)::bigint / 281474976710656.0 $$;
    INSERT INTO organisations (id, code, name)
      SELECT g, 'ORG' || lpad(g::text, 2, '0'), 'Organisation ' || g FROM generate_series(1, ${O}) g;
    INSERT INTO regions (id, name) SELECT g, 'Region ' || g FROM generate_series(1, 6) g;
    INSERT INTO customers (id, code, name, region_id)
      SELECT g, 'C' || lpad(g::text, 5, '0'), 'Customer ' || g, 1 + floor(${rnd('cr', 'g')} * 5)::int FROM generate_series(1, ${customers}) g;
    INSERT INTO suppliers (id, code, name)
      SELECT g, 'S' || lpad(g::text, 5, '0'), 'Supplier ' || g FROM generate_series(1, ${suppliers}) g;
    INSERT INTO items (id, code, name, unit_price)
      SELECT g, 'I' || lpad(g::text, 5, '0'), 'Item ' || g, round((1 + ${rnd('ip', 'g')} * 500)::numeric, 2) FROM generate_series(1, ${items}) g;
    INSERT INTO accounts (id, org_id, code, name, kind)
      SELECT (org - 1) * ${A} + a, org, (1000 + a * 10)::text, 'Account ' || (1000 + a * 10),
             (ARRAY['asset', 'liability', 'equity', 'income', 'expense'])[1 + a % 5]
        FROM generate_series(1, ${O}) org, generate_series(1, ${A}) a;
    INSERT INTO sales_orders (id, org_id, order_no, customer_id, order_date)
      SELECT n, org, 'SO-' || org || '-' || n, 1 + ((org - 1) * 10 + floor(${rnd('soc', 'n')} * 20)::int) % ${customers},
             make_date(${o.firstYear} + yr, 1, 1) + floor(${rnd('sod', 'n')} * 365)::int
        FROM (SELECT n, 1 + (n - 1) / ${Y * half} AS org, ((n - 1) / ${half}) % ${Y} AS yr FROM generate_series(1, ${O * Y * half}) n) s;
    INSERT INTO sales_order_lines (id, order_id, line_no, item_id, quantity, price, amount)
      SELECT row_number() OVER (ORDER BY so_id, l), so_id, l, it.id, q, it.unit_price, q * it.unit_price
        FROM (SELECT so.id AS so_id, l, 1 + floor(${rnd('soi', 'so.id * 10 + l')} * ${items})::int AS item, (1 + floor(${rnd('soq', 'so.id * 10 + l')} * 20))::numeric AS q
                FROM sales_orders so, generate_series(1, 1 + floor(${rnd('sol', 'so.id')} * 4)::int) l) x
        JOIN items it ON it.id = x.item;
    UPDATE sales_orders so SET total = t.total FROM (SELECT order_id, sum(amount) AS total FROM sales_order_lines GROUP BY order_id) t WHERE t.order_id = so.id;
    INSERT INTO purchase_invoices (id, org_id, invoice_no, supplier_id, invoice_date, amount)
      SELECT n, org, 'PI-' || org || '-' || n, 1 + ((org - 1) * 8 + floor(${rnd('pis', 'n')} * 16)::int) % ${suppliers},
             make_date(${o.firstYear} + yr, 1, 1) + floor(${rnd('pid', 'n')} * 365)::int, round((50 + ${rnd('pia', 'n')} * 20000)::numeric, 2)
        FROM (SELECT n, 1 + (n - 1) / ${Y * half} AS org, ((n - 1) / ${half}) % ${Y} AS yr FROM generate_series(1, ${O * Y * half}) n) s;
    INSERT INTO vouchers (id, org_id, voucher_no, voucher_date, description)
      SELECT n, org, 'V-' || org || '-' || (${o.firstYear} + yr) || '-' || n, make_date(${o.firstYear} + yr, 1, 1) + floor(${rnd('vd', 'n')} * 365)::int, 'Voucher ' || n
        FROM (SELECT n, 1 + (n - 1) / ${Y * D} AS org, ((n - 1) / ${D}) % ${Y} AS yr FROM generate_series(1, ${O * Y * D}) n) s;
    WITH debits AS (
      SELECT v.id AS vid, v.org_id AS org, l, round((10 + ${rnd('vam', 'v.id * 10 + l')} * 5000)::numeric, 2) AS amount
        FROM vouchers v, generate_series(1, 1 + floor(${rnd('vk', 'v.id')} * 3)::int) l
    ), lines AS (
      SELECT vid, l AS line_no, (org - 1) * ${A} + 1 + floor(${rnd('vad', 'vid * 10 + l')} * ${A})::int AS account, amount AS debit, 0::numeric AS credit FROM debits
      UNION ALL
      SELECT vid, max(l) + 1, (org - 1) * ${A} + 1 + floor(${rnd('vac', 'vid')} * ${A})::int, 0, sum(amount) FROM debits GROUP BY vid, org
    )
    INSERT INTO voucher_entries (id, voucher_id, line_no, account_id, debit, credit)
      SELECT row_number() OVER (ORDER BY vid, line_no), vid, line_no, account, debit, credit FROM lines;
    ${ERP_TABLES.filter((t) => t !== 'organisations')
      .map((t) => `SELECT setval(pg_get_serial_sequence('${t}', 'id'), greatest((SELECT max(id) FROM ${t}), 1));`)
      .join('\n    ')}
  `;
  await client.query('BEGIN');
  try {
    if (options.createSchema !== false) await client.query(ERP_SCHEMA_SQL);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await client.query('ANALYZE');
  const counts = await client.query<{ t: string; n: string }>(ERP_TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL '));
  const rows = Object.fromEntries(counts.rows.map((r) => [r.t, Number(r.n)]));
  const { createSchema: _ignored, ...effective } = o as typeof o & { createSchema?: boolean };
  return { options: effective, rows, elapsedMs: Date.now() - started };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
