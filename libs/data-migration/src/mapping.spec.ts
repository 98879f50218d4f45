import { DeliveryError, DeliveryFailureType, type DataMigrationParameters, type MigrationMapping } from '@sdo/contracts';
import type { TableInfo } from '@sdo/data-engine';
import { compileMappings, mapRow, passesFilters, sourceKey, type SourceRelation, type TargetTable } from './mapping';

// The old product's customers and invoices (Chinook-like), loaded into the new product's partner and document tables.
const sourceTable = (name: string, columns: string[], over: Partial<TableInfo> = {}): TableInfo => ({
  ref: { name },
  columns: columns.map((c) => ({ name: c, nativeType: 'text', baseType: 'text', nullable: c !== 'CustomerId', identity: false })),
  primaryKey: ['CustomerId'],
  uniqueKeys: [],
  foreignKeys: [],
  indexes: [],
  rowCount: 59,
  rowCountExact: true,
  sizeBytes: 0,
  ...over,
});
const customer = sourceTable('Customer', ['CustomerId', 'FirstName', 'LastName', 'Country', 'SupportRepId']);
const target = (name: string, columns: Record<string, Partial<{ nullable: boolean; hasDefault: boolean }>>): [string, TargetTable] => [
  name,
  { name, columns: new Map(Object.entries(columns).map(([c, o]) => [c, { nullable: true, hasDefault: false, dataType: 'text', ...o }])) },
];
const targets = new Map([
  target('partner', { id: { nullable: false, hasDefault: true }, legacy_id: { nullable: false }, name: {}, country_code: {}, rep: {} }),
  target('country', { code: {}, name: {} }),
]);
const partnerMapping = (over: Partial<MigrationMapping> = {}): MigrationMapping => ({
  name: 'customers',
  target: 'partner',
  source: { table: 'Customer' },
  columns: [
    { target: 'legacy_id', expr: 'CustomerId' },
    { target: 'name', expr: "concat(FirstName, ' ', LastName)" },
    { target: 'country_code', expr: 'Country', valueMap: { map: { Germany: 'DE', Brazil: 'BR' } } },
  ],
  ...over,
});
const compile = (
  mappings: MigrationMapping[],
  sources: (m: MigrationMapping) => SourceRelation | undefined = (m) => ('table' in m.source && m.source.table === 'Customer' ? { info: customer } : undefined),
) => compileMappings({ mappings } as DataMigrationParameters, sources, targets);
const refusal = (mappings: MigrationMapping[], sources?: (m: MigrationMapping) => SourceRelation | undefined): string => {
  try {
    compile(mappings, sources);
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).type).toBe(DeliveryFailureType.InvalidParameters);
    return (err as Error).message;
  }
  throw new Error('the mappings compiled');
};

