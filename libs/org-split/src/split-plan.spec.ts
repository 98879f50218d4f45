import type { OrgSplitParameters } from '@sdo/contracts';
import type { PgSchema } from '@sdo/pg-kit';
import { foreignKey as fk, pgTable as table } from '@sdo/pg-kit/testing';
import { describeDangling, planSplit, selectionPredicates } from './split-plan';

// A small group ledger as the catalog reader would describe it: organisations, their customers and
// orders (scoped), order lines and line notes (dependents), products and a product group (master data).
const ledger = (): PgSchema => ({
  schema: 'erp',
  sequences: [],
  tables: [
    table(
      'order_line',
      ['id', 'order_id', 'product_id'],
      [fk('order_line_order_fk', ['order_id'], 'sales_order'), fk('order_line_product_fk', ['product_id'], 'product')],
    ),
    table('line_note', ['id', 'line_id'], [fk('line_note_line_fk', ['line_id'], 'order_line')]),
    table(
      'sales_order',
      ['id', 'org_id', 'customer_id'],
      [fk('sales_order_org_fk', ['org_id'], 'organisation'), fk('sales_order_customer_fk', ['customer_id'], 'customer')],
    ),
    table('customer', ['id', 'org_id'], [fk('customer_org_fk', ['org_id'], 'organisation')]),
    table('product', ['id', 'group_id'], [fk('product_group_fk', ['group_id'], 'product_group')]),
    table('product_group', ['id']),
    table('organisation', ['id']),
  ],
});
const params = (over: Partial<OrgSplitParameters> = {}): OrgSplitParameters => ({ organisations: ['7'], organisationTable: 'organisation', ...over });

describe('planSplit', () => {
  it('gives every table its role and orders parents first', () => {
    const { plan, problems } = planSplit(ledger(), params());
    expect(problems).toEqual([]);
    const role = Object.fromEntries(plan.tables.map((t) => [t.table, t.role]));
    expect(role).toEqual({
      organisation: 'organisation',
      customer: 'scoped',
      sales_order: 'scoped',
      order_line: 'dependent',
      line_note: 'dependent',
      product: 'master',
      product_group: 'master',
    });
    const at = (t: string) => plan.tables.findIndex((x) => x.table === t);
    expect(at('organisation')).toBeLessThan(at('customer'));
    expect(at('customer')).toBeLessThan(at('sales_order'));
    expect(at('sales_order')).toBeLessThan(at('order_line'));
    expect(at('order_line')).toBeLessThan(at('line_note'));
    expect(at('product_group')).toBeLessThan(at('product'));
    expect(plan.tables.find((t) => t.table === 'customer')).toMatchObject({ organisationColumn: 'org_id', source: 'discovered' });
    expect(plan.tables.find((t) => t.table === 'order_line')).toMatchObject({ via: ['order_line_order_fk'] });
    expect(plan.cycles).toEqual([]);
  });

  it('takes a declared organisation column over discovery, and asks for one where two foreign keys compete', () => {
    const schema = ledger();
    schema.tables.push(
      table('transfer', ['id', 'from_org', 'to_org'], [fk('transfer_from_fk', ['from_org'], 'organisation'), fk('transfer_to_fk', ['to_org'], 'organisation')]),
    );
    expect(planSplit(schema, params()).problems).toEqual([
      'Table transfer has 2 foreign keys to organisation (from_org, to_org); declare its organisation column in parameters.organisationColumns.',
    ]);
    const { plan, problems } = planSplit(schema, params({ organisationColumns: [{ table: 'transfer', column: 'from_org' }] }));
    expect(problems).toEqual([]);
    expect(plan.tables.find((t) => t.table === 'transfer')).toMatchObject({ role: 'scoped', organisationColumn: 'from_org', source: 'declared' });
  });

  it('names what does not fit: a missing organisation table, a compound key, unknown declared tables and columns', () => {
    expect(planSplit(ledger(), params({ organisationTable: 'company' })).problems).toEqual([
      'parameters.organisationTable: table "company" does not exist in schema erp.',
    ]);
    const compound = ledger();
    compound.tables.find((t) => t.name === 'organisation')!.primaryKey = ['id', 'region'];
    expect(planSplit(compound, params()).problems[0]).toMatch(/needs a single-column primary key/);
    expect(
      planSplit(
        ledger(),
        params({
          organisationColumns: [
            { table: 'invoice', column: 'org_id' },
            { table: 'customer', column: 'company' },
          ],
        }),
      ).problems,
    ).toEqual([
      'parameters.organisationColumns: table "invoice" does not exist in schema erp.',
      'parameters.organisationColumns: table "customer" has no column "company".',
    ]);
  });

  it('refuses tables without a primary key, user-defined types and foreign keys leaving the schema', () => {
    const schema = ledger();
    schema.tables.find((t) => t.name === 'product_group')!.primaryKey = [];
    schema.tables.find((t) => t.name === 'product')!.columns[1]!.typeSchema = 'erp';
    schema.tables.find((t) => t.name === 'customer')!.foreignKeys.push(fk('customer_country_fk', ['id'], 'country', ['id'], 'shared'));
    const { problems } = planSplit(schema, params());
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Table product_group has no primary key/),
        expect.stringMatching(/^Column product\.group_id has the user-defined type integer/),
        'Foreign key customer.customer_country_fk references shared.country outside schema erp.',
      ]),
    );
  });

  it('reports a cycle of foreign keys instead of looping', () => {
    const schema = ledger();
    schema.tables.push(table('a', ['id', 'b_id'], [fk('a_b_fk', ['b_id'], 'b')]), table('b', ['id', 'a_id'], [fk('b_a_fk', ['a_id'], 'a')]));
    const { plan } = planSplit(schema, params());
    expect(plan.cycles).toEqual([expect.arrayContaining(['a', 'b'])]);
    expect(plan.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['a', 'b']));
  });
});

