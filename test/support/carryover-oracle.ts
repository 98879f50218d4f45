/**
 * What the carryover tests check the live and archive databases against, computed independently
 * of the implementation.
 */
export const CUTOFF = '2024-01';

/** Trial balance per organisation, account and period from the cut-off on: closing balance and the period's debits and credits, non-zero lines only. */
export const TRIAL_BALANCE = `
  SELECT * FROM (
    SELECT v.org_id, e.account_id, p.period::date AS period,
           coalesce(sum(e.debit - e.credit) FILTER (WHERE v.voucher_date < p.period + interval '1 month'), 0) AS closing,
           coalesce(sum(e.debit) FILTER (WHERE date_trunc('month', v.voucher_date) = p.period), 0) AS debit,
           coalesce(sum(e.credit) FILTER (WHERE date_trunc('month', v.voucher_date) = p.period), 0) AS credit
      FROM voucher_entries e JOIN vouchers v ON v.id = e.voucher_id
     CROSS JOIN generate_series(DATE '${CUTOFF}-01', DATE '2024-12-01', interval '1 month') p(period)
     GROUP BY 1, 2, 3) tb
   WHERE closing <> 0 OR debit <> 0 OR credit <> 0
   ORDER BY 1, 2, 3`;

/** The historical rows a carryover must move, per table. */
export const HISTORY: Record<string, string> = {
  sales_orders: `SELECT t.* FROM sales_orders t WHERE order_date < DATE '${CUTOFF}-01'`,
  sales_order_lines: `SELECT t.* FROM sales_order_lines t JOIN sales_orders o ON o.id = t.order_id WHERE o.order_date < DATE '${CUTOFF}-01'`,
  purchase_invoices: `SELECT t.* FROM purchase_invoices t WHERE invoice_date < DATE '${CUTOFF}-01'`,
  vouchers: `SELECT t.* FROM vouchers t WHERE voucher_date < DATE '${CUTOFF}-01'`,
  voucher_entries: `SELECT t.* FROM voucher_entries t JOIN vouchers v ON v.id = t.voucher_id WHERE v.voucher_date < DATE '${CUTOFF}-01'`,
};

/** Count and digest of a row set, ordered by id. */
export const digestOf = (select: string) => `SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY x.id)) AS h FROM (${select}) x`;
