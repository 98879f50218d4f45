import type { SourceConnector } from '../connectors/connector';
import type { ColumnInfo, SchemaInfo, TableInfo } from '../model';
import { buildCopyPlan } from '../plan';
import { mapColumn } from './casting';

const col = (name: string, baseType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  name,
  nativeType: baseType,
  baseType,
  nullable: true,
  identity: false,
  ...extra,
});
const table = (name: string, columns: ColumnInfo[], extra: Partial<TableInfo> = {}): TableInfo => ({
  ref: { schema: 'shop', name },
  columns,
  primaryKey: ['id'],
  uniqueKeys: [],
  foreignKeys: [],
  indexes: [],
  rowCount: 0,
  rowCountExact: true,
  sizeBytes: 0,
  ...extra,
});
const id = col('id', 'int', { nullable: false });

describe('MySQL casting (issue #9)', () => {
  const t = table('Orders', [id]);

  it('keeps NOT NULL on a date/time column counted free of zero dates, drops it (and says why) otherwise', () => {
    const kept = mapColumn('mysql', t, col('orderedAt', 'datetime', { nullable: false, zeroDates: 0 }), 'snake');
    expect(kept).toMatchObject({ name: 'ordered_at', nullable: false, rule: expect.stringMatching(/NOT NULL kept/) });
    const dropped = mapColumn('mysql', t, col('shippedAt', 'datetime', { nullable: false, zeroDates: 3 }), 'snake');
    expect(dropped).toMatchObject({ nullable: true, rule: expect.stringMatching(/NOT NULL dropped: 3 zero date/) });
    expect(mapColumn('mysql', t, col('d', 'date', { nullable: false }), 'snake')).toMatchObject({ nullable: true, rule: expect.stringMatching(/not counted/) });
  });

  it('converts spatial columns instead of refusing them: POINT → point, others → WKT text; columnTypes overrides', () => {
    expect(mapColumn('mysql', t, col('loc', 'point'), 'snake')).toMatchObject({ pgType: 'point', sourceRead: 'point' });
    expect(mapColumn('mysql', t, col('area', 'geometry'), 'snake')).toMatchObject({ pgType: 'text', sourceRead: 'wkt' });
    expect(mapColumn('mysql', t, col('route', 'linestring'), 'snake', { type: 'path' })).toMatchObject({ pgType: 'path', sourceRead: 'path' });
    expect(mapColumn('mysql', t, col('area', 'geometry'), 'snake', { type: 'polygon', rename: 'zone' })).toMatchObject({ name: 'zone', pgType: 'polygon' });
    expect(() => mapColumn('mysql', t, col('route', 'linestring'), 'snake', { type: 'point' })).toThrow(/cannot be converted to point/);
    expect(() => mapColumn('mysql', t, col('n', 'int'), 'snake', { type: 'text' })).toThrow(/spatial columns/);
    expect(() => mapColumn('mysql', t, col('b', 'bit'), 'snake')).toThrow(/no PostgreSQL mapping/);
  });

  it('keeps SET defaults and ON UPDATE CURRENT_TIMESTAMP', () => {
    expect(mapColumn('mysql', t, col('tags', 'set', { defaultExpr: "'vip,b2b'", members: ['vip', 'b2b'] }), 'snake').defaultSql).toBe(`'{"vip","b2b"}'`);
    expect(mapColumn('mysql', t, col('tags', 'set', { defaultExpr: "''", members: ['vip'] }), 'snake').defaultSql).toBe(`'{}'`);
    expect(mapColumn('mysql', t, col('at', 'timestamp', { onUpdateNow: true, defaultExpr: 'current_timestamp()' }), 'snake')).toMatchObject({
      onUpdateNow: true,
      defaultSql: 'CURRENT_TIMESTAMP',
    });
  });
});

