import type { Client } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { connect, TargetConnection } from './connection';
import { copyableColumns, copyRows, createSequenceDdl, createTableDdl, PgSchema, readSchema } from './catalog';
import { quoteIdent as q, quoteQualified as qq } from './identifiers';

/**
 * Copies a database that is in use — `CREATE DATABASE … TEMPLATE` refuses while customers hold
 * sessions — through SQL: schema from the catalog, rows with COPY, all read in one REPEATABLE READ
 * snapshot of the source, so open transactions and writes neither block it nor leak into it, and no
 * session is disconnected. Verified afterwards: every table's row count and digest equal the snapshot's.
 * Extensions are created in the copy as such. What the catalog reader cannot recreate faithfully (partitioned or foreign tables,
 * materialized views, domains, rules, row policies…) is refused before anything is created.
 */

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;
/** Objects an extension owns come with `CREATE EXTENSION`, not one by one. */
const notExtensionMember = (oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.objid = ${oid} AND x.deptype = 'e')`;

export interface LogicalCloneResult {
  tables: number;
  rows: number;
}

/** What the source holds that a logical copy does not carry; empty when it can be copied. */
export async function logicalCloneObstacles(c: Client): Promise<string[]> {
  const r = await c.query<{ l: string }>(`
    SELECT format('%s %s.%s', CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'materialized view' END, n.nspname, c.relname)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} AND c.relkind IN ('p', 'f', 'm') AND ${notExtensionMember('c.oid')}
    UNION ALL
    SELECT format('table %s.%s (inherits or is a partition)', n.nspname, c.relname)
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    UNION ALL
    SELECT format('type %s.%s', n.nspname, t.typname) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE ${USER_SCHEMAS} AND ${notExtensionMember('t.oid')}
       AND (t.typtype IN ('d', 'r', 'm') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
    UNION ALL
    SELECT format('rule %s.%s', schemaname, rulename) FROM pg_rules WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT format('row policy %s.%s.%s', schemaname, tablename, policyname) FROM pg_policies
    UNION ALL
    SELECT format('%s %s.%s', CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END, n.nspname, p.proname)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS} AND p.prokind IN ('a', 'w') AND ${notExtensionMember('p.oid')}
    UNION ALL
    SELECT 'large objects' WHERE EXISTS (SELECT 1 FROM pg_largeobject_metadata)
    ORDER BY 1`);
  return r.rows.map((x) => x.l);
}

/**
 * Creates `targetName` (which must not exist yet: the caller creates it empty) as a copy of
 * `conn.database` without disconnecting anyone. `targetName` must be an empty database on the same server.
 */
export async function copyDatabaseLogically(conn: TargetConnection, targetName: string): Promise<LogicalCloneResult> {
  const source = await connect(conn);
  const target = await connect(conn, { database: targetName });
  try {
    // One snapshot for schema and rows; READ ONLY so nothing on the customer's database can change.
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const obstacles = await logicalCloneObstacles(source);
    if (obstacles.length) {
      throw new DeliveryError(
        DeliveryFailureType.Unreachable,
        `Database "${conn.database}" is in use by other sessions, so it cannot be copied as a template, and it holds objects the online copy does not carry: ${obstacles.join(', ')}. Retry when it is idle.`,
        { obstacles },
      );
    }
    const schemas = (await source.query<{ name: string }>(`SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_SCHEMAS} ORDER BY 1`)).rows.map(
      (r) => r.name,
    );
    const extensionOwned = new Set(
      (
        await source.query<{ name: string }>(
          `SELECT format('%s.%s', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE ${USER_SCHEMAS} AND NOT ${notExtensionMember('c.oid')}`,
        )
      ).rows.map((r) => r.name),
    );
    const extensions = (
      await source.query<{ name: string; schema: string; version: string }>(
        `SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname <> 'plpgsql' ORDER BY e.oid`,
      )
    ).rows;
    const read: PgSchema[] = [];
    for (const s of schemas) {
      const one = await readSchema(source, s);
      const mine = (name: string) => !extensionOwned.has(`${s}.${name}`);
      read.push({ ...one, tables: one.tables.filter((t) => mine(t.name)), sequences: one.sequences.filter((q) => mine(q.name)) });
    }
    const extra = await readRoutinesViewsTriggers(source);

    await target.query('SET check_function_bodies = off');
    for (const s of schemas) await target.query(`CREATE SCHEMA IF NOT EXISTS ${q(s)}`);
    for (const e of extensions) {
      try {
        await target.query(`CREATE EXTENSION IF NOT EXISTS ${q(e.name)} WITH SCHEMA ${q(e.schema)} VERSION ${target.escapeLiteral(e.version)}`);
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new DeliveryError(
          code === '42501' ? DeliveryFailureType.InsufficientPrivileges : DeliveryFailureType.Unreachable,
          `Database "${conn.database}" is in use, and its online copy needs extension ${e.name} ${e.version}, which could not be created in the copy: ${(err as Error).message}${code ? ` (${code})` : ''}.`,
          { sqlState: code },
        );
      }
    }
    for (const e of extra.enums) await target.query(`CREATE TYPE ${qq(e.schema, e.name)} AS ENUM (${e.labels.map((l) => target.escapeLiteral(l)).join(', ')})`);
    for (const s of read) {
      for (const seq of s.sequences.filter((x) => x.ownership !== 'i')) await target.query(createSequenceDdl(s.schema, seq));
    }
    // Functions before tables: defaults and checks may call them.
    for (const f of extra.functions) await target.query(f);
    let tables = 0;
    let rows = 0;
    for (const s of read) {
      await target.query(`SELECT set_config('search_path', $1, false)`, [q(s.schema)]);
      for (const t of s.tables) {
        await target.query(createTableDdl(s.schema, t));
        const columns = copyableColumns(t);
        const copied = await copyRows(source, `SELECT ${columns.map(q).join(', ')} FROM ${qq(s.schema, t.name)}`, target, s.schema, t.name, columns);
        const expected = await digest(source, s.schema, t.name);
        const got = await digest(target, s.schema, t.name);
        if (copied !== expected.rows || got.rows !== expected.rows || got.hash !== expected.hash) {
          throw new DeliveryError(
            DeliveryFailureType.Unreachable,
            `The online copy of table ${s.schema}.${t.name} does not match its source (${got.rows} of ${expected.rows} rows); it will be retried.`,
          );
        }
        tables++;
        rows += copied;
      }
      for (const seq of s.sequences) {
        if (seq.ownership === 'i') {
          // The identity sequence got the default name; give it the source's.
          const made = await target.query<{ name: string }>('SELECT c.relname AS name FROM pg_class c WHERE c.oid = pg_get_serial_sequence($1, $2)::regclass', [
            qq(s.schema, seq.ownerTable!),
            seq.ownerColumn,
          ]);
          if (made.rows[0]!.name !== seq.name) await target.query(`ALTER SEQUENCE ${qq(s.schema, made.rows[0]!.name)} RENAME TO ${q(seq.name)}`);
        }
        const seqName = qq(s.schema, seq.name);
        if (seq.ownership === 'i') {
          await target.query(
            `ALTER SEQUENCE ${seqName} INCREMENT BY ${seq.increment} MINVALUE ${seq.min} MAXVALUE ${seq.max} START WITH ${seq.start}${seq.cycle ? ' CYCLE' : ' NO CYCLE'}`,
          );
        }
        if (seq.ownership === 'a') await target.query(`ALTER SEQUENCE ${seqName} OWNED BY ${qq(s.schema, seq.ownerTable!)}.${q(seq.ownerColumn!)}`);
        if (seq.lastValue !== null) await target.query('SELECT setval($1::regclass, $2::bigint, true)', [seqName, seq.lastValue]);
      }
      for (const t of s.tables) for (const index of t.indexes) await target.query(index);
    }
    for (const s of read) {
      await target.query(`SELECT set_config('search_path', $1, false)`, [q(s.schema)]);
      for (const t of s.tables) {
        for (const fk of t.foreignKeys) await target.query(`ALTER TABLE ${qq(s.schema, t.name)} ADD CONSTRAINT ${q(fk.name)} ${fk.definition}`);
      }
    }
    await target.query(`SELECT set_config('search_path', '', false)`);
    await createViews(target, extra.views);
    for (const trigger of extra.triggers) await target.query(trigger);
    await source.query('COMMIT');
    return { tables, rows };
  } finally {
    await source.end().catch(() => undefined);
    await target.end().catch(() => undefined);
  }
}

interface RoutinesViewsTriggers {
  enums: { schema: string; name: string; labels: string[] }[];
  functions: string[];
  views: { schema: string; name: string; sql: string }[];
  triggers: string[];
}

async function readRoutinesViewsTriggers(c: Client): Promise<RoutinesViewsTriggers> {
  // Empty search path: every definition comes out schema-qualified.
  await c.query(`SELECT set_config('search_path', '', false)`);
  const enums = await c.query<{ schema: string; name: string; labels: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid WHERE ${USER_SCHEMAS} AND ${notExtensionMember('t.oid')}
      GROUP BY n.nspname, t.typname ORDER BY 1, 2`,
  );
  const functions = await c.query<{ def: string }>(
    `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_SCHEMAS} AND p.prokind IN ('f', 'p') AND ${notExtensionMember('p.oid')} ORDER BY p.oid`,
  );
  const views = await c.query<{ schema: string; name: string; sql: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, pg_get_viewdef(c.oid) AS sql FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMAS} AND c.relkind = 'v' AND ${notExtensionMember('c.oid')} ORDER BY c.oid`,
  );
  const triggers = await c.query<{ def: string }>(
    `SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMAS} AND NOT t.tgisinternal ORDER BY t.oid`,
  );
  return {
    enums: enums.rows,
    functions: functions.rows.map((r) => r.def),
    views: views.rows,
    triggers: triggers.rows.map((r) => r.def),
  };
}

/** Views in creation order of the source; one that names a later view is retried after it. */
async function createViews(c: Client, views: RoutinesViewsTriggers['views']): Promise<void> {
  let pending = views;
  while (pending.length) {
    const failed: typeof pending = [];
    let lastError: unknown;
    for (const v of pending) {
      try {
        await c.query(`CREATE VIEW ${qq(v.schema, v.name)} AS ${v.sql}`);
      } catch (err) {
        failed.push(v);
        lastError = err;
      }
    }
    if (failed.length === pending.length) throw lastError;
    pending = failed;
  }
}

async function digest(c: Client, schema: string, table: string): Promise<{ rows: number; hash: string }> {
  const r = await c.query<{ rows: string; hash: string | null }>(
    `SELECT count(*)::text AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS hash FROM ${qq(schema, table)} t`,
  );
  return { rows: Number(r.rows[0]!.rows), hash: r.rows[0]!.hash ?? '' };
}
