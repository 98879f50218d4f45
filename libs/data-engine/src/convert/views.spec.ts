import { accountForObjects } from '../plan';
import type { TablePlan } from '../model';
import { mysqlCheckClause, translateCheckClause, translateDateFormat, translateSetTrigger, translateViewSql, ungroupJoins, type ViewScope } from './views';

const cols = (xs: string[]) => new Map(xs.map((x) => [x, x.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()]));
const scope: ViewScope = {
  targetSchema: 'erp',
  alias: (a) => a.toLowerCase(),
  tables: new Map([
    ['Customer', { target: 'customer', columns: cols(['id', 'firstName', 'lastName', 'email']) }],
    ['orders', { target: 'orders', columns: cols(['id', 'customerId', 'productId', 'createdAt']) }],
    ['product', { target: 'product', columns: cols(['id', 'name']) }],
  ]),
};

describe('MySQL view SQL → PostgreSQL', () => {
  it('translates a MariaDB view over joins with CONCAT, IFNULL, DATE_FORMAT and GROUP_CONCAT', () => {
    const mariadb =
      "select `c`.`id` AS `id`,concat(`c`.`firstName`,' ',`c`.`lastName`) AS `FullName`,ifnull(`c`.`email`,'n/a') AS `email`," +
      "date_format(`o`.`createdAt`,'%Y-%m-%d at %H:%i') AS `day`,group_concat(distinct `p`.`name` order by `p`.`name` ASC separator ', ') AS `products`,count(0) AS `n` " +
      'from ((`db1`.`Customer` `c` join `db1`.`orders` `o` on(`o`.`customerId` = `c`.`id`)) left join `db1`.`product` `p` on(`p`.`id` = `o`.`productId`)) ' +
      'where `c`.`id` > 0 group by `c`.`id`,`o`.`createdAt`';
    expect(translateViewSql(mariadb, scope)).toBe(
      'SELECT "c"."id" AS "id", (("c"."first_name")::text || (\' \')::text || ("c"."last_name")::text) AS "fullname", COALESCE("c"."email", \'n/a\') AS "email", ' +
        'to_char("o"."created_at", \'YYYY-MM-DD" at "HH24:MI\') AS "day", string_agg(DISTINCT ("p"."name")::text, \', \' ORDER BY ("p"."name")::text ASC) AS "products", count(0) AS "n" ' +
        'FROM "erp"."customer" AS "c" INNER JOIN "erp"."orders" AS "o" ON ("o"."customer_id" = "c"."id") LEFT JOIN "erp"."product" AS "p" ON ("p"."id" = "o"."product_id") ' +
        'WHERE "c"."id" > 0 GROUP BY "c"."id", "o"."created_at"',
    );
  });

  it('drops only the parentheses that group joins', () => {
    expect(ungroupJoins('select 1 from ((`a` join `b` on(`a`.`x` = `b`.`x`)) join `c` on(`c`.`y` = (1)))').replace(/\s+/g, ' ')).toBe(
      'select 1 from `a` join `b` on(`a`.`x` = `b`.`x`) join `c` on(`c`.`y` = (1)) ',
    );
    expect(ungroupJoins("select '(x' from (select 1) q")).toBe("select '(x' from (select 1) q");
  });

  it('refuses what it cannot translate faithfully, naming it', () => {
    expect(() => translateViewSql('select sha1(`c`.`email`) AS `h` from `db1`.`Customer` `c`', scope)).toThrow(/SHA1 has no translation/);
    expect(() => translateViewSql('select `x`.`id` AS `id` from `db1`.`gone` `x`', scope)).toThrow(/reads gone, which is not converted/);
    expect(() => translateViewSql('select `c`.`phone` AS `p` from `db1`.`Customer` `c`', scope)).toThrow(/Customer.phone, which is not converted/);
    expect(() => translateViewSql('select `q`.`id` AS `id` from (select 1 AS `id`) `q`', scope)).toThrow(/subquery/);
  });

  it('translates DATE_FORMAT patterns and refuses unknown specifiers', () => {
    expect(translateDateFormat('%d/%m/%Y %T')).toBe('DD/MM/YYYY HH24:MI:SS');
    expect(translateDateFormat('%M %e, %Y 100%%')).toBe('FMMonth FMDD, YYYY 100%');
    expect(() => translateDateFormat('%U')).toThrow(/%U/);
  });

  it('translates CHECK clauses as MariaDB stores them', () => {
    expect(translateCheckClause("`firstName` <> '' and `id` between 1 and 100", 'Customer', scope)).toBe(`"first_name" <> '' AND "id" BETWEEN 1 AND 100`);
    expect(() => translateCheckClause('`phone` is not null', 'Customer', scope)).toThrow(/ambiguous or unknown/);
  });

  it('translates CHECK clauses as MySQL 8 stores them: escaped twice, with charset introducers', () => {
    // information_schema.CHECK_CONSTRAINTS.CHECK_CLAUSE of MySQL 8.0.16+ (backslashes as stored).
    const mysql8 = String.raw`((\`email\` in (_utf8mb4\'a@x\',_utf8mb4\'it\\\'s\')) and (char_length(\`lastName\`) > 0))`;
    expect(mysqlCheckClause(mysql8, true)).toBe(String.raw`((` + "`email` in ('a@x','it\\'s')) and (char_length(`lastName`) > 0))");
    expect(translateCheckClause(mysqlCheckClause(mysql8, true), 'Customer', scope)).toBe(`(("email" IN ('a@x', 'it''s')) AND (char_length("last_name") > 0))`);
    expect(translateCheckClause("`email` not in ('o''neil', 'back\\\\slash', 'tab\\t')", 'Customer', scope)).toBe(
      `"email" NOT IN ('o''neil', E'back\\\\slash', 'tab\t')`,
    );
    // MariaDB: not escaped twice; an introducer-like text inside a literal is data and stays.
    expect(mysqlCheckClause("`email` <> _latin1'x' and `lastName` <> ' _utf8''q'", false)).toBe("`email` <> 'x' and `lastName` <> ' _utf8''q'");
  });

  it('lists a MySQL NOT ENFORCED check as an action item instead of enforcing it', () => {
    const table = {
      source: {
        ref: { name: 'Customer' },
        columns: [],
        primaryKey: [],
        uniqueKeys: [],
        foreignKeys: [],
        indexes: [],
        rowCount: 0,
        rowCountExact: true,
        sizeBytes: 0,
        checks: [
          { name: 'ck_kept', clause: '(`id` > 0)' },
          { name: 'ck_loose', clause: '(`id` < 100)', enforced: false },
        ],
      },
      target: { schema: 'erp', name: 'customer' },
      columns: [{ name: 'id', sourceName: 'id', pgType: 'integer', kind: 'int', nullable: false, identity: false, rule: '' }],
      keyColumns: [],
      keySource: 'none',
      order: 0,
    } satisfies TablePlan as TablePlan;
    const { objects } = accountForObjects({ engine: 'mysql', tables: [table.source] }, [table], 'erp', 'lower');
    expect(objects).toEqual([
      { object: 'Customer.ck_kept', kind: 'CHECK constraint', outcome: 'converted', detail: 'CHECK (("id" > 0)), added after the data' },
      expect.objectContaining({
        object: 'Customer.ck_loose',
        outcome: 'not converted',
        action: expect.stringMatching(/NOT VALID/),
        sourceText: '(`id` < 100)',
      }),
    ]);
    expect(table.checks).toEqual([{ name: 'ck_kept', sql: '("id" > 0)' }]);
  });

  it('translates triggers that only set columns of the new row, and refuses any other', () => {
    expect(
      translateSetTrigger("BEGIN\n  SET NEW.email = LOWER(NEW.email);\n  SET NEW.`lastName` = CONCAT(UPPER(NEW.lastName), ';');\nEND", 'Customer', scope),
    ).toEqual(['new."email" := lower(new."email");', `new."last_name" := ((upper(new."last_name"))::text || (';')::text);`]);
    expect(translateSetTrigger('SET NEW.email = IFNULL(NEW.email, firstName)', 'Customer', scope)).toEqual([
      'new."email" := COALESCE(new."email", "first_name");',
    ]);
    expect(() => translateSetTrigger("INSERT INTO AuditLog (what) VALUES (CONCAT('order ', NEW.id))", 'orders', scope)).toThrow(/only SET NEW.column/);
    expect(() => translateSetTrigger('SET NEW.phone = 1', 'Customer', scope)).toThrow(/Customer.phone, which is not converted/);
  });

  it('reads the schema-qualified column references MariaDB writes for views without aliases', () => {
    expect(
      translateViewSql(
        'select `db1`.`Customer`.`id` AS `id`,upper(`db1`.`Customer`.`email`) AS `Email` from `db1`.`Customer` where `db1`.`Customer`.`id` < 10',
        scope,
      ),
    ).toBe('SELECT "customer"."id" AS "id", upper("customer"."email") AS "email" FROM "erp"."customer" WHERE "customer"."id" < 10');
  });
});