describe('compileMappings', () => {
  it('orders by the source key and reads only the columns the rules and filters need', () => {
    const [m] = compile([partnerMapping({ source: { table: 'Customer', filter: [{ column: 'SupportRepId', op: 'is not null' }] } })]);
    expect(m!.keyColumns).toEqual(['CustomerId']);
    expect(m!.readColumns).toEqual(['CustomerId', 'SupportRepId', 'FirstName', 'LastName', 'Country']);
    expect(m!.rules.map((r) => r.expr?.kind)).toEqual(['column', 'call', 'column']);
  });

  it.each<[string, MigrationMapping[], string]>([
    ['an unknown source table', [partnerMapping({ source: { table: 'Client' } })], 'Mapping "customers", source table "Client": does not exist in the source.'],
    ['an unknown target table', [partnerMapping({ target: 'partners' })], 'Mapping "customers", target table "partners": does not exist in the target schema.'],
    [
      'an unknown target column',
      [
        partnerMapping({
          columns: [
            { target: 'legacy_id', expr: 'CustomerId' },
            { target: 'email', expr: 'Email' },
          ],
        }),
      ],
      'Mapping "customers", column "email": does not exist in target table partner.',
    ],
    [
      'a column mapped twice',
      [
        partnerMapping({
          columns: [
            { target: 'legacy_id', expr: 'CustomerId' },
            { target: 'legacy_id', expr: 'LastName' },
          ],
        }),
      ],
      'Mapping "customers", column "legacy_id": is mapped twice.',
    ],
    [
      'a rule with neither expression nor default',
      [partnerMapping({ columns: [{ target: 'legacy_id', expr: 'CustomerId' }, { target: 'name' }] })],
      'Mapping "customers", column "name": needs an expression or a default.',
    ],
    [
      'an expression over a column the source lacks',
      [partnerMapping({ columns: [{ target: 'legacy_id', expr: 'upper(Company)' }] })],
      'Mapping "customers", column "legacy_id": source column "Company" does not exist in Customer.',
    ],
    [
      'an expression that does not parse',
      [partnerMapping({ columns: [{ target: 'legacy_id', expr: 'CustomerId; DROP TABLE partner' }] })],
      'Mapping "customers", column "legacy_id": the expression has unexpected text at position 11.',
    ],
    [
      'a filter on a column the source lacks',
      [partnerMapping({ source: { table: 'Customer', filter: [{ column: 'Region', op: '=', value: 'EU' }] } })],
      'Mapping "customers", filter column "Region": does not exist in Customer.',
    ],
    [
      'a NOT NULL column without a default that no rule fills',
      [partnerMapping({ columns: [{ target: 'name', expr: 'LastName' }] })],
      'Mapping "customers", column "legacy_id": is NOT NULL without a default in partner and no rule fills it.',
    ],
    ['two mappings of one name', [partnerMapping(), partnerMapping()], 'Mapping "customers", name: is used by another mapping.'],
    [
      'a look-up into a table no earlier mapping loads',
      [
        partnerMapping({
          columns: [
            { target: 'legacy_id', expr: 'CustomerId' },
            { target: 'country_code', expr: 'Country', lookup: { table: 'country', match: 'name', returns: 'code' } },
          ],
        }),
      ],
      'Mapping "customers", column "country_code": look-up table "country" is not loaded by an earlier mapping.',
    ],
    [
      'a look-up column the look-up table lacks',
      [
        partnerMapping({
          columns: [
            { target: 'legacy_id', expr: 'CustomerId' },
            { target: 'rep', expr: 'SupportRepId', lookup: { table: 'partner', match: 'legacy', returns: 'id' } },
          ],
        }),
      ],
      'Mapping "customers", column "rep": look-up column "legacy" does not exist in partner.',
    ],
  ])('refuses %s, naming the mapping and the column', (_, mappings, message) => {
    expect(refusal(mappings)).toBe(message);
  });

  it('accepts a look-up into its own target or one an earlier mapping loads', () => {
    const countries: MigrationMapping = { name: 'countries', target: 'country', source: { table: 'Customer' }, columns: [{ target: 'name', expr: 'Country' }] };
    const lookup = { target: 'country_code', expr: 'Country', lookup: { table: 'country', match: 'name', returns: 'code' } };
    expect(compile([countries, partnerMapping({ columns: [{ target: 'legacy_id', expr: 'CustomerId' }, lookup] })])).toHaveLength(2);
  });
});

describe('sourceKey', () => {
  it('falls back from the primary key to a NOT NULL unique key, and refuses a table with neither', () => {
    const noPk = {
      ...customer,
      primaryKey: [],
      uniqueKeys: [
        { name: 'by_name', columns: ['LastName'] },
        { name: 'by_id', columns: ['CustomerId'] },
      ],
    };
    expect(sourceKey(partnerMapping(), { info: noPk })).toEqual(['CustomerId']);
    expect(() => sourceKey(partnerMapping(), { info: { ...noPk, uniqueKeys: [{ name: 'by_name', columns: ['LastName'] }] } })).toThrow(
      'Mapping "customers", source table "Customer": has no primary or NOT NULL unique key to order and checkpoint the load by.',
    );
  });

  it("takes a query's declared key only once it proved unique and never null", () => {
    const query: MigrationMapping = partnerMapping({ source: { query: 'SELECT * FROM Customer', key: ['CustomerId'] } });
    const info = { ...customer, primaryKey: [] };
    expect(sourceKey(query, { info, keyHealth: { nullKeys: 0, duplicateKeys: 0 } })).toEqual(['CustomerId']);
    expect(() => sourceKey(query, { info, keyHealth: { nullKeys: 2, duplicateKeys: 0 } })).toThrow('its key (CustomerId) is null in 2 row(s)');
    expect(() => sourceKey(query, { info, keyHealth: { nullKeys: 0, duplicateKeys: 3 } })).toThrow('is not unique: 3 value(s) occur more than once');
    expect(() => sourceKey({ ...query, source: { query: 'SELECT 1', key: ['Id'] } }, { info })).toThrow(
      'Mapping "customers", key column "Id": is not a column the source query returns.',
    );
    const twice = { ...info, columns: [...info.columns, info.columns[1]!] };
    expect(() => sourceKey(query, { info: twice })).toThrow('returns column "FirstName" twice');
  });
});

