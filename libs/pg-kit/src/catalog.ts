import { pipeline } from 'node:stream/promises';
import type { Client, ClientBase } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { quoteIdent as q, quoteQualified as qq } from './identifiers';

/**
 * What a service needs to know of a PostgreSQL schema (org split, carryover), read from the catalog, and
 * the DDL to recreate its tables elsewhere. Definitions come from `pg_get_*def` with the schema as
 * the search path, so they are unqualified and replay in a schema of the same name.
 */

export interface PgColumn {
  name: string;
  type: string;
  notNull: boolean;
  defaultExpr: string | null;
  identity: '' | 'a' | 'd';
  generatedExpr: string | null;
  /** Schema of the column's type: anything but pg_catalog is a user-defined type. */
  typeSchema: string;
}

export interface PgConstraint {
  name: string;
  kind: 'p' | 'u' | 'c' | 'f';
  definition: string;
  columns: string[];
  refSchema: string | null;
  refTable: string | null;
  refColumns: string[];
}

export interface PgTable {
  name: string;
  columns: PgColumn[];
  primaryKey: string[];
  constraints: PgConstraint[];
  foreignKeys: PgConstraint[];
  indexes: string[];
}

export interface PgSequence {
  name: string;
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cycle: boolean;
  /** 'i' = identity of a column, 'a' = owned by a column (serial), null = free-standing. */
  ownership: 'i' | 'a' | null;
  ownerTable: string | null;
  ownerColumn: string | null;
  lastValue: string | null;
}

export interface PgSchema {
  schema: string;
  tables: PgTable[];
  sequences: PgSequence[];
}