describe('selectionPredicates', () => {
  const predicate = (over: Partial<OrgSplitParameters> = {}) => {
    const schema = ledger();
    const { plan } = planSplit(schema, params(over));
    return selectionPredicates(schema, plan);
  };

  it('selects organisations and scoped rows by the organisation column, with the organisations as quoted literals', () => {
    const pred = predicate({ organisations: ['7', "O'Neil"] });
    expect(pred('organisation', 't')).toBe(`t."id"::text = ANY(ARRAY['7', 'O''Neil']::text[])`);
    expect(pred('customer', 't')).toBe(`t."org_id"::text = ANY(ARRAY['7', 'O''Neil']::text[])`);
  });

  it('selects dependents through their chosen parents, to any depth', () => {
    const sql = predicate()('line_note', 't');
    expect(sql).toContain(`FROM "erp"."order_line" p0 WHERE p0."id" = t."line_id"`);
    expect(sql).toContain(`FROM "erp"."sales_order" p1 WHERE p1."id" = p0."order_id" AND p1."org_id"::text = ANY(`);
  });

  it('selects master data referenced by a chosen row, closed transitively', () => {
    const sql = predicate()('product_group', 't');
    // product_group ← product ← order_line ← sales_order (scoped)
    expect(sql).toMatch(/FROM "erp"\."product" c\d+ WHERE c\d+\."group_id" = t\."id"/);
    expect(sql).toMatch(/FROM "erp"\."order_line" c\d+ WHERE c\d+\."product_id" = c\d+\."id"/);
    expect(sql).toContain(`"org_id"::text = ANY(ARRAY['7']::text[])`);
  });

  it('selects nothing of master data no chosen row can reach', () => {
    const schema = ledger();
    schema.tables.push(table('currency', ['id']));
    const { plan } = planSplit(schema, params());
    expect(selectionPredicates(schema, plan)('currency', 't')).toBe('false');
  });
});

describe('describeDangling', () => {
  it('names the table, the rows and the foreign key', () => {
    expect(describeDangling({ table: 'sales_order', foreignKey: 'sales_order_customer_fk', references: 'customer', rows: 3 })).toMatch(
      /^3 row\(s\) of sales_order chosen for the split reference customer rows outside it through sales_order_customer_fk/,
    );
  });
});
