import type { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { TargetConnection, isConnectionLoss, withClient } from '@sdo/pg-kit';
import { ensureHistoryTable, insertHistoryRow, readHistory } from './history';
import { UpgradePackage, checksum, validatePackage } from './package';
import { assertApplicable, compareWithHistory } from './validation';

/** Key of the session advisory lock that serialises upgrades of one database (same value for every SDO process). */
export const UPGRADE_LOCK_KEY = 0x5d0_0a0a;

export type ScriptEvent =
  { kind: 'started'; version: string; description: string; index: number; total: number } | ({ kind: 'applied'; index: number; total: number } & ScriptOutcome);

export interface ScriptOutcome {
  version: string;
  description: string;
  executionTimeMs: number;
}

export interface ApplyOptions {
  /** Recorded in the history (e.g. the delivery id); not a secret. */
  installedBy: string;
  /** Progress, e.g. to heartbeat an activity. Awaited, so keep it quick. */
  onScript?: (event: ScriptEvent) => void | Promise<void>;
  /** How long to wait for another upgrade of the same database to finish (default 60 s). */
  lockWaitMs?: number;
  /**
   * Cancels the run (e.g. an activity's cancellation signal): the running script is cancelled on the
   * server and rolled back, no further script starts, and the signal's reason is thrown.
   */
  signal?: AbortSignal;
}

export interface ApplyResult {
  versionBefore: string | null;
  versionAfter: string | null;
  /** Scripts applied by this call, in order (empty when everything was already applied). */
  applied: ScriptOutcome[];
  totalTimeMs: number;
}

/**
 * Applies the package's pending scripts to the target. Under a session advisory lock, the history is
 * (re)read and validated, then each script runs in its own transaction together with its history row:
 * a failing script leaves nothing of itself behind, earlier scripts stay applied and recorded, and a
 * `ScriptFailed` error names the version and the database's message. Running it again once everything
 * is applied is a no-op.
 */
export async function applyPending(conn: TargetConnection, pkg: UpgradePackage, options: ApplyOptions): Promise<ApplyResult> {
  validatePackage(pkg);
  const started = Date.now();
  const { signal } = options;
  return withClient(conn, async (client) => {
    await acquireLock(client, conn.database, options.lockWaitMs ?? 60_000, signal);
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const cancelRunningScript = () => void cancelBackend(conn, pid);
    signal?.addEventListener('abort', cancelRunningScript);
    try {
      await ensureHistoryTable(client);
      const validation = compareWithHistory(pkg, await readHistory(client));
      assertApplicable(pkg, validation);
      const applied: ScriptOutcome[] = [];
      const total = validation.pending.length;
      for (const [index, script] of validation.pending.entries()) {
        throwIfAborted(signal);
        await options.onScript?.({ kind: 'started', version: script.version, description: script.description, index, total });
        const t0 = process.hrtime.bigint();
        let outcome: ScriptOutcome;
        try {
          await client.query('BEGIN');
          await client.query(script.sql);
          const executionTimeMs = Number((process.hrtime.bigint() - t0) / 1_000_000n);
          await insertHistoryRow(client, {
            version: script.version,
            description: script.description,
            checksum: checksum(script.sql),
            installedBy: options.installedBy,
            executionTimeMs,
            success: true,
          });
          await client.query('COMMIT');
          outcome = { version: script.version, description: script.description, executionTimeMs };
          applied.push(outcome);
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throwIfAborted(signal);
          throw scriptError(err, script.version, script.description, applied);
        }
        await options.onScript?.({ kind: 'applied', index, total, ...outcome });
      }
      return {
        versionBefore: validation.currentVersion,
        versionAfter: applied.length ? applied[applied.length - 1]!.version : validation.currentVersion,
        applied,
        totalTimeMs: Date.now() - started,
      };
    } finally {
      signal?.removeEventListener('abort', cancelRunningScript);
      await client.query('SELECT pg_advisory_unlock($1)', [UPGRADE_LOCK_KEY]).catch(() => undefined);
    }
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('The upgrade was cancelled.');
}

/** Cancels the statement running in backend `pid`, from a second connection (best effort). */
async function cancelBackend(conn: TargetConnection, pid: number): Promise<void> {
  await withClient(conn, (c) => c.query('SELECT pg_cancel_backend($1)', [pid])).catch(() => undefined);
}

async function acquireLock(client: Client, database: string, waitMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    throwIfAborted(signal);
    const r = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [UPGRADE_LOCK_KEY]);
    if (r.rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new DeliveryError(
        DeliveryFailureType.Unreachable,
        `Another upgrade of database "${database}" is running (its advisory lock is held); this one will retry once it is finished.`,
      );
    }
    await sleep(250);
  }
}

function scriptError(err: unknown, version: string, description: string, applied: ScriptOutcome[]): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (isConnectionLoss(err)) {
    // The transaction is gone with the connection: nothing of this script is committed, a retry resumes here.
    return new DeliveryError(
      DeliveryFailureType.Unreachable,
      `The connection to the target was lost while script ${version} (${description}) ran; it was rolled back and will be retried.`,
      { version, appliedBefore: applied.map((a) => a.version) },
    );
  }
  const e = err as { code?: string; message?: string; detail?: string; position?: string };
  const detail = e.detail ? ` (${e.detail})` : '';
  return new DeliveryError(
    DeliveryFailureType.ScriptFailed,
    `Script ${version} (${description}) failed and was rolled back: ${e.message ?? String(err)}${detail}${e.code ? ` [SQLSTATE ${e.code}]` : ''}. ` +
      `${applied.length ? `Scripts ${applied.map((a) => a.version).join(', ')} were applied before it and stay recorded. ` : ''}` +
      'Fix the script in a new package version or fix the target data, then retry.',
    { version, sqlState: e.code, appliedBefore: applied.map((a) => a.version) },
  );
}