describe('passesFilters', () => {
  const row = (values: Record<string, string | null>) => (c: string) => values[c] ?? null;
  it.each<[string, Parameters<typeof passesFilters>[0], Record<string, string | null>, boolean]>([
    ['= compares numbers as numbers', [{ column: 'n', op: '=', value: 10 }], { n: '10.0' }, true],
    ['> compares numbers as numbers', [{ column: 'n', op: '>', value: 9 }], { n: '10' }, true],
    ['< compares text as text', [{ column: 's', op: '<', value: 'b' }], { s: 'a' }, true],
    ['<> is false on null', [{ column: 's', op: '<>', value: 'x' }], { s: null }, false],
    ['in matches one of the values', [{ column: 's', op: 'in', value: ['DE', 'BR'] }], { s: 'BR' }, true],
    ['not in is false on null', [{ column: 's', op: 'not in', value: ['DE'] }], { s: null }, false],
    ['is null', [{ column: 's', op: 'is null' }], { s: null }, true],
    [
      'every filter must pass',
      [
        { column: 's', op: 'is not null' },
        { column: 'n', op: '>=', value: 5 },
      ],
      { s: 'x', n: '4' },
      false,
    ],
  ])('%s', (_, filters, values, expected) => {
    expect(passesFilters(filters, row(values))).toBe(expected);
  });
});

describe('mapRow', () => {
  const [m] = compile([
    partnerMapping({
      columns: [
        { target: 'legacy_id', expr: 'CustomerId' },
        { target: 'name', expr: "concat(FirstName, ' ', LastName)", default: 'unknown' },
        { target: 'country_code', expr: 'Country', valueMap: { map: { Germany: 'DE', Brazil: 'BR' } } },
        { target: 'rep', expr: 'SupportRepId', lookup: { table: 'partner', match: 'legacy_id', returns: 'id', optional: true } },
      ],
    }),
  ]);
  const lookups = new Map([[`partner\u0000legacy_id\u0000id`, new Map([['3', '1003']])]]);
  const row = (values: Record<string, string | null>) => (c: string) => values[c] ?? null;

  it('evaluates, maps values and looks up keys loaded earlier', () => {
    expect(mapRow(m!, row({ CustomerId: '1', FirstName: 'Luís', LastName: 'Gonçalves', Country: 'Brazil', SupportRepId: '3' }), lookups)).toEqual({
      values: ['1', 'Luís Gonçalves', 'BR', '1003'],
    });
  });

  it('leaves an optional look-up without a match empty', () => {
    expect(mapRow(m!, row({ CustomerId: '2', Country: 'Germany', SupportRepId: '9' }), lookups)).toEqual({ values: ['2', ' ', 'DE', null] });
  });

  it('rejects a value the value map does not know, with the reason', () => {
    expect(mapRow(m!, row({ CustomerId: '4', Country: 'Norway' }), lookups)).toEqual({ reject: 'country_code: value "Norway" has no entry in the value map' });
  });

  it('rejects a required look-up without a match', () => {
    const [strict] = compile([
      partnerMapping({ columns: [{ target: 'legacy_id', expr: 'CustomerId', lookup: { table: 'partner', match: 'legacy_id', returns: 'id' } }] }),
    ]);
    expect(mapRow(strict!, row({ CustomerId: '5' }), lookups)).toEqual({ reject: 'legacy_id: no partner row with legacy_id = "5"' });
  });

  it('fills the default where the expression is null', () => {
    const [withDefault] = compile([
      partnerMapping({
        columns: [
          { target: 'legacy_id', expr: 'CustomerId' },
          { target: 'name', expr: 'FirstName', default: 'unknown' },
        ],
      }),
    ]);
    expect(mapRow(withDefault!, row({ CustomerId: '6' }), lookups)).toEqual({ values: ['6', 'unknown'] });
  });
});
