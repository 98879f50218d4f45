import type { SplitSourceRemoval, SplitTableCopy } from '@sdo/contracts';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { classifySqlError, connect, joinOn, quoteIdent as q, quoteQualified as qq, readSchema, TargetConnection } from '@sdo/pg-kit';
import { selectionPredicates, SplitPlan } from './split-plan';

/** Rows deleted per statement: short transactions, progress between them. */
export const REMOVAL_BATCH_SIZE = 5_000;

/** What the first attempt measured, carried through heartbeats so a retried attempt resumes. */
export interface RemovalCheckpoint {
  /** Per table: rows that must stay (all rows minus the organisation's own). */
  keep: Record<string, number>;
  /** Per organisation table: rows of the other organisations. */
  others: Record<string, number>;
  deleted: Record<string, number>;
}

/** Where the removal stands: the checkpoint to resume from, the table being emptied. */
export interface RemovalProgress {
  checkpoint: RemovalCheckpoint;
  table?: string;
  elapsedMs: number;
}

export interface RemovalOptions {
  /** Roll everything back at the end (see below). */
  rehearse?: boolean;
  batchSize?: number;
  /** What an earlier attempt of a real removal last reported; a rehearsal ignores it. */
  resumeFrom?: RemovalCheckpoint;
  /** Called once the rows to keep are measured and after every batch. */
  onProgress?: (progress: RemovalProgress) => void;
  /** Aborting stops before the next batch with the signal's reason. */
  signal?: AbortSignal;
}

/** How long a rehearsal waits for a row a live user holds before it gives up (and is retried). */
const REHEARSAL_LOCK_TIMEOUT = '10s';

/**
 * Removes the split organisation's own rows from the source, children first, in batches: the
 * organisation row, rows selected by the organisation column and their document lines (dependents).
 * Master data (shared by other organisations) is never touched. Before anything is deleted, the
 * source must hold exactly the rows that were copied and verified (nothing added since); afterwards
 * no `WHERE org = X` row is left, every other row is still there, and every foreign key holds.
 *
 * `rehearse` runs all of it in one transaction with every constraint checked at once, then rolls
 * it back: the source ends as it was, and what would stop the removal has shown itself.
 */
