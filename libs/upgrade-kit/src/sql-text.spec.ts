import { scriptChanges, splitStatements, stripLiteralsAndComments, tablesTouched } from './sql-text';

describe('SQL object detection', () => {
  it('finds created tables, views, indexes, sequences, functions and types, with schemas and quoted names', () => {
    const changes = scriptChanges(`
      CREATE TABLE price_lists (id int);
      create unlogged table "Sales"."Odd ""Name""" (id int);
      CREATE OR REPLACE VIEW reporting.v_balance AS SELECT 1;
      CREATE MATERIALIZED VIEW mv_totals AS SELECT 1;
      CREATE UNIQUE INDEX idx_x ON sales.orders (a);
      CREATE INDEX ON orders (b);
      CREATE SEQUENCE voucher_no_seq;
      CREATE FUNCTION public.order_total(int) RETURNS numeric LANGUAGE sql AS $$ CREATE TABLE not_me (x int) $$;
      CREATE TYPE order_state AS ENUM ('open');
    `);
    expect(changes).toEqual([
      { action: 'create', kind: 'table', object: { name: 'price_lists' } },
      { action: 'create', kind: 'table', object: { schema: 'Sales', name: 'Odd "Name"' } },
      { action: 'create', kind: 'view', object: { schema: 'reporting', name: 'v_balance' }, orReplace: true },
      { action: 'create', kind: 'view', object: { name: 'mv_totals' }, orReplace: false },
      { action: 'create', kind: 'index', object: { schema: 'sales', name: 'idx_x' }, table: { schema: 'sales', name: 'orders' } },
      { action: 'create', kind: 'sequence', object: { name: 'voucher_no_seq' } },
      { action: 'create', kind: 'function', object: { schema: 'public', name: 'order_total' }, orReplace: false },
      { action: 'create', kind: 'type', object: { name: 'order_state' } },
    ]);
  });

  it('excludes IF NOT EXISTS and temporary objects, and ignores comments and strings', () => {
    expect(
      scriptChanges(`
        CREATE TABLE IF NOT EXISTS a (x int);
        CREATE TEMP TABLE b (x int);
        -- CREATE TABLE c (x int);
        /* CREATE TABLE d /* nested */ (x int); */
        SELECT 'CREATE TABLE e (x int); ', E'it\\'s; CREATE TABLE f';
        CREATE INDEX IF NOT EXISTS g ON a (x);
        ALTER TABLE a ADD COLUMN IF NOT EXISTS y int;
      `),
    ).toEqual([]);
  });

  it('reads ALTER TABLE … ADD COLUMN (several clauses), RENAME and DROP', () => {
    expect(
      scriptChanges(`
        ALTER TABLE ONLY customers ADD COLUMN credit_limit numeric(18, 2) DEFAULT 0, ADD credit_hold boolean, ADD CONSTRAINT c CHECK (x > 0);
        ALTER TABLE "ERP".orders RENAME TO orders_old;
        ALTER TABLE items RENAME COLUMN descr TO description;
        DROP VIEW IF EXISTS v_a, v_b;
        ALTER TABLE items DROP COLUMN old;
      `),
    ).toEqual([
      { action: 'create', kind: 'column', object: { name: 'credit_limit' }, table: { name: 'customers' } },
      { action: 'create', kind: 'column', object: { name: 'credit_hold' }, table: { name: 'customers' } },
      { action: 'create', kind: 'table', object: { schema: 'ERP', name: 'orders_old' } },
      { action: 'create', kind: 'column', object: { name: 'description' }, table: { name: 'items' } },
      { action: 'drop', kind: 'view', object: { name: 'v_a' } },
      { action: 'drop', kind: 'view', object: { name: 'v_b' } },
      { action: 'drop', kind: 'column', object: { name: 'old' }, table: { name: 'items' } },
    ]);
  });

  it('splits statements outside literals and bodies', () => {
    expect(splitStatements(`SELECT ';'; CREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ LANGUAGE sql; -- end;`)).toHaveLength(2);
    expect(stripLiteralsAndComments(`SELECT 'a''b', "x""y" -- c`)).toBe(`SELECT '', "x""y"  `);
  });

  it('lists the tables a script rewrites, for the estimate', () => {
    expect(tablesTouched('UPDATE customers SET a = 1; INSERT INTO public.items SELECT 1; CREATE INDEX i ON ONLY orders (x); ALTER TABLE x ADD y int;')).toEqual(
      [{ name: 'customers' }, { schema: 'public', name: 'items' }, { name: 'orders' }, { name: 'x' }],
    );
  });
});
