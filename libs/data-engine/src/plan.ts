import type { SourceConnector } from './connectors/connector';
import { mapColumn } from './convert/casting';
import { invalid } from './errors';
import { foreignKeyOrder } from './fk-order';
import { pgName, quotePg, targetName, type IdentifierCase } from './identifiers';
import type { CopyPlan, ObjectOutcome, SchemaInfo, SourceObject, TableInfo, TablePlan, ViewPlan } from './model';
import { translateCheckClause, translateSetTrigger, translateViewSql, type ViewScope } from './convert/views';

export interface PlanOptions {
  jobId: string;
  /** PostgreSQL schema the tables are created in. */
  targetSchema: string;
  sourceSchema?: string;
  /** Only these source tables (default: all). */
  tables?: string[];
  exclude?: string[];
  /** Target naming: `preserve` (default, quoted as is), `lower`, or `snake` (InvoiceLine → invoice_line). */
  naming?: IdentifierCase;
  /** An introspection already made (e.g. by the introspect activity); otherwise the source is introspected now. */
  schema?: SchemaInfo;
  /** `table.column` (source names) left out. */
  excludeColumns?: string[];
  /** `table.column` → target type, for conversions CASTING.md documents (spatial columns). */
  columnTypes?: Record<string, string>;
  /** `table.column` → target column name. */
  rename?: Record<string, string>;
}

/** Picks the key that orders and chunks the copy: primary key, else a unique key of NOT NULL columns. */
export function chooseKey(table: TableInfo): { columns: string[]; source: TablePlan['keySource'] } {
  if (table.primaryKey.length) return { columns: table.primaryKey, source: 'primary' };
  const notNull = (c: string) => table.columns.find((x) => x.name === c)?.nullable === false;
  const u = table.uniqueKeys.find((k) => k.columns.every(notNull));
  if (u) return { columns: u.columns, source: 'unique' };
  return { columns: [], source: 'none' };
}

export async function buildCopyPlan(source: SourceConnector, options: PlanOptions): Promise<CopyPlan> {
  if (!options.jobId || !options.targetSchema) throw invalid('A copy plan needs a job ID and a target schema.');
  const naming = options.naming ?? 'preserve';
  const schema = options.schema ?? (await source.introspect({ schema: options.sourceSchema, tables: options.tables }));
  const exclude = new Set(options.exclude ?? []);
  const wanted = schema.tables.filter((t) => !exclude.has(t.ref.name) && (!options.tables?.length || options.tables.includes(t.ref.name)));
  const missing = (options.tables ?? []).filter((n) => !schema.tables.some((t) => t.ref.name === n));
  if (missing.length) throw invalid(`These tables do not exist in the source: ${missing.join(', ')}.`);
  const warnings: string[] = [];
  const { order, cycles } = foreignKeyOrder(
    wanted.map((t) => t.ref.name),
    wanted.flatMap((t) => t.foreignKeys.map((f) => ({ child: t.ref.name, parent: f.references.name }))),
  );
  const dropped = new Set(options.excludeColumns ?? []);
  const dependents: string[] = [];
  const tables = wanted.map((full): TablePlan => {
    const t = withoutDanglingReferences(withoutColumns(full, dropped, dependents), dropped, dependents);
    const key = chooseKey(t);
    if (key.source === 'none')
      warnings.push(`${t.ref.name} has no primary or NOT NULL unique key: it is copied as one chunk (one transaction) and verified as a whole.`);
    const columns = t.columns.map((c) =>
      mapColumn(schema.engine, t, c, naming, { type: options.columnTypes?.[`${t.ref.name}.${c.name}`], rename: options.rename?.[`${t.ref.name}.${c.name}`] }),
    );
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name)) throw invalid(`Naming style "${naming}" maps two columns of ${t.ref.name} to "${c.name}": use naming "preserve".`);
      names.add(c.name);
    }
    return {
      source: t,
      target: { schema: options.targetSchema, name: targetName(t.ref.name, naming) },
      columns,
      keyColumns: key.columns,
      keySource: key.source,
      order: order.indexOf(t.ref.name),
    };
  });
  tables.sort((a, b) => a.order - b.order);
  if (cycles.length) warnings.push(`Foreign-key cycles (${cycles.map((c) => c.join(' → ')).join('; ')}): handled by creating all foreign keys after the data.`);
  const inPlan = new Set(tables.map((t) => t.source.ref.name));
  for (const t of tables) {
    for (const fk of t.source.foreignKeys) {
      if (!inPlan.has(fk.references.name))
        dependents.push(
          `foreign key ${fk.name} of ${t.source.ref.name} (${fk.columns.join(', ')}) → ${fk.references.name}: not created, ${fk.references.name} is not converted`,
        );
    }
  }
  const { views, objects } = accountForObjects(schema, tables, options.targetSchema, naming);
  for (const v of views) if (v.error && / which is not converted/.test(v.error)) dependents.push(`view ${v.sourceName}: not created, ${v.error}`);
  for (const o of schema.objects ?? [])
    if (o.kind === 'trigger' && o.table && !inPlan.has(o.table) && schema.tables.some((t) => t.ref.name === o.table))
      dependents.push(`trigger ${o.name} on ${o.table}: not created, ${o.table} is not converted`);
  return { jobId: options.jobId, sourceEngine: schema.engine, targetSchema: options.targetSchema, tables, cycles, warnings, views, objects, dependents };
}

