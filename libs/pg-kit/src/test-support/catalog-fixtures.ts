import type { PgConstraint, PgTable } from '../catalog';

/** Schemas as `readSchema` describes them, for the unit tests of what plans over them. */
export function foreignKey(name: string, columns: string[], refTable: string, refColumns = ['id'], refSchema = 'erp'): PgConstraint {
  return {
    name,
    kind: 'f',
    definition: `FOREIGN KEY (${columns.join(', ')}) REFERENCES ${refTable}(${refColumns.join(', ')})`,
    columns,
    refSchema,
    refTable,
    refColumns,
  };
}

/** A table of nullable columns, `integer` unless `types` says otherwise, keyed by `id`. */
export function pgTable(name: string, columns: string[], foreignKeys: PgConstraint[] = [], types: Record<string, string> = {}): PgTable {
  return {
    name,
    columns: columns.map((c) => ({
      name: c,
      type: types[c] ?? 'integer',
      notNull: false,
      defaultExpr: null,
      identity: '',
      generatedExpr: null,
      typeSchema: 'pg_catalog',
    })),
    primaryKey: ['id'],
    constraints: [],
    foreignKeys,
    indexes: [],
  };
}
