import { queryProblem } from './migration';

describe('queryProblem (what a migration query source may be)', () => {
  it.each([
    'SELECT 1',
    "select t.TrackId, t.Name || ' (' || g.Name || ')' AS label from Track t join Genre g on g.GenreId = t.GenreId",
    'WITH lines AS (SELECT InvoiceId, sum(UnitPrice * Quantity) AS amount FROM InvoiceLine GROUP BY InvoiceId) SELECT * FROM lines',
    "SELECT 'it''s; fine)' AS s, \"odd;name\" FROM t -- a comment; with ( in it\n",
    'SELECT /* a (block) comment; */ `quoted``name` FROM t',
  ])('accepts %j', (sql) => {
    expect(queryProblem(sql)).toBeUndefined();
  });

  it.each([
    ['SELECT 1; DROP TABLE t', 'must be a single statement without ";"'],
    ['SELECT 1) AS t; DELETE FROM t; SELECT * FROM (SELECT 1', 'closes a parenthesis it did not open'],
    ['SELECT (1', 'leaves a parenthesis open'],
    ['DELETE FROM t', 'must start with SELECT or WITH'],
    ['/* SELECT */ UPDATE t SET a = 1', 'must start with SELECT or WITH'],
    ["SELECT $$') AS t; DROP TABLE x; -- '$$", 'must not use $ outside quotes (dollar quoting or parameters)'],
    ["SELECT 'x\\', '; DROP TABLE t; -- '", 'must not contain a backslash (engines disagree on its escaping)'],
    ["SELECT 1 --'\n, ') AS t; DROP TABLE x; -- '", 'must have a space after "--" in a comment'],
    ["SELECT /* /* */ ' */ ) AS t; DROP TABLE x; -- '", 'must not nest comments'],
    ['SELECT /*! 1) AS t; DROP TABLE x; -- */ 1', 'must not contain /*! comments (MySQL runs them)'],
    ['SELECT 1 # comment', 'must not use # outside quotes'],
    ["SELECT 'open", 'has an unterminated string'],
    ['SELECT 1 /* open', 'has an unterminated comment'],
  ])('refuses %j', (sql, reason) => {
    expect(queryProblem(sql)).toBe(reason);
  });

  it('refuses a query longer than 20,000 characters', () => {
    expect(queryProblem(`SELECT ${'x'.repeat(20_000)}`)).toBe('is longer than 20000 characters');
  });
});
