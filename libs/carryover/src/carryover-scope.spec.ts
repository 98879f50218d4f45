import type { CarryoverParameters } from '@sdo/contracts';
import type { PgSchema } from '@sdo/pg-kit';
import { foreignKey as fk, pgTable as table } from '@sdo/pg-kit/testing';
import { historical, resolveSpec } from './carryover-scope';

// Invoices with lines, vouchers with entries (the ledger), and customers that stay live.
const books = (): PgSchema => {
  const schema: PgSchema = {
    schema: 'erp',
    sequences: [],
    tables: [
      table('customer', ['id', 'name'], [], { name: 'text' }),
      table('invoice', ['id', 'customer_id', 'issued_on'], [fk('invoice_customer_fk', ['customer_id'], 'customer')], { issued_on: 'date' }),
      table('invoice_line', ['id', 'invoice_id', 'amount'], [fk('invoice_line_invoice_fk', ['invoice_id'], 'invoice')], { amount: 'numeric(12,2)' }),
      table('voucher', ['id', 'org_id', 'booked_on', 'text'], [], { booked_on: 'date', text: 'text' }),
      table('voucher_entry', ['id', 'voucher_id', 'account', 'debit', 'credit', 'line_no'], [fk('voucher_entry_voucher_fk', ['voucher_id'], 'voucher')], {
        account: 'text',
        debit: 'numeric(12,2)',
        credit: 'numeric(12,2)',
      }),
    ],
  };
  const voucher = schema.tables.find((t) => t.name === 'voucher')!;
  voucher.columns[0]!.identity = 'd';
  for (const name of ['text']) voucher.columns.find((c) => c.name === name)!.notNull = true;
  const entry = schema.tables.find((t) => t.name === 'voucher_entry')!;
  entry.columns[0]!.identity = 'd';
  entry.columns.find((c) => c.name === 'line_no')!.notNull = true;
  return schema;
};
const params = (over: Partial<CarryoverParameters> = {}): CarryoverParameters => ({
  cutoffPeriod: '2024-01',
  tables: [
    { table: 'invoice', dateColumn: 'issued_on' },
    { table: 'voucher', dateColumn: 'booked_on' },
  ],
  ledger: {
    voucherTable: 'voucher',
    entryTable: 'voucher_entry',
    accountColumn: 'account',
    debitColumn: 'debit',
    creditColumn: 'credit',
    partitionColumns: ['org_id'],
  },
  ...over,
});

