import type { ClientBase } from 'pg';
import { UpgradePackage, UpgradeScript } from './package';
import { ObjectChange, ObjectKind, ObjectName, scriptChanges } from './sql-text';
import { TargetValidation, checkAgainstTarget } from './validation';

/** An object a pending script creates or alters that already exists in the target (a customisation, most likely). */
export interface Collision {
  kind: ObjectKind;
  /** `schema.name`, or `schema.table.column` for columns. */
  name: string;
  scriptVersion: string;
  /** What exists in the target under that name, e.g. `table`, `view`, `column`. */
  existing: string;
  /** The script uses `CREATE OR REPLACE`: it would not fail but silently overwrite the existing object. */
  overwrites: boolean;
}

const RELKINDS: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
  f: 'foreign table',
  c: 'composite type',
  t: 'TOAST table',
};

/**
 * Objects the package's pending scripts create or alter (CREATE TABLE/VIEW/INDEX/SEQUENCE/FUNCTION/TYPE,
 * ALTER TABLE … ADD COLUMN / RENAME, with `IF NOT EXISTS` ones excluded) that already exist in the
 * target although the schema history did not create them. Objects a pending script drops first, and
 * objects created by already-applied scripts of the package, are not collisions.
 */
export async function detectCollisions(client: ClientBase, pkg: UpgradePackage, validation?: TargetValidation): Promise<Collision[]> {
  const v = validation ?? (await checkAgainstTarget(client, pkg));
  const currentSchema = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
  const resolve = (o: ObjectName): Required<ObjectName> => ({ schema: o.schema ?? currentSchema, name: o.name });
  const keyOf = (c: ObjectChange): string => {
    const o = resolve(c.object);
    if (c.kind === 'column') {
      const t = resolve(c.table!);
      return `column:${t.schema}.${t.name}.${o.name}`;
    }
    const space = c.kind === 'function' ? 'function' : c.kind === 'type' ? 'type' : 'relation';
    return `${space}:${o.schema}.${o.name}`;
  };

  // Objects the recorded history made are the package's own, not customisations.
  const handled = new Set<string>();
  for (const s of v.applied) for (const c of scriptChanges(s.sql)) handled.add(keyOf(c));

  const collisions: Collision[] = [];
  for (const script of v.pending) {
    for (const change of scriptChanges(script.sql)) {
      const key = keyOf(change);
      if (handled.has(key)) continue;
      handled.add(key); // once created or dropped by the package, later statements are its own business
      if (change.action === 'drop') continue;
      const existing = await existingObject(client, change, resolve);
      if (existing) collisions.push(describe(script, change, existing, resolve));
    }
  }
  return collisions;
}

function describe(script: UpgradeScript, change: ObjectChange, existing: string, resolve: (o: ObjectName) => Required<ObjectName>): Collision {
  const o = resolve(change.object);
  const name = change.kind === 'column' ? `${resolve(change.table!).schema}.${resolve(change.table!).name}.${o.name}` : `${o.schema}.${o.name}`;
  return { kind: change.kind, name, scriptVersion: script.version, existing, overwrites: change.orReplace === true };
}

async function existingObject(client: ClientBase, change: ObjectChange, resolve: (o: ObjectName) => Required<ObjectName>): Promise<string | undefined> {
  const o = resolve(change.object);
  switch (change.kind) {
    case 'column': {
      const t = resolve(change.table!);
      const r = await client.query(
        `SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped`,
        [t.schema, t.name, o.name],
      );
      return r.rowCount ? 'column' : undefined;
    }
    case 'function': {
      const r = await client.query<{ kind: string }>(
        `SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END AS kind
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = $2 LIMIT 1`,
        [o.schema, o.name],
      );
      return r.rows[0]?.kind;
    }
    default: {
      // Tables, views, indexes and sequences share one namespace (pg_class); tables and types clash in pg_type.
      const rel = await client.query<{ relkind: string }>(
        `SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
        [o.schema, o.name],
      );
      const relkind = rel.rows[0]?.relkind;
      if (relkind) return RELKINDS[relkind] ?? 'relation';
      if (change.kind === 'index') return undefined;
      const type = await client.query(`SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = $2`, [
        o.schema,
        o.name,
      ]);
      return type.rowCount ? 'type' : undefined;
    }
  }
}
