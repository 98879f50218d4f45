import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { ERP_TABLES, generateErpDataset } from './index';

async function withDb<T>(db: ScratchDatabase, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function contentHash(c: Client): Promise<string> {
  const h = createHash('sha256');
  for (const t of ERP_TABLES) h.update((await c.query(`SELECT md5(string_agg(t::text, E'\\n' ORDER BY id)) AS m FROM ${t} t`)).rows[0].m ?? '');
  return h.digest('hex');
}

describe('synthetic ERP dataset', () => {
  const dbs: ScratchDatabase[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('is deterministic per seed, balanced per voucher, and keys continue after the loaded rows', async () => {
    const [a, b, c] = [await createScratchDatabase('erpgen'), await createScratchDatabase('erpgen'), await createScratchDatabase('erpgen')];
    dbs.push(a, b, c);
    const opts = { seed: 7, organisations: 3, years: 2, documentsPerOrgPerYear: 40 };
    const summary = await withDb(a, (cl) => generateErpDataset(cl, opts));
    await withDb(b, (cl) => generateErpDataset(cl, opts));
    await withDb(c, (cl) => generateErpDataset(cl, { ...opts, seed: 8 }));
    expect(summary.rows).toMatchObject({ organisations: 3, vouchers: 3 * 2 * 40, sales_orders: 3 * 2 * 20, purchase_invoices: 3 * 2 * 20, accounts: 60 });
    const [ha, hb, hc] = [await withDb(a, contentHash), await withDb(b, contentHash), await withDb(c, contentHash)];
    expect(ha).toBe(hb);
    expect(hc).not.toBe(ha);

    await withDb(a, async (cl) => {
      const unbalanced = await cl.query('SELECT voucher_id FROM voucher_entries GROUP BY voucher_id HAVING sum(debit) <> sum(credit)');
      expect(unbalanced.rows).toEqual([]);
      // Entries only use the voucher's own organisation's accounts.
      const crossOrg = await cl.query(
        'SELECT count(*)::int AS n FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id JOIN accounts a ON a.id = e.account_id WHERE a.org_id <> v.org_id',
      );
      expect(crossOrg.rows[0].n).toBe(0);
      // Some customers are referenced by more than one organisation (shared master data).
      const shared = await cl.query(
        'SELECT count(*)::int AS n FROM (SELECT customer_id FROM sales_orders GROUP BY customer_id HAVING count(DISTINCT org_id) > 1) s',
      );
      expect(shared.rows[0].n).toBeGreaterThan(0);
      const years = await cl.query("SELECT count(DISTINCT date_part('year', voucher_date))::int AS n FROM vouchers");
      expect(years.rows[0].n).toBe(2);
      await cl.query("INSERT INTO vouchers (org_id, voucher_no, voucher_date, description) VALUES (1, 'NEW', '2030-01-01', 'after load')");
    });
  });
});
