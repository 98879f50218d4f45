import type { ClientBase } from 'pg';
import type { OrgSplitParameters } from '@sdo/contracts';
import { foreignKeyOrder } from '@sdo/data-engine';
import { columnList as cols, joinOn, PgConstraint, PgSchema, PgTable, quoteIdent as q, quoteQualified as qq, unsupportedFeatures } from '@sdo/pg-kit';

/**
 * How each table's rows are chosen for the split:
 * - `organisation`: the organisation table, rows whose key is one of the organisations;
 * - `scoped`: tables with an organisation column, rows `WHERE org = ANY(organisations)`;
 * - `dependent`: no organisation column but a foreign key to a scoped/dependent table (document
 *   lines): rows whose parent is chosen;
 * - `master`: everything else (group-wide master data): rows referenced by a chosen row, closed
 *   transitively (foreign-key closure).
 */
export type SplitRole = 'organisation' | 'scoped' | 'dependent' | 'master';

export interface SplitTable {
  table: string;
  role: SplitRole;
  organisationColumn?: string;
  /** How the organisation column was found. */
  source?: 'declared' | 'discovered';
  /** Dependent tables: the foreign keys through which they follow their parents. */
  via?: string[];
  key: string[];
}

export interface SplitPlan {
  schema: string;
  organisations: string[];
  organisationTable: string;
  /** Parents first. */
  tables: SplitTable[];
  cycles: string[][];
}

export function planSplit(schema: PgSchema, p: OrgSplitParameters): { plan: SplitPlan; problems: string[] } {
  const problems: string[] = [];
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const orgTable = byName.get(p.organisationTable);
  const empty: SplitPlan = { schema: schema.schema, organisations: p.organisations, organisationTable: p.organisationTable, tables: [], cycles: [] };
  if (!orgTable) return { plan: empty, problems: [`parameters.organisationTable: table "${p.organisationTable}" does not exist in schema ${schema.schema}.`] };
  if (orgTable.primaryKey.length !== 1)
    return {
      plan: empty,
      problems: [`parameters.organisationTable: table "${p.organisationTable}" needs a single-column primary key to identify organisations.`],
    };

  const declared = new Map<string, string>();
  for (const d of p.organisationColumns ?? []) {
    const t = byName.get(d.table);
    if (!t) problems.push(`parameters.organisationColumns: table "${d.table}" does not exist in schema ${schema.schema}.`);
    else if (!t.columns.some((c) => c.name === d.column)) problems.push(`parameters.organisationColumns: table "${d.table}" has no column "${d.column}".`);
    else declared.set(d.table, d.column);
  }

  const refersTo = (fk: PgConstraint, t: string) => fk.refSchema === schema.schema && fk.refTable === t;
  const roles = new Map<string, SplitTable>();
  roles.set(orgTable.name, { table: orgTable.name, role: 'organisation', key: orgTable.primaryKey });
  for (const t of schema.tables) {
    if (t.name === orgTable.name) continue;
    const column = declared.get(t.name);
    if (column) {
      roles.set(t.name, { table: t.name, role: 'scoped', organisationColumn: column, source: 'declared', key: t.primaryKey });
      continue;
    }
    const toOrg = t.foreignKeys.filter((fk) => refersTo(fk, orgTable.name) && fk.columns.length === 1);
    if (toOrg.length > 1) {
      problems.push(
        `Table ${t.name} has ${toOrg.length} foreign keys to ${orgTable.name} (${toOrg.map((f) => f.columns[0]).join(', ')}); declare its organisation column in parameters.organisationColumns.`,
      );
    } else if (toOrg.length === 1) {
      roles.set(t.name, { table: t.name, role: 'scoped', organisationColumn: toOrg[0]!.columns[0], source: 'discovered', key: t.primaryKey });
    }
  }
  // Dependents: follow a chosen parent, to any depth (lines of lines).
  for (let changed = true; changed;) {
    changed = false;
    for (const t of schema.tables) {
      if (roles.has(t.name)) continue;
      const via = t.foreignKeys.filter((fk) => {
        const parent = fk.refTable ? roles.get(fk.refTable) : undefined;
        return refersTo(fk, fk.refTable ?? '') && parent && (parent.role === 'scoped' || parent.role === 'dependent');
      });
      if (via.length) {
        roles.set(t.name, { table: t.name, role: 'dependent', via: via.map((fk) => fk.name), key: t.primaryKey });
        changed = true;
      }
    }
  }
  for (const t of schema.tables) if (!roles.has(t.name)) roles.set(t.name, { table: t.name, role: 'master', key: t.primaryKey });

  problems.push(
    ...unsupportedFeatures(
      schema,
      schema.tables.map((t) => t.name),
    ),
  );
  const edges = schema.tables.flatMap((t) =>
    t.foreignKeys.filter((fk) => fk.refTable && fk.refTable !== t.name).map((fk) => ({ child: t.name, parent: fk.refTable! })),
  );
  const { order, cycles } = foreignKeyOrder(
    schema.tables.map((t) => t.name),
    edges,
  );
  return { plan: { ...empty, tables: order.map((n) => roles.get(n)!), cycles }, problems };
}

