import type { SourceConnector } from './connectors/connector';
import { mapColumn } from './convert/casting';
import { invalid } from './errors';
import { foreignKeyOrder } from './fk-order';
import { targetName, type IdentifierCase } from './identifiers';
import type { CopyPlan, SchemaInfo, TableInfo, TablePlan } from './model';

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
}

/** Picks the key that orders and chunks the copy: primary key, else a unique key of NOT NULL columns. */
export function chooseKey(t: TableInfo): { columns: string[]; source: TablePlan['keySource'] } {
  if (t.primaryKey.length) return { columns: t.primaryKey, source: 'primary' };
  const notNull = (c: string) => t.columns.find((x) => x.name === c)?.nullable === false;
  const u = t.uniqueKeys.find((k) => k.columns.every(notNull));
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
  const tables = wanted.map((t): TablePlan => {
    const key = chooseKey(t);
    if (key.source === 'none') warnings.push(`${t.ref.name} has no primary or NOT NULL unique key: it is copied as one chunk (one transaction) and verified as a whole.`);
    const columns = t.columns.map((c) => mapColumn(schema.engine, t, c, naming));
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
  return { jobId: options.jobId, sourceEngine: schema.engine, targetSchema: options.targetSchema, tables, cycles, warnings };
}

export function findTable(plan: CopyPlan, name: string): TablePlan {
  const t = plan.tables.find((x) => x.target.name === name || x.source.ref.name === name);
  if (!t) throw invalid(`Table ${name} is not part of copy plan ${plan.jobId}.`);
  return t;
}