describe('resolveSpec', () => {
  it('moves the declared documents with their lines, parents first, and keeps what references them in view', () => {
    const { spec, problems } = resolveSpec(books(), params());
    expect(problems).toEqual([]);
    const order = spec!.tables.map((t) => t.table);
    expect(order).toEqual(expect.arrayContaining(['invoice', 'invoice_line', 'voucher', 'voucher_entry']));
    expect(order).not.toContain('customer');
    expect(order.indexOf('invoice')).toBeLessThan(order.indexOf('invoice_line'));
    expect(order.indexOf('voucher')).toBeLessThan(order.indexOf('voucher_entry'));
    expect(spec!.tables.find((t) => t.table === 'invoice_line')!.via!.map((f) => f.name)).toEqual(['invoice_line_invoice_fk']);
    expect(spec).toMatchObject({ schema: 'erp', cutoff: '2024-01', batchSize: 5000, archiveSchema: 'carryover_2024_01', inbound: [] });
  });

  it('resolves the ledger, and fills required columns an opening voucher has no value for', () => {
    const { spec } = resolveSpec(books(), params({ batchSize: 200 }));
    expect(spec!.batchSize).toBe(200);
    expect(spec!.ledger).toMatchObject({
      voucherTable: 'voucher',
      voucherKey: 'id',
      voucherDate: 'booked_on',
      partition: ['org_id'],
      voucherFill: [{ column: 'text', value: 'text' }],
      entryTable: 'voucher_entry',
      account: 'account',
      debit: 'debit',
      credit: 'credit',
      entryFill: [{ column: 'line_no', value: 'ordinal' }],
    });
    expect(spec!.ledger!.entryFk.name).toBe('voucher_entry_voucher_fk');
  });

  it('moves every table that references a moved one (lines of lines), and leaves the rest live', () => {
    const schema = books();
    schema.tables.push(table('dunning', ['id', 'invoice_id'], [fk('dunning_invoice_fk', ['invoice_id'], 'invoice')]));
    schema.tables.push(table('dunning_note', ['id', 'dunning_id'], [fk('dunning_note_dunning_fk', ['dunning_id'], 'dunning')]));
    const { spec } = resolveSpec(schema, params());
    const moved = spec!.tables.map((t) => t.table);
    expect(moved).toEqual(expect.arrayContaining(['dunning', 'dunning_note']));
    expect(moved.indexOf('dunning')).toBeLessThan(moved.indexOf('dunning_note'));
    expect(spec!.tables.find((t) => t.table === 'dunning_note')!.via!.map((f) => f.refTable)).toEqual(['dunning']);
    expect(moved).not.toContain('customer');
  });

  it.each([
    ['2024-13', 'parameters.cutoffPeriod: must be a period YYYY-MM.'],
    ['2024-1', 'parameters.cutoffPeriod: must be a period YYYY-MM.'],
    ["2024-01' OR '1", 'parameters.cutoffPeriod: must be a period YYYY-MM.'],
  ])('refuses the cut-off %p before reading anything else', (cutoffPeriod, problem) => {
    expect(resolveSpec(books(), params({ cutoffPeriod }))).toEqual({ problems: [problem] });
  });

  it('names declared tables and columns that do not fit', () => {
    const { problems } = resolveSpec(
      books(),
      params({
        ledger: undefined,
        tables: [
          { table: 'receipt', dateColumn: 'paid_on' },
          { table: 'invoice', dateColumn: 'due_on' },
          { table: 'customer', dateColumn: 'name' },
        ],
      }),
    );
    expect(problems).toEqual([
      'parameters.tables: table "receipt" does not exist in schema erp.',
      'parameters.tables: table "invoice" has no column "due_on".',
      'parameters.tables: customer.name is text, not a date or timestamp.',
      'parameters.tables: no usable document table declared.',
    ]);
  });

  it('names a ledger that cannot be carried forward', () => {
    const schema = books();
    const entry = schema.tables.find((t) => t.name === 'voucher_entry')!;
    entry.columns.push({
      name: 'posted_at',
      type: 'timestamp with time zone',
      notNull: true,
      defaultExpr: null,
      identity: '',
      generatedExpr: null,
      typeSchema: 'pg_catalog',
    });
    schema.tables.find((t) => t.name === 'voucher')!.columns[0]!.identity = '';
    const { problems } = resolveSpec(
      schema,
      params({
        ledger: {
          voucherTable: 'voucher',
          entryTable: 'voucher_entry',
          accountColumn: 'acct',
          debitColumn: 'debit',
          creditColumn: 'credit',
          partitionColumns: ['company'],
        },
      }),
    );
    expect(problems).toEqual([
      'parameters.ledger.accountColumn: voucher_entry has no column "acct".',
      'parameters.ledger.partitionColumns: voucher has no column "company".',
      'parameters.ledger.voucherTable: voucher.id has no default or identity, so opening vouchers cannot be numbered.',
      'parameters.ledger: voucher_entry.posted_at (timestamp with time zone) is required and has no default; an opening-balance row cannot fill it.',
    ]);
    expect(resolveSpec(books(), params({ tables: [{ table: 'invoice', dateColumn: 'issued_on' }] })).problems).toEqual([
      'parameters.ledger.voucherTable: "voucher" must be one of parameters.tables.',
    ]);
  });

  it('refuses moved tables without a primary key', () => {
    const schema = books();
    schema.tables.find((t) => t.name === 'invoice_line')!.primaryKey = [];
    expect(resolveSpec(schema, params()).problems).toEqual([expect.stringMatching(/^Table invoice_line has no primary key/)]);
  });
});

describe('historical', () => {
  it('dates documents against the cut-off and follows lines to their documents', () => {
    const { spec } = resolveSpec(books(), params());
    expect(historical(spec!, 'invoice', 't', false)).toBe(`t."issued_on" < DATE '2024-01-01'`);
    expect(historical(spec!, 'invoice_line', 't', false)).toBe(
      `(EXISTS (SELECT 1 FROM "erp"."invoice" p0 WHERE p0."id" = t."invoice_id" AND p0."issued_on" < DATE '2024-01-01'))`,
    );
  });

  it("leaves the cut-off's own opening vouchers in place when asked", () => {
    const { spec } = resolveSpec(books(), params());
    expect(historical(spec!, 'voucher', 'v', true)).toBe(
      `v."booked_on" < DATE '2024-01-01' AND NOT EXISTS (SELECT 1 FROM "sdo_copy".opening_vouchers ov WHERE ov.cutoff = '2024-01' AND ov.voucher_key = v."id"::text)`,
    );
    expect(historical(spec!, 'invoice', 'v', true)).toBe(`v."issued_on" < DATE '2024-01-01'`);
  });
});
