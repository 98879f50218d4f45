import { columnsOf, evaluate, parseExpression } from './expression';
import { mapRow, passesFilters, type CompiledMapping } from './mapping';

describe('mapping expressions', () => {
  const row = (values: Record<string, string | null>) => (c: string) => values[c] ?? null;

  it('evaluates columns, literals and the whitelisted functions as text, keeping every digit', () => {
    const e = parseExpression("concat(upper(FirstName), ' ', coalesce(Company, 'n/a'), ' ', substr(InvoiceDate, 1, 10), ' ', Total)");
    expect(columnsOf(e)).toEqual(['FirstName', 'Company', 'InvoiceDate', 'Total']);
    expect(evaluate(e, row({ FirstName: 'Luís', Company: null, InvoiceDate: '2021-01-01 00:00:00', Total: '12345678901234567890.01' }))).toBe(
      'LUÍS n/a 2021-01-01 12345678901234567890.01',
    );
    expect(evaluate(parseExpression("'it''s'"), row({}))).toBe("it's");
    expect(evaluate(parseExpression("nullif(Country, '')"), row({ Country: '' }))).toBeNull();
  });

  it('refuses anything outside the grammar, so request text never reaches SQL', () => {
    for (const bad of ['Name); DROP TABLE customer; --', 'pg_sleep(10)', "concat(Name, 'x'", 'Name || Other', '1 + 1', 'Name -- comment', '']) {
      expect(() => parseExpression(bad)).toThrow();
    }
  });

  it('applies value maps, defaults and filters, and names the reason of a reject', () => {
    const m = {
      rules: [
        { rule: { target: 'country_code', valueMap: { map: { Brazil: 'BR' } } }, expr: parseExpression('Country') },
        { rule: { target: 'status', default: 'active' }, expr: null },
      ],
    } as unknown as CompiledMapping;
    expect(mapRow(m, row({ Country: 'Brazil' }), new Map())).toEqual({ values: ['BR', 'active'] });
    expect(mapRow(m, row({ Country: 'Argentina' }), new Map())).toEqual({ reject: 'country_code: value "Argentina" has no entry in the value map' });
    expect(
      passesFilters(
        [
          { column: 'Total', op: '>=', value: 10 },
          { column: 'Title', op: 'in', value: ['A', 'B'] },
        ],
        row({ Total: '9.99', Title: 'A' }),
      ),
    ).toBe(false);
    expect(
      passesFilters(
        [
          { column: 'Total', op: '>=', value: 10 },
          { column: 'Title', op: 'in', value: ['A', 'B'] },
        ],
        row({ Total: '10.00', Title: 'B' }),
      ),
    ).toBe(true);
  });
});
