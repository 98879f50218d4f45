import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { quoteQualified } from '@sdo/pg-kit';

export interface DatabaseFingerprint {
  /** One line per schema object (columns, constraints, indexes, views, functions, sequences, types), sorted. */
  schema: string[];
  /** Row count and a hash of the sorted row texts, per `schema.table`. */
  tables: Record<string, { rows: number; hash: string }>;
  /** One hash over all of the above: equal fingerprints mean equal schema and data. */
  hash: string;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`;

/**
 * Schema and data fingerprint of a database, to prove that a restore put it back exactly as it was.
 * It reads every row (sorted per table), so it is meant for tests, rehearsal clones and small targets.
 */
export async function fingerprintDatabase(client: ClientBase): Promise<DatabaseFingerprint> {
  const lines = async (sql: string): Promise<string[]> => (await client.query<{ l: string }>(sql)).rows.map((r) => r.l);
  const schema = [
    ...(await lines(`
      SELECT format('relation %s.%s %s', n.nspname, c.relname, c.relkind) AS l
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} AND c.relkind <> 't'`)),
    ...(await lines(`
      SELECT format('column %s.%s.%s %s notnull=%s default=%s', n.nspname, c.relname, a.attname,
                    format_type(a.atttypid, a.atttypmod), a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), '')) AS l
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE ${USER_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`)),
    ...(await lines(`
      SELECT format('constraint %s.%s.%s %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) AS l
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}`)),
    ...(await lines(`SELECT format('index %s', pg_get_indexdef(i.indexrelid)) AS l
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}`)),
    ...(await lines(`SELECT format('view %s.%s %s', n.nspname, c.relname, pg_get_viewdef(c.oid)) AS l
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} AND c.relkind IN ('v', 'm')`)),
    ...(await lines(`SELECT format('function %s', pg_get_functiondef(p.oid)) AS l
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS} AND p.prokind IN ('f', 'p')`)),
    ...(await lines(`SELECT format('sequence %s.%s last=%s called=%s', schemaname, sequencename, coalesce(last_value::text, 'null'), last_value IS NOT NULL) AS l
        FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`)),
    ...(await lines(`SELECT format('enum %s.%s %s', n.nspname, t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS l
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid WHERE ${USER_SCHEMAS}
       GROUP BY n.nspname, t.typname`)),
  ].sort();

  const tables: DatabaseFingerprint['tables'] = {};
  const list = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMAS} AND c.relkind = 'r' ORDER BY 1, 2`,
  );
  for (const { schema: s, name } of list.rows) {
    const r = await client.query<{ rows: string; hash: string }>(
      `SELECT count(*)::text AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS hash FROM ${quoteQualified(s, name)} t`,
    );
    tables[`${s}.${name}`] = { rows: Number(r.rows[0]!.rows), hash: r.rows[0]!.hash };
  }
  const hash = createHash('sha256').update(JSON.stringify({ schema, tables })).digest('hex');
  return { schema, tables, hash };
}
