import { readOnlySqlProblem, sourceQueryProblem } from './query-source';

describe('sourceQueryProblem (PostgreSQL parser + function allow-list)', () => {
  it.each([
    'SELECT id, name FROM customers',
    "select c.id, upper(c.name) AS n, coalesce(c.city, '-') AS city FROM public.customers c WHERE c.id > 10 ORDER BY lower(c.name)",
    'WITH big AS (SELECT customer_id, sum(total) AS t FROM invoices GROUP BY customer_id) SELECT * FROM big WHERE t > 100',
    "SELECT grp, count(*) AS n, max(name), string_agg(name, ',' ORDER BY name) FROM item GROUP BY grp HAVING count(*) > 1",
    'SELECT id, row_number() OVER (PARTITION BY grp ORDER BY id) AS rn, lag(id) OVER w FROM item WINDOW w AS (ORDER BY id)',
    "SELECT extract(year FROM d), substring(s FROM 1 FOR 3), trim(BOTH FROM s), d AT TIME ZONE 'UTC', date_trunc('month', d)::date FROM t",
    'SELECT CAST(id AS text), id::bigint, pg_catalog.upper(name), greatest(a, b), nullif(a, 0), CASE WHEN a > 0 THEN 1 ELSE 0 END FROM t',
    'SELECT x FROM generate_series(1, 10) AS g(x)',
    "SELECT j->>'name' AS name, jsonb_array_length(j->'items') FROM docs WHERE j ? 'name'",
    'SELECT a.id FROM a JOIN LATERAL (SELECT max(b.v) AS m FROM b WHERE b.a = a.id) s ON true',
    'SELECT id FROM a UNION ALL SELECT id FROM b',
    'SELECT id FROM t TABLESAMPLE BERNOULLI (10) REPEATABLE (42)',
    "SELECT id FROM t WHERE name LIKE 'a%' AND id IN (SELECT id FROM u) AND EXISTS (SELECT 1 FROM v WHERE v.id = t.id)",
    'SELECT id -- a comment\nFROM t /* another; with a semicolon */',
    'SELECT count(*) FILTER (WHERE v > 0) FROM t',
  ])('accepts %s', async (sql) => {
    expect(await sourceQueryProblem(sql, 'postgres')).toBeUndefined();
  });

  it.each<[string, RegExp]>([
    // The two queries of issue #8 item 3.
    ["SELECT id, set_config('default_transaction_read_only','off',false) AS x FROM customers", /calls set_config\(\)/],
    ["SELECT lo_from_bytea(0, convert_to('x','UTF8'))::bigint AS id", /calls lo_from_bytea\(\)/],
    ['WITH gone AS (DELETE FROM customers RETURNING id) SELECT id FROM gone', /WITH query "gone" that is not a SELECT/],
    ['WITH x AS (INSERT INTO log VALUES (1) RETURNING 1) SELECT * FROM x', /WITH query "x" that is not a SELECT/],
    ['SELECT id FROM customers FOR UPDATE', /must not lock rows/],
    ['SELECT id FROM (SELECT id FROM customers FOR SHARE) s', /must not lock rows/],
    ['SELECT 1; SELECT 2', /single statement, not 2/],
    ['SELECT 1; DELETE FROM customers', /single statement, not 2/],
    ['SELECT 1 /* hide */; DROP TABLE customers -- ', /single statement, not 2/],
    ['SELECT 1 -- x\n; UPDATE customers SET name = null', /single statement, not 2/],
    ['COMMIT; SELECT 1', /single statement, not 2/],
    ['SELECT * INTO copy_of_customers FROM customers', /SELECT … INTO/],
    ['DELETE FROM customers', /must be a SELECT, not a DELETE/],
    ['UPDATE customers SET name = 1', /must be a SELECT, not an UPDATE/],
    ['TRUNCATE customers', /must be a SELECT, not a Truncate statement/],
    ["SELECT * FROM dblink('host=x', 'DELETE FROM t') AS t(a int)", /calls dblink\(\)/],
    ['SELECT * FROM ROWS FROM (generate_series(1, 2), pg_sleep(1))', /calls pg_sleep\(\)/],
    ["SELECT id FROM t WHERE id IN (SELECT id FROM u WHERE set_config('a.b', 'c', false) IS NOT NULL)", /calls set_config\(\)/],
    ["SELECT \"set_config\"('default_transaction_read_only', 'off', false)", /calls set_config\(\)/],
    ["SELECT pg_catalog.set_config('default_transaction_read_only', 'off', false)", /calls pg_catalog\.set_config\(\)/],
    ["SELECT id FROM t ORDER BY nextval('s')", /calls nextval\(\)/],
    ["SELECT setval('s', 1)::text", /calls setval\(\)/],
    ["SELECT pg_read_file('/etc/passwd')", /calls pg_read_file\(\)/],
    ['SELECT leave_a_trace() FROM t', /calls leave_a_trace\(\)/],
    ['SELECT public.upper(name) FROM t', /calls public\.upper\(\)/],
    ['SELECT count(*) FILTER (WHERE writes(v)) FROM t', /calls writes\(\)/],
    ['SELECT sum(v) OVER (PARTITION BY writes(v)) FROM t', /calls writes\(\)/],
    ['WITH a AS (SELECT pg_terminate_backend(1)) SELECT * FROM a', /calls pg_terminate_backend\(\)/],
    ['SELECT id FROM t TABLESAMPLE my_method (1)', /samples with my_method/],
    ['SELECT a ### b FROM t', /operator ###/],
    ['SELECT a OPERATOR(public.+) b FROM t', /operator public\.\+/],
    ['SELECT $1', /parameters/],
    ['SELECT FROM WHERE', /cannot be parsed: syntax error/],
    ['', /is empty/],
    ["SELECT query_to_xml('DELETE FROM t', true, true, '')", /calls query_to_xml\(\)/],
  ])('refuses %s', async (sql, reason) => {
    expect(await sourceQueryProblem(sql, 'postgres')).toMatch(reason);
  });

  it('reads MySQL backtick names, and allows engine-specific functions only for their engine', async () => {
    expect(
      await sourceQueryProblem("SELECT `o`.`id`, ifnull(`o`.`note`, '') AS note, group_concat(x) FROM `orders` o GROUP BY `o`.`id`", 'mysql'),
    ).toBeUndefined();
    expect(await sourceQueryProblem("SELECT id, ifnull(note, '') FROM orders", 'postgres')).toMatch(/calls ifnull\(\)/);
    expect(await sourceQueryProblem('SELECT id, sleep(5) FROM orders', 'mysql')).toMatch(/calls sleep\(\)/);
    expect(await sourceQueryProblem("SELECT load_file('/etc/passwd')", 'mysql')).toMatch(/calls load_file\(\)/);
    expect(await sourceQueryProblem("SELECT strftime('%Y', d), iif(a, 1, 2) FROM t", 'sqlite')).toBeUndefined();
    expect(await sourceQueryProblem("SELECT load_extension('x')", 'sqlite')).toMatch(/calls load_extension\(\)/);
  });

  it("verifications may call the product's own functions, never a state-changing built-in", async () => {
    const verification = (sql: string) => readOnlySqlProblem(sql, { engine: 'postgres', productFunctions: true, what: 'a verification' });
    expect(await verification('SELECT o.order_no FROM sales_orders o WHERE o.total_amount <> order_total(o.id)')).toBeUndefined();
    expect(await verification('SELECT erp.order_total(1)')).toBeUndefined();
    expect(await verification("SELECT set_config('default_transaction_read_only', 'off', false)")).toMatch(/calls set_config\(\)/);
    expect(await verification('SELECT pg_catalog.pg_sleep(10)')).toMatch(/calls pg_catalog\.pg_sleep\(\)/);
    expect(await verification("SELECT lo_import('/etc/passwd')")).toMatch(/calls lo_import\(\)/);
    expect(await verification('COMMIT; CREATE TABLE t (a int); UPDATE customers SET credit_limit = 0; SELECT 1')).toMatch(/single statement, not 4/);
  });
});