/**
 * The table without its excluded columns, and without the keys, indexes and foreign keys that use
 * them (each named in `dependents`). A primary-key column cannot be excluded.
 */
function withoutColumns(table: TableInfo, dropped: Set<string>, dependents: string[]): TableInfo {
  const gone = (c: string) => dropped.has(`${table.ref.name}.${c}`);
  if (!table.columns.some((c) => gone(c.name))) return table;
  const pk = table.primaryKey.filter(gone);
  if (pk.length)
    throw invalid(
      `excludeColumns names ${pk.map((c) => `${table.ref.name}.${c}`).join(', ')}, part of the primary key of ${table.ref.name}: exclude the table instead.`,
    );
  const keep = <T extends { name: string; columns: string[] }>(what: string, xs: T[]) =>
    xs.filter((x) => {
      const lost = x.columns.filter(gone);
      if (lost.length) dependents.push(`${what} ${x.name} of ${table.ref.name} (${x.columns.join(', ')}): not created, ${lost.join(', ')} excluded`);
      return !lost.length;
    });
  return {
    ...table,
    columns: table.columns.filter((c) => !gone(c.name)),
    uniqueKeys: keep('unique key', table.uniqueKeys),
    indexes: keep('index', table.indexes),
    foreignKeys: keep('foreign key', table.foreignKeys),
  };
}

/** Foreign keys whose referenced columns are excluded from their table go too. */
function withoutDanglingReferences(table: TableInfo, dropped: Set<string>, dependents: string[]): TableInfo {
  const lost = (fk: TableInfo['foreignKeys'][number]) => fk.referencedColumns.filter((c) => dropped.has(`${fk.references.name}.${c}`));
  if (!table.foreignKeys.some((fk) => lost(fk).length)) return table;
  return {
    ...table,
    foreignKeys: table.foreignKeys.filter((fk) => {
      const l = lost(fk);
      if (l.length)
        dependents.push(
          `foreign key ${fk.name} of ${table.ref.name} → ${fk.references.name} (${fk.referencedColumns.join(', ')}): not created, ${l.join(', ')} excluded`,
        );
      return !l.length;
    }),
  };
}

