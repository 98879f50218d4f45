import type { ClientBase } from 'pg';
import type { OrgSplitParameters } from '@sdo/contracts';
import { foreignKeyOrder } from '@sdo/data-engine';
import { cols, joinOn, PgConstraint, PgSchema, PgTable, q, qq, unsupportedFeatures } from './pg-catalog';

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
  if (orgTable.primaryKey.length !== 1) return { plan: empty, problems: [`parameters.organisationTable: table "${p.organisationTable}" needs a single-column primary key to identify organisations.`] };

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
      problems.push(`Table ${t.name} has ${toOrg.length} foreign keys to ${orgTable.name} (${toOrg.map((f) => f.columns[0]).join(', ')}); declare its organisation column in parameters.organisationColumns.`);
    } else if (toOrg.length === 1) {
      roles.set(t.name, { table: t.name, role: 'scoped', organisationColumn: toOrg[0]!.columns[0], source: 'discovered', key: t.primaryKey });
    }
  }
  // Dependents: follow a chosen parent, to any depth (lines of lines).
  for (let changed = true; changed; ) {
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

  problems.push(...unsupportedFeatures(schema, schema.tables.map((t) => t.name)));
  const edges = schema.tables.flatMap((t) => t.foreignKeys.filter((fk) => fk.refTable && fk.refTable !== t.name).map((fk) => ({ child: t.name, parent: fk.refTable! })));
  const { order, cycles } = foreignKeyOrder(
    schema.tables.map((t) => t.name),
    edges,
  );
  return { plan: { ...empty, tables: order.map((n) => roles.get(n)!), cycles }, problems };
}

/** Name of the temporary key table holding the chosen rows of table number `i`. */
const sel = (i: number) => `pg_temp.sdo_sel_${i}`;

export interface Selection {
  /** Chosen rows per table. */
  counts: Record<string, number>;
  /** `SELECT` of the chosen rows of a table, in the source session that materialised them. */
  select(table: string, columns: string[]): string;
  /** Selected rows that point outside the selection through a foreign key (e.g. to another organisation's rows). */
  dangling: { table: string; foreignKey: string; references: string; rows: number }[];
}

/**
 * Materialises the chosen keys of every table into temporary tables of the session (run it inside
 * a REPEATABLE READ transaction so every table sees the same snapshot). The master-data closure is
 * iterated until no pass adds a row.
 */
export async function materialiseSelection(c: ClientBase, schema: PgSchema, plan: SplitPlan): Promise<Selection> {
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const index = new Map(plan.tables.map((t, i) => [t.table, i]));
  const rel = (name: string) => qq(plan.schema, name);
  const keyOf = (name: string) => plan.tables[index.get(name)!]!.key;

  for (const t of plan.tables) {
    const i = index.get(t.table)!;
    await c.query(`DROP TABLE IF EXISTS ${sel(i)}`);
    await c.query(`CREATE TEMP TABLE ${sel(i).slice('pg_temp.'.length)} AS SELECT ${cols(t.key)} FROM ${rel(t.table)} WITH NO DATA`);
    await c.query(`ALTER TABLE ${sel(i)} ADD PRIMARY KEY (${cols(t.key)})`);
  }
  const chosen = (name: string, alias: string) => `EXISTS (SELECT 1 FROM ${sel(index.get(name)!)} s WHERE ${joinOn('s', keyOf(name), alias, keyOf(name))})`;
  const addMatching = async (name: string, where: string, params: unknown[] = []) =>
    (await c.query(`INSERT INTO ${sel(index.get(name)!)} SELECT ${cols(keyOf(name), 't')} FROM ${rel(name)} t WHERE (${where}) AND NOT ${chosen(name, 't')}`, params)).rowCount ?? 0;

  for (const t of plan.tables) {
    if (t.role === 'organisation') await addMatching(t.table, `t.${q(t.key[0]!)}::text = ANY($1::text[])`, [plan.organisations]);
    if (t.role === 'scoped') await addMatching(t.table, `t.${q(t.organisationColumn!)}::text = ANY($1::text[])`, [plan.organisations]);
  }
  const parentMatch = (fk: PgConstraint, childAlias: string) =>
    `EXISTS (SELECT 1 FROM ${rel(fk.refTable!)} p WHERE ${joinOn('p', fk.refColumns, childAlias, fk.columns)} AND ${chosen(fk.refTable!, 'p')})`;
  // Dependents in parent-first order; repeated so a dependent whose parent comes later still fills.
  const dependents = plan.tables.filter((t) => t.role === 'dependent');
  for (let pass = 0, added = 1; added > 0 && pass <= dependents.length; pass++) {
    added = 0;
    for (const t of dependents) {
      const fks = tables.get(t.table)!.foreignKeys.filter((fk) => t.via!.includes(fk.name));
      added += await addMatching(t.table, fks.map((fk) => parentMatch(fk, 't')).join(' OR '));
    }
  }
  // Master data: rows referenced by any chosen row, until closed.
  const masters = plan.tables.filter((t) => t.role === 'master');
  for (let added = 1; added > 0; ) {
    added = 0;
    for (const m of masters) {
      for (const child of schema.tables) {
        for (const fk of child.foreignKeys.filter((f) => f.refTable === m.table && f.refSchema === plan.schema)) {
          added += await addMatching(
            m.table,
            `EXISTS (SELECT 1 FROM ${rel(child.name)} ch WHERE ${joinOn('ch', fk.columns, 't', fk.refColumns)} AND ${chosen(child.name, 'ch')})`,
          );
        }
      }
    }
  }

  const counts: Record<string, number> = {};
  for (const t of plan.tables) counts[t.table] = Number((await c.query(`SELECT count(*) AS n FROM ${sel(index.get(t.table)!)}`)).rows[0].n);

  const dangling: Selection['dangling'] = [];
  for (const child of schema.tables) {
    for (const fk of child.foreignKeys) {
      const notNull = fk.columns.map((col) => `ch.${q(col)} IS NOT NULL`).join(' AND ');
      const r = await c.query(
        `SELECT count(*) AS n FROM ${rel(child.name)} ch WHERE ${chosen(child.name, 'ch')} AND ${notNull} AND NOT ${parentMatch(fk, 'ch')}`,
      );
      const rows = Number(r.rows[0].n);
      if (rows) dangling.push({ table: child.name, foreignKey: fk.name, references: fk.refTable!, rows });
    }
  }

  return {
    counts,
    dangling,
    select: (table, columns) => `SELECT ${cols(columns, 't')} FROM ${rel(table)} t WHERE ${chosen(table, 't')}`,
  };
}

export function describeDangling(d: Selection['dangling'][number]): string {
  return `${d.rows} row(s) of ${d.table} chosen for the split reference ${d.references} rows outside it through ${d.foreignKey} (for example another organisation's rows); the new database could not keep that foreign key. Correct those rows or declare organisation columns that keep them together.`;
}

export type { PgTable };