export interface Selection {
  /** Chosen rows per table (when asked for). */
  counts: Record<string, number>;
  /** `SELECT` of the chosen rows of a table. */
  select(table: string, columns: string[]): string;
  /** Selected rows that point outside the selection through a foreign key (e.g. to another organisation's rows). */
  dangling: { table: string; foreignKey: string; references: string; rows: number }[];
}

const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * The split's selection as SQL predicates, evaluated by PostgreSQL as semi-joins: organisation and
 * scoped tables by their organisation column, dependents through their parents, master data through
 * every chosen row that references it (foreign-key closure, recursively). Literals only, so the
 * same text works inside `COPY (SELECT …)`. Closure through a cycle of master tables is not
 * followed; the dangling-reference check reports what it would have needed.
 */
export function selectionPredicates(schema: PgSchema, plan: SplitPlan): (table: string, alias: string) => string {
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const roles = new Map(plan.tables.map((t) => [t.table, t]));
  const orgs = `ARRAY[${plan.organisations.map(literal).join(', ')}]::text[]`;
  const rel = (name: string) => qq(plan.schema, name);
  let n = 0;
  const pred = (table: string, alias: string, visiting: Set<string>): string => {
    const t = roles.get(table)!;
    if (t.role === 'organisation') return `${alias}.${q(t.key[0]!)}::text = ANY(${orgs})`;
    if (t.role === 'scoped') return `${alias}.${q(t.organisationColumn!)}::text = ANY(${orgs})`;
    if (t.role === 'dependent') {
      const fks = tables.get(table)!.foreignKeys.filter((fk) => t.via!.includes(fk.name));
      return `(${fks
        .map((fk) => {
          const a = `p${n++}`;
          return `EXISTS (SELECT 1 FROM ${rel(fk.refTable!)} ${a} WHERE ${joinOn(a, fk.refColumns, alias, fk.columns)} AND ${pred(fk.refTable!, a, visiting)})`;
        })
        .join(' OR ')})`;
    }
    const next = new Set(visiting).add(table);
    const branches: string[] = [];
    for (const child of schema.tables) {
      if (next.has(child.name)) continue;
      for (const fk of child.foreignKeys.filter((f) => f.refTable === table && f.refSchema === plan.schema)) {
        const a = `c${n++}`;
        branches.push(`EXISTS (SELECT 1 FROM ${rel(child.name)} ${a} WHERE ${joinOn(a, fk.columns, alias, fk.refColumns)} AND ${pred(child.name, a, next)})`);
      }
    }
    return branches.length ? `(${branches.join(' OR ')})` : 'false';
  };
  return (table, alias) => pred(table, alias, new Set());
}

/**
 * Sizes the selection and finds references that would dangle in the new database. Run it inside a
 * REPEATABLE READ transaction so every table is read from the same snapshot.
 */
export async function materialiseSelection(
  client: ClientBase,
  schema: PgSchema,
  plan: SplitPlan,
  options: { counts?: boolean; dangling?: boolean } = {},
): Promise<Selection> {
  const pred = selectionPredicates(schema, plan);
  const rel = (name: string) => qq(plan.schema, name);
  const counts: Record<string, number> = {};
  if (options.counts !== false) {
    for (const t of plan.tables)
      counts[t.table] = Number((await client.query(`SELECT count(*) AS n FROM ${rel(t.table)} t WHERE ${pred(t.table, 't')}`)).rows[0].n);
  }
  const dangling: Selection['dangling'] = [];
  if (options.dangling !== false) {
    for (const child of schema.tables) {
      for (const fk of child.foreignKeys) {
        const notNull = fk.columns.map((col) => `ch.${q(col)} IS NOT NULL`).join(' AND ');
        const r = await client.query(
          `SELECT count(*) AS n FROM ${rel(child.name)} ch WHERE ${pred(child.name, 'ch')} AND ${notNull}
             AND NOT EXISTS (SELECT 1 FROM ${rel(fk.refTable!)} pa WHERE ${joinOn('pa', fk.refColumns, 'ch', fk.columns)} AND ${pred(fk.refTable!, 'pa')})`,
        );
        const rows = Number(r.rows[0].n);
        if (rows) dangling.push({ table: child.name, foreignKey: fk.name, references: fk.refTable!, rows });
      }
    }
  }
  return { counts, dangling, select: (table, columns) => `SELECT ${cols(columns, 't')} FROM ${rel(table)} t WHERE ${pred(table, 't')}` };
}

export function describeDangling(d: Selection['dangling'][number]): string {
  return `${d.rows} row(s) of ${d.table} chosen for the split reference ${d.references} rows outside it through ${d.foreignKey} (for example another organisation's rows); the new database could not keep that foreign key. Correct those rows or declare organisation columns that keep them together.`;
}

export type { PgTable };