/** Views translated for the target, and what becomes of every source object beyond tables and columns. */
export function accountForObjects(
  schema: SchemaInfo,
  tables: TablePlan[],
  targetSchema: string,
  naming: IdentifierCase,
): { views: ViewPlan[]; objects: ObjectOutcome[] } {
  const views: ViewPlan[] = [];
  const objects: ObjectOutcome[] = [];
  const scope: ViewScope = {
    targetSchema,
    alias: (a) => targetName(a, naming),
    tables: new Map(tables.map((t) => [t.source.ref.name, { target: t.target.name, columns: new Map(t.columns.map((c) => [c.sourceName, c.name])) }])),
  };
  for (const t of tables) {
    const name = t.source.ref.name;
    for (const c of t.source.checks ?? []) {
      if (c.enforced === false) {
        // PostgreSQL before 18 cannot keep a CHECK that is not enforced, and enforcing it could refuse rows MySQL accepts.
        objects.push({
          object: `${name}.${c.name}`,
          kind: 'CHECK constraint',
          outcome: 'not converted',
          detail: 'NOT ENFORCED in MySQL: existing rows may violate it, so it is not created',
          action:
            'check the rows against it, then add it in PostgreSQL by hand if it should hold (ADD CONSTRAINT … CHECK … NOT VALID enforces it for new rows only)',
          sourceText: c.clause,
        });
        continue;
      }
      try {
        const sql = translateCheckClause(c.clause, name, scope);
        (t.checks ??= []).push({ name: c.name, sql });
        objects.push({ object: `${name}.${c.name}`, kind: 'CHECK constraint', outcome: 'converted', detail: `CHECK (${sql}), added after the data` });
      } catch (err) {
        objects.push({
          object: `${name}.${c.name}`,
          kind: 'CHECK constraint',
          outcome: 'not converted',
          detail: `not translated: ${err instanceof Error ? err.message : String(err)}`,
          action: 'add the constraint in PostgreSQL by hand',
          sourceText: c.clause,
        });
      }
    }
    for (const i of t.source.indexes) {
      if (i.kind === 'fulltext')
        objects.push({
          object: `${name}.${i.name}`,
          kind: 'FULLTEXT index',
          outcome: 'converted with a warning',
          detail: `GIN index over to_tsvector('simple', ${i.columns.join(' || ')}); queries must use @@ to_tsquery instead of MATCH … AGAINST`,
        });
      if (i.kind === 'spatial') {
        const point = i.columns.every((c) => t.columns.find((x) => x.sourceName === c)?.pgType === 'point');
        objects.push(
          point
            ? { object: `${name}.${i.name}`, kind: 'SPATIAL index', outcome: 'converted', detail: 'GiST index on the point column' }
            : {
                object: `${name}.${i.name}`,
                kind: 'SPATIAL index',
                outcome: 'not converted',
                detail: 'its column is kept as WKT text, which has no spatial index',
                action: 'install PostGIS and index ST_GeomFromText(column) if spatial search is needed',
              },
        );
      }
    }
    for (const c of t.columns.filter((c) => c.onUpdateNow)) {
      objects.push({
        object: `${name}.${c.sourceName}`,
        kind: 'ON UPDATE CURRENT_TIMESTAMP',
        outcome: 'converted',
        detail: `BEFORE UPDATE trigger ${onUpdateTriggerName(t)} sets ${c.name} to CURRENT_TIMESTAMP when the row changes and the statement does not set it`,
      });
    }
    for (const c of t.columns.filter((c) => c.sourceRead)) {
      objects.push({ object: `${name}.${c.sourceName}`, kind: 'spatial column', outcome: 'converted with a warning', detail: c.rule });
    }
    for (const g of t.source.generatedColumns ?? []) {
      objects.push({
        object: `${name}.${g.name}`,
        kind: 'generated column',
        outcome: 'not converted',
        detail: 'generated columns are not copied',
        action: `add it after cutover: ALTER TABLE … ADD COLUMN … GENERATED ALWAYS AS (${g.expression}) STORED, translated by hand`,
        sourceText: g.expression,
      });
    }
  }
  for (const o of schema.objects ?? []) {
    if (o.kind === 'view') {
      const target = targetName(o.name, naming);
      try {
        const select = translateViewSql(o.definition, scope);
        const sql = `CREATE OR REPLACE VIEW ${quotePg(targetSchema)}.${quotePg(target)} AS ${select}`;
        views.push({ name: target, sourceName: o.name, sql, sourceText: o.definition });
        objects.push({
          object: o.name,
          kind: 'view',
          outcome: 'converted with a warning',
          detail: `created after the data as ${targetSchema}.${target} (translated SQL; check it before sign-off)`,
        });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        views.push({ name: target, sourceName: o.name, sourceText: o.definition, error });
        objects.push({
          object: o.name,
          kind: 'view',
          outcome: 'not converted',
          detail: `not translated: ${error}`,
          action: 'write the view in PostgreSQL by hand',
          sourceText: o.definition,
        });
      }
    } else if (o.kind === 'trigger' && triggerPlan(o, tables, scope, naming, objects)) {
      continue;
    } else {
      const what = o.kind === 'trigger' ? `trigger on ${o.table}` : o.kind;
      objects.push({
        object: o.name,
        kind: o.kind,
        outcome: 'not converted',
        detail: `MySQL ${what}s are not translated`,
        action: `rewrite the ${what} in PL/pgSQL (or in the application) before the application switches`,
        sourceText: o.definition,
      });
    }
  }
  return { views, objects };
}

/** A BEFORE INSERT/UPDATE trigger that only sets columns of the new row becomes PL/pgSQL; false when it cannot. */
function triggerPlan(o: SourceObject, tables: TablePlan[], scope: ViewScope, naming: IdentifierCase, objects: ObjectOutcome[]): boolean {
  const t = tables.find((x) => x.source.ref.name === o.table);
  if (!t || !o.body || !/^BEFORE$/i.test(o.timing ?? '') || !/^(INSERT|UPDATE)$/i.test(o.event ?? '')) return false;
  let statements: string[];
  try {
    statements = translateSetTrigger(o.body, o.table!, scope);
  } catch (err) {
    objects.push({
      object: o.name,
      kind: 'trigger',
      outcome: 'not converted',
      detail: `not translated: ${err instanceof Error ? err.message : String(err)}`,
      action: `rewrite the trigger on ${o.table} in PL/pgSQL before the application switches`,
      sourceText: o.definition,
    });
    return true;
  }
  const name = pgName(t.target.name, targetName(o.name, naming));
  (t.triggers ??= []).push({ name, sourceName: o.name, timing: 'BEFORE', event: o.event!.toUpperCase(), statements });
  objects.push({
    object: o.name,
    kind: 'trigger',
    outcome: 'converted with a warning',
    detail: `PL/pgSQL trigger ${name} (BEFORE ${o.event!.toUpperCase()}): ${statements.join(' ')}`,
  });
  return true;
}

/** The trigger (and its function) that replays ON UPDATE CURRENT_TIMESTAMP on a target table. */
export function onUpdateTriggerName(table: TablePlan): string {
  return pgName(table.target.name, 'on_update');
}

export function findTable(plan: CopyPlan, name: string): TablePlan {
  const t = plan.tables.find((x) => x.target.name === name || x.source.ref.name === name);
  if (!t) throw invalid(`Table ${name} is not part of copy plan ${plan.jobId}.`);
  return t;
}
