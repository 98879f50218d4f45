import type { ClientBase } from 'pg';
import { UpgradeScript } from './package';
import { tablesTouched } from './sql-text';

export interface TableSize {
  schema: string;
  name: string;
  /** Table + indexes + TOAST. */
  totalBytes: number;
  rowsEstimate: number;
}

export interface DatabaseSizing {
  databaseBytes: number;
  tableCount: number;
  rowsEstimate: number;
  /** The largest tables first (at most 10). */
  largestTables: TableSize[];
  /** Every user table, for the duration estimate. */
  tables: TableSize[];
}

/**
 * Size of the target from the catalog (no table scans): row counts are the planner's estimate,
 * or the statistics collector's live count when the table was never analysed.
 */
export async function sizeDatabase(client: ClientBase): Promise<DatabaseSizing> {
  const db = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
  const t = await client.query<{ schema: string; name: string; bytes: string; rows: string }>(`
    SELECT n.nspname AS schema, c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes,
           greatest(c.reltuples, coalesce(s.n_live_tup, 0), 0)::bigint::text AS rows
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     ORDER BY pg_total_relation_size(c.oid) DESC, n.nspname, c.relname`);
  const tables = t.rows.map((r) => ({ schema: r.schema, name: r.name, totalBytes: Number(r.bytes), rowsEstimate: Number(r.rows) }));
  return {
    databaseBytes: Number(db.rows[0]?.bytes ?? 0),
    tableCount: tables.length,
    rowsEstimate: tables.reduce((sum, x) => sum + x.rowsEstimate, 0),
    largestTables: tables.slice(0, 10),
    tables,
  };
}

export interface DurationEstimate {
  /** Copy of the whole database (`CREATE DATABASE … TEMPLATE`): the cutover backup and the rehearsal clone. */
  backupSeconds: number;
  /** Applying the pending scripts. */
  applySeconds: number;
  verifySeconds: number;
  /** Downtime of a cutover: backup + apply + verify. */
  totalSeconds: number;
  /** The heuristic, for the report. */
  basis: string;
}

/** Throughputs of the heuristic, deliberately conservative for a 2-core server with ordinary disks. */
export const ESTIMATE_RATES = {
  /** File-level copy of a template database. */
  copyBytesPerSecond: 100 * 1024 * 1024,
  /** A table rewrite / UPDATE / index build over a table a script touches. */
  rewriteBytesPerSecond: 20 * 1024 * 1024,
  /** Fixed cost per script (transaction, catalog changes, locks). */
  secondsPerScript: 2,
  secondsPerVerification: 1,
};

/**
 * Heuristic: backup = database size / 100 MiB/s; each script = 2 s + (size of every table it
 * ALTERs, UPDATEs, INSERTs into, DELETEs from or indexes) / 20 MiB/s; 1 s per verification. Rounded
 * up to whole seconds. A rehearsal measures the real figure; this is only for the plan.
 */
export function estimateDuration(sizing: DatabaseSizing, pending: UpgradeScript[], verifications: number): DurationEstimate {
  const r = ESTIMATE_RATES;
  const bytesOf = (schema: string | undefined, name: string): number =>
    sizing.tables.find((t) => t.name === name && (schema === undefined || t.schema === schema))?.totalBytes ?? 0;
  let apply = 0;
  for (const s of pending) {
    apply += r.secondsPerScript;
    for (const t of tablesTouched(s.sql)) apply += bytesOf(t.schema, t.name) / r.rewriteBytesPerSecond;
  }
  const backupSeconds = Math.ceil(sizing.databaseBytes / r.copyBytesPerSecond);
  const applySeconds = Math.ceil(apply);
  const verifySeconds = verifications * r.secondsPerVerification;
  return {
    backupSeconds,
    applySeconds,
    verifySeconds,
    totalSeconds: backupSeconds + applySeconds + verifySeconds,
    basis:
      'backup = database size / 100 MiB/s; each script = 2 s + size of the tables it alters, updates, inserts into, deletes from or indexes / 20 MiB/s; 1 s per verification',
  };
}