export async function removeOrganisationFromSource(
  source: TargetConnection,
  plan: SplitPlan,
  copies: SplitTableCopy[],
  options: RemovalOptions = {},
): Promise<SplitSourceRemoval> {
  const started = Date.now();
  const batchSize = options.batchSize ?? REMOVAL_BATCH_SIZE;
  const c = await connect(source);
  try {
    if (options.rehearse) {
      await c.query('BEGIN');
      await c.query(`SET LOCAL lock_timeout = '${REHEARSAL_LOCK_TIMEOUT}'`);
      await c.query('SET CONSTRAINTS ALL IMMEDIATE');
    }
    const schema = await readSchema(c, plan.schema);
    const pred = selectionPredicates(schema, plan);
    const own = plan.tables.filter((t) => t.role !== 'master');
    const orgColumnOf = (t: SplitPlan['tables'][number]) => (t.role === 'organisation' ? t.key[0]! : t.organisationColumn);
    const orgs = plan.organisations;
    const count = async (sql: string, params: unknown[] = []) => Number((await c.query(sql, params)).rows[0].n);
    const rel = (table: string) => qq(plan.schema, table);

    // A rehearsal's earlier attempt rolled back: only a real removal resumes.
    const previous = options.rehearse ? undefined : options.resumeFrom;
    let checkpoint: RemovalCheckpoint;
    if (previous) {
      checkpoint = previous;
    } else {
      checkpoint = { keep: {}, others: {}, deleted: {} };
      const drift: string[] = [];
      for (const t of plan.tables) {
        const total = await count(`SELECT count(*) AS n FROM ${rel(t.table)}`);
        const selected = t.role === 'master' ? 0 : await count(`SELECT count(*) AS n FROM ${rel(t.table)} t WHERE ${pred(t.table, 't')}`);
        checkpoint.keep[t.table] = total - selected;
        const column = orgColumnOf(t);
        if (column)
          checkpoint.others[t.table] = await count(
            `SELECT count(*) AS n FROM ${rel(t.table)} WHERE ${q(column)} IS NULL OR NOT (${q(column)}::text = ANY($1::text[]))`,
            [orgs],
          );
        const copied = copies.find((x) => x.table === t.table)?.rows;
        if (t.role !== 'master' && copied !== selected) drift.push(`${t.table}: ${selected} row(s) on the source, ${copied ?? 0} copied`);
      }
      if (drift.length) {
        throw new DeliveryError(
          DeliveryFailureType.VerificationFailed,
          `The organisation's rows on the source changed after they were copied, so nothing was removed: ${drift.join('; ')}.`,
        );
      }
    }

    const beat = (table?: string) => options.onProgress?.({ checkpoint, table, elapsedMs: Date.now() - started });
    beat();
    // plan.tables is parents first: children (document lines) go first.
    for (const t of [...own].reverse()) {
      for (;;) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('cancelled');
        const r = await c
          .query(`DELETE FROM ${rel(t.table)} WHERE ctid = ANY(ARRAY(SELECT t.ctid FROM ${rel(t.table)} t WHERE ${pred(t.table, 't')} LIMIT ${batchSize}))`)
          .catch((err) => {
            throw classifySqlError(err, `Removing organisation ${orgs.join(', ')} rows from ${t.table} of the source`, source.database);
          });
        if (!r.rowCount) break;
        checkpoint.deleted[t.table] = (checkpoint.deleted[t.table] ?? 0) + r.rowCount;
        beat(t.table);
      }
    }

    // Verification of the source after the removal.
    const failures: string[] = [];
    const tables: SplitSourceRemoval['tables'] = [];
    for (const t of plan.tables) {
      const total = await count(`SELECT count(*) AS n FROM ${rel(t.table)}`);
      const column = orgColumnOf(t);
      const left = column ? await count(`SELECT count(*) AS n FROM ${rel(t.table)} WHERE ${q(column)}::text = ANY($1::text[])`, [orgs]) : null;
      const others = column
        ? await count(`SELECT count(*) AS n FROM ${rel(t.table)} WHERE ${q(column)} IS NULL OR NOT (${q(column)}::text = ANY($1::text[]))`, [orgs])
        : null;
      if (left) failures.push(`${t.table}: ${left} row(s) of organisation ${orgs.join(', ')} left`);
      if (total !== checkpoint.keep[t.table]) failures.push(`${t.table}: ${total} row(s) left, ${checkpoint.keep[t.table]} expected to stay`);
      if (column && others !== checkpoint.others[t.table])
        failures.push(`${t.table}: other organisations' rows ${checkpoint.others[t.table]} before, ${others} after`);
      tables.push({ table: t.table, role: t.role, removed: checkpoint.deleted[t.table] ?? 0, remaining: total, otherOrganisationsRows: others });
    }
    let foreignKeysChecked = 0;
    for (const child of schema.tables) {
      for (const fk of child.foreignKeys) {
        if (!fk.refTable) continue;
        foreignKeysChecked++;
        const notNull = fk.columns.map((col) => `ch.${q(col)} IS NOT NULL`).join(' AND ');
        const orphans = await count(
          `SELECT count(*) AS n FROM ${rel(child.name)} ch WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qq(fk.refSchema ?? plan.schema, fk.refTable)} pa WHERE ${joinOn('pa', fk.refColumns, 'ch', fk.columns)})`,
        );
        if (orphans) failures.push(`foreign key ${fk.name} of ${child.name}: ${orphans} row(s) reference missing rows`);
      }
    }
    if (failures.length) {
      throw new DeliveryError(
        DeliveryFailureType.VerificationFailed,
        `The source does not check out after removing organisation ${orgs.join(', ')}: ${failures.join('; ')}.`,
      );
    }
    return { tables, removedRows: tables.reduce((n, t) => n + t.removed, 0), foreignKeysChecked, ms: Date.now() - started };
  } finally {
    if (options.rehearse) await c.query('ROLLBACK').catch(() => undefined);
    await c.end().catch(() => undefined);
  }
}