describe('copy plan exclusions (issue #9)', () => {
  const schema: SchemaInfo = {
    engine: 'mysql',
    schema: 'shop',
    tables: [
      table('Customer', [id, col('email', 'varchar', { length: 80 }), col('legacy', 'bit')], { uniqueKeys: [{ name: 'uq_email', columns: ['email'] }] }),
      table('Store', [id]),
      table('Orders', [id, col('customerId', 'int'), col('storeId', 'int'), col('customerEmail', 'varchar', { length: 80 })], {
        foreignKeys: [
          { name: 'fk_orders_store', columns: ['storeId'], references: { name: 'Store' }, referencedColumns: ['id'] },
          { name: 'fk_orders_email', columns: ['customerEmail'], references: { name: 'Customer' }, referencedColumns: ['email'] },
        ],
      }),
    ],
    objects: [
      {
        kind: 'view',
        name: 'store_orders',
        definition: 'select `o`.`id` AS `id` from (`shop`.`Orders` `o` join `shop`.`Store` `s` on(`s`.`id` = `o`.`storeId`))',
      },
      { kind: 'procedure', name: 'purge', definition: 'BEGIN DELETE FROM Orders; END' },
    ],
  };

  it('lists every object an exclusion loses: foreign keys, unique keys, views', async () => {
    const plan = await buildCopyPlan({} as SourceConnector, {
      jobId: 'j',
      targetSchema: 'shop',
      schema,
      naming: 'snake',
      exclude: ['Store'],
      excludeColumns: ['Customer.email', 'Customer.legacy'],
    });
    expect(plan.tables.find((t) => t.source.ref.name === 'Customer')!.columns.map((c) => c.name)).toEqual(['id']);
    expect(plan.dependents).toEqual([
      'unique key uq_email of Customer (email): not created, email excluded',
      'foreign key fk_orders_email of Orders → Customer (email): not created, email excluded',
      'foreign key fk_orders_store of Orders (storeId) → Store: not created, Store is not converted',
      'view store_orders: not created, it reads Store, which is not converted',
    ]);
    expect(plan.objects).toEqual([
      expect.objectContaining({ object: 'store_orders', outcome: 'not converted' }),
      expect.objectContaining({ object: 'purge', kind: 'procedure', outcome: 'not converted', sourceText: 'BEGIN DELETE FROM Orders; END' }),
    ]);
  });

  it('lists a trigger of an excluded table as lost, and keeps it when its table is converted', async () => {
    const trigger = { kind: 'trigger' as const, name: 'trg_store_name', table: 'Store', timing: 'BEFORE', event: 'INSERT', body: 'SET NEW.id = NEW.id' };
    const withTrigger: SchemaInfo = { ...schema, objects: [...schema.objects!, { ...trigger, definition: `BEGIN ${trigger.body}; END` }] };
    const excluded = await buildCopyPlan({} as SourceConnector, {
      jobId: 'j',
      targetSchema: 'shop',
      schema: withTrigger,
      exclude: ['Store'],
      excludeColumns: ['Customer.legacy'],
    });
    expect(excluded.dependents).toEqual([
      'foreign key fk_orders_store of Orders (storeId) → Store: not created, Store is not converted',
      'view store_orders: not created, it reads Store, which is not converted',
      'trigger trg_store_name on Store: not created, Store is not converted',
    ]);
    const kept = await buildCopyPlan({} as SourceConnector, { jobId: 'j', targetSchema: 'shop', schema: withTrigger, excludeColumns: ['Customer.legacy'] });
    expect(kept.dependents).toEqual([]);
  });

  it('creates the view when what it reads is converted, and refuses to exclude a primary-key column', async () => {
    const plan = await buildCopyPlan({} as SourceConnector, { jobId: 'j', targetSchema: 'shop', schema, naming: 'snake', excludeColumns: ['Customer.legacy'] });
    expect(plan.views).toEqual([
      expect.objectContaining({
        name: 'store_orders',
        sql: 'CREATE OR REPLACE VIEW "shop"."store_orders" AS SELECT "o"."id" AS "id" FROM "shop"."orders" AS "o" INNER JOIN "shop"."store" AS "s" ON ("s"."id" = "o"."store_id")',
      }),
    ]);
    await expect(
      buildCopyPlan({} as SourceConnector, { jobId: 'j', targetSchema: 'shop', schema, excludeColumns: ['Store.id', 'Customer.legacy'] }),
    ).rejects.toThrow(/primary key of Store/);
  });
});
