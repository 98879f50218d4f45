import { withPg } from './fixtures';

/** Tables of the generated ERP dataset with an organisation column, as the checks below state the invariant. */
export const ORG_TABLES = ['accounts', 'sales_orders', 'purchase_invoices', 'vouchers'];

/**
 * Checks a finished org split of the generated ERP dataset against its source, computed
 * independently of the implementation: per-table counts equal `WHERE org_id = org` on the source
 * and no other organisation's rows (invariant 18), document lines follow their documents, master
 * data is exactly the foreign-key closure, and every foreign key of the source exists in the new
 * database and is validated.
 */
export async function expectSplitOfOrganisation(sourceUrl: string, targetUrl: string, org: number): Promise<void> {
  for (const t of ORG_TABLES) {
    const expected = await withPg(sourceUrl, (c) => c.query(`SELECT count(*)::int AS n FROM ${t} WHERE org_id = $1`, [org]));
    const got = await withPg(targetUrl, (c) => c.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE org_id <> $1)::int AS foreign FROM ${t}`, [org]));
    expect({ t, n: got.rows[0].n, foreign: got.rows[0].foreign }).toEqual({ t, n: expected.rows[0].n, foreign: 0 });
    expect(got.rows[0].n).toBeGreaterThan(0);
  }
  expect((await withPg(targetUrl, (c) => c.query('SELECT id FROM organisations'))).rows).toEqual([{ id: org }]);
  // Lines follow their documents; master data is exactly the foreign-key closure.
  const expectSame = async (sql: string, targetSql: string) => {
    const [s, t] = [await withPg(sourceUrl, (c) => c.query(sql, [org])), await withPg(targetUrl, (c) => c.query(targetSql))];
    expect({ targetSql, ...t.rows[0] }).toEqual({ targetSql, ...s.rows[0] });
  };
  await expectSame(
    'SELECT count(*)::int AS n FROM sales_order_lines l JOIN sales_orders o ON o.id = l.order_id WHERE o.org_id = $1',
    'SELECT count(*)::int AS n FROM sales_order_lines',
  );
  await expectSame(
    'SELECT count(*)::int AS n FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id WHERE v.org_id = $1',
    'SELECT count(*)::int AS n FROM voucher_entries',
  );
  await expectSame('SELECT count(DISTINCT customer_id)::int AS n FROM sales_orders WHERE org_id = $1', 'SELECT count(*)::int AS n FROM customers');
  await expectSame(
    'SELECT count(DISTINCT c.region_id)::int AS n FROM sales_orders o JOIN customers c ON c.id = o.customer_id WHERE o.org_id = $1',
    'SELECT count(*)::int AS n FROM regions',
  );
  await expectSame('SELECT count(DISTINCT supplier_id)::int AS n FROM purchase_invoices WHERE org_id = $1', 'SELECT count(*)::int AS n FROM suppliers');

  // Every foreign key of the source exists in the new database and is validated.
  const fks = async (url: string) =>
    (
      await withPg(url, (c) =>
        c.query("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY 1"),
      )
    ).rows;
  const sourceFks = await fks(sourceUrl);
  expect(sourceFks.length).toBeGreaterThan(0);
  expect(await fks(targetUrl)).toEqual(sourceFks.map((r) => ({ ...r, convalidated: true })));
}
