import type { ClientBase } from 'pg';

/** Flyway-style record of what has been applied to a target; lives in the target's `public` schema. */
export const HISTORY_TABLE = 'sdo_schema_history';
export const HISTORY_SCHEMA = 'public';
const QUALIFIED = `"${HISTORY_SCHEMA}"."${HISTORY_TABLE}"`;

export interface HistoryRow {
  installedRank: number;
  version: string;
  description: string;
  checksum: string;
  installedBy: string;
  installedOn: Date;
  executionTimeMs: number;
  success: boolean;
}

export async function historyTableExists(client: ClientBase): Promise<boolean> {
  const r = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [QUALIFIED]);
  return r.rows[0]?.exists === true;
}

export async function ensureHistoryTable(client: ClientBase): Promise<void> {
  await client.query(`
    CREATE TABLE IF NOT EXISTS ${QUALIFIED} (
      installed_rank    integer PRIMARY KEY,
      version           text NOT NULL UNIQUE,
      description       text NOT NULL,
      checksum          text NOT NULL,
      installed_by      text NOT NULL,
      installed_on      timestamptz NOT NULL DEFAULT now(),
      execution_time_ms integer NOT NULL,
      success           boolean NOT NULL
    )`);
}

/** The history in installed order; empty when the table does not exist (a target never upgraded by us). */
export async function readHistory(client: ClientBase): Promise<HistoryRow[]> {
  if (!(await historyTableExists(client))) return [];
  const r = await client.query<{
    installed_rank: number;
    version: string;
    description: string;
    checksum: string;
    installed_by: string;
    installed_on: Date;
    execution_time_ms: number;
    success: boolean;
  }>(`SELECT installed_rank, version, description, checksum, installed_by, installed_on, execution_time_ms, success
        FROM ${QUALIFIED} ORDER BY installed_rank`);
  return r.rows.map((row) => ({
    installedRank: row.installed_rank,
    version: row.version,
    description: row.description,
    checksum: row.checksum,
    installedBy: row.installed_by,
    installedOn: row.installed_on,
    executionTimeMs: row.execution_time_ms,
    success: row.success,
  }));
}

/** The version of the last successfully applied script, or null when none is recorded. */
export function currentVersionOf(history: HistoryRow[]): string | null {
  const applied = history.filter((h) => h.success);
  return applied.length ? applied[applied.length - 1]!.version : null;
}

export async function readCurrentVersion(client: ClientBase): Promise<string | null> {
  return currentVersionOf(await readHistory(client));
}

export async function insertHistoryRow(client: ClientBase, row: Omit<HistoryRow, 'installedRank' | 'installedOn'>): Promise<void> {
  await client.query(
    `INSERT INTO ${QUALIFIED} (installed_rank, version, description, checksum, installed_by, execution_time_ms, success)
     SELECT coalesce(max(installed_rank), 0) + 1, $1, $2, $3, $4, $5, $6 FROM ${QUALIFIED}`,
    [row.version, row.description, row.checksum, row.installedBy, row.executionTimeMs, row.success],
  );
}