export async function readSchema(client: ClientBase, schema: string): Promise<PgSchema> {
  await client.query(`SELECT set_config('search_path', $1, false)`, [q(schema)]);
  const rels = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
    [schema],
  );
  const oids = rels.rows.map((r) => r.oid);
  const cols = await client.query<{
    rel: number;
    name: string;
    type: string;
    notnull: boolean;
    def: string | null;
    identity: '' | 'a' | 'd';
    generated: string;
    typeschema: string;
  }>(
    `SELECT a.attrelid::int AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated, tn.nspname AS typeschema
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const cons = await client.query<{
    rel: number;
    name: string;
    kind: PgConstraint['kind'];
    def: string;
    cols: string[];
    refschema: string | null;
    reftable: string | null;
    refcols: string[];
  }>(
    `SELECT k.conrelid::int AS rel, k.conname AS name, k.contype::text AS kind, pg_get_constraintdef(k.oid) AS def,
            ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS cols,
            rn.nspname::text AS refschema, rc.relname::text AS reftable,
            ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS refcols
       FROM pg_constraint k LEFT JOIN pg_class rc ON rc.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE k.conrelid = ANY($1::oid[]) AND k.contype IN ('p', 'u', 'c', 'f') ORDER BY k.conname`,
    [oids],
  );
  const idx = await client.query<{ rel: number; def: string }>(
    `SELECT i.indrelid::int AS rel, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
      WHERE i.indrelid = ANY($1::oid[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
      ORDER BY 2`,
    [oids],
  );
  const seqs = await client.query<{
    name: string;
    type: string;
    start: string;
    inc: string;
    min: string;
    max: string;
    cycle: boolean;
    dep: 'i' | 'a' | null;
    tbl: string | null;
    col: string | null;
    last: string | null;
  }>(
    `SELECT s.relname AS name, format_type(sq.seqtypid, NULL) AS type, sq.seqstart::text AS start, sq.seqincrement::text AS inc,
            sq.seqmin::text AS min, sq.seqmax::text AS max, sq.seqcycle AS cycle, dep.deptype::text AS dep, tbl.relname::text AS tbl,
            att.attname::text AS col, ps.last_value::text AS last
       FROM pg_sequence sq JOIN pg_class s ON s.oid = sq.seqrelid JOIN pg_namespace n ON n.oid = s.relnamespace
       LEFT JOIN pg_depend dep ON dep.objid = s.oid AND dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
       LEFT JOIN pg_class tbl ON tbl.oid = dep.refobjid
       LEFT JOIN pg_attribute att ON att.attrelid = dep.refobjid AND att.attnum = dep.refobjsubid
       LEFT JOIN pg_sequences ps ON ps.schemaname = n.nspname AND ps.sequencename = s.relname
      WHERE n.nspname = $1 ORDER BY s.relname`,
    [schema],
  );
  const tables = rels.rows.map<PgTable>((r) => {
    const constraints = cons.rows
      .filter((k) => k.rel === r.oid)
      .map<PgConstraint>((k) => ({
        name: k.name,
        kind: k.kind,
        definition: k.def,
        columns: k.cols,
        refSchema: k.refschema,
        refTable: k.reftable,
        refColumns: k.refcols,
      }));
    return {
      name: r.name,
      columns: cols.rows
        .filter((col) => col.rel === r.oid)
        .map((col) => ({
          name: col.name,
          type: col.type,
          notNull: col.notnull,
          defaultExpr: col.generated ? null : col.def,
          identity: col.identity,
          generatedExpr: col.generated ? col.def : null,
          typeSchema: col.typeschema,
        })),
      primaryKey: constraints.find((k) => k.kind === 'p')?.columns ?? [],
      constraints: constraints.filter((k) => k.kind !== 'f'),
      foreignKeys: constraints.filter((k) => k.kind === 'f'),
      indexes: idx.rows.filter((i) => i.rel === r.oid).map((i) => i.def),
    };
  });
  const sequences = seqs.rows.map<PgSequence>((s) => ({
    name: s.name,
    dataType: s.type,
    start: s.start,
    increment: s.inc,
    min: s.min,
    max: s.max,
    cycle: s.cycle,
    ownership: s.dep,
    ownerTable: s.tbl,
    ownerColumn: s.col,
    lastValue: s.last,
  }));
  return { schema, tables, sequences };
}

/** Problems that stop a table from being recreated by these DDL helpers. */
export function unsupportedFeatures(schema: PgSchema, tables: string[]): string[] {
  const problems: string[] = [];
  for (const t of schema.tables.filter((x) => tables.includes(x.name))) {
    for (const col of t.columns) {
      if (col.typeSchema !== 'pg_catalog')
        problems.push(`Column ${t.name}.${col.name} has the user-defined type ${col.type}, which is not carried over; convert it to a built-in type first.`);
    }
    if (!t.primaryKey.length) problems.push(`Table ${t.name} has no primary key; rows cannot be selected, verified or purged by key. Add a primary key first.`);
    for (const fk of t.foreignKeys) {
      if (fk.refSchema !== schema.schema)
        problems.push(`Foreign key ${t.name}.${fk.name} references ${fk.refSchema}.${fk.refTable} outside schema ${schema.schema}.`);
    }
  }
  return problems;
}

/** `a, b` or `t.a, t.b`, quoted. */
export const columnList = (names: string[], alias?: string) => names.map((n) => (alias ? `${alias}.${q(n)}` : q(n))).join(', ');
/** One digest of a row set (`alias` over its rows), ordered by `key`: equal digests, equal rows. */
export const rowsDigest = (alias: string, key: string[]) => `md5(string_agg(md5(${alias}::text), '' ORDER BY ${columnList(key, alias)}))`;
/** `a.x = b.x AND a.y = b.y` over two column lists. */
export const joinOn = (left: string, leftCols: string[], right: string, rightCols: string[]) =>
  leftCols.map((c, i) => `${left}.${q(c)} = ${right}.${q(rightCols[i]!)}`).join(' AND ');

export function columnDdl(col: PgColumn): string {
  let ddl = `${q(col.name)} ${col.type}`;
  if (col.identity) ddl += ` GENERATED ${col.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
  if (col.generatedExpr) ddl += ` GENERATED ALWAYS AS (${col.generatedExpr}) STORED`;
  if (col.defaultExpr) ddl += ` DEFAULT ${col.defaultExpr}`;
  if (col.notNull) ddl += ' NOT NULL';
  return ddl;
}

/** CREATE TABLE with columns, primary key, unique and check constraints (foreign keys come later). */
export function createTableDdl(schema: string, table: PgTable, withConstraints = true): string {
  const parts = table.columns.map(columnDdl);
  if (withConstraints) for (const k of table.constraints) parts.push(`CONSTRAINT ${q(k.name)} ${k.definition}`);
  else if (table.primaryKey.length) parts.push(`PRIMARY KEY (${columnList(table.primaryKey)})`);
  return `CREATE TABLE ${qq(schema, table.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

/** Free-standing and serial sequences; identity sequences come with their column. */
export function createSequenceDdl(schema: string, s: PgSequence): string {
  return `CREATE SEQUENCE ${qq(schema, s.name)} AS ${s.dataType} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start}${s.cycle ? ' CYCLE' : ''}`;
}

/** Columns a COPY can write (generated columns are computed by the target). */
export const copyableColumns = (t: PgTable) => t.columns.filter((c) => !c.generatedExpr).map((c) => c.name);

/**
 * Streams `selectSql` (run on `from`) into `table` of `to` with COPY — set-based, rows never held
 * in memory. Returns the row count the target accepted.
 */
export async function copyRows(from: Client, selectSql: string, to: Client, intoSchema: string, table: string, columns: string[]): Promise<number> {
  const out = from.query(copyTo(`COPY (${selectSql}) TO STDOUT`));
  const into = to.query(copyFrom(`COPY ${qq(intoSchema, table)} (${columnList(columns)}) FROM STDIN`));
  await pipeline(out, into);
  return Number((into as unknown as { rowCount?: number }).rowCount ?? 0);
}

/**
 * What of a schema the table-level helpers above do not recreate (views, materialized views,
 * functions and procedures, triggers, rules, row policies), one line per object, sorted: a service
 * that copies tables only lists these in its plan, and the manager confirms they are not created.
 */
export async function objectsBeyondTables(c: ClientBase, schema: string): Promise<string[]> {
  const r = await c.query<{ l: string }>(
    `SELECT format('%s %s', CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END, c.relname) AS l
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
     UNION ALL
     SELECT format('%s %s(%s)', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END, p.proname, pg_get_function_identity_arguments(p.oid))
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
     UNION ALL
     SELECT format('trigger %s on %s', t.tgname, c.relname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal
     UNION ALL
     SELECT format('rule %s on %s', rulename, tablename) FROM pg_rules WHERE schemaname = $1
     UNION ALL
     SELECT format('row policy %s on %s', policyname, tablename) FROM pg_policies WHERE schemaname = $1
     ORDER BY 1`,
    [schema],
  );
  return r.rows.map((x) => x.l);
}
