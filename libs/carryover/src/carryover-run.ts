import type { Client, ClientBase } from 'pg';
import { CarryoverArchive, CarryoverRun, CarryoverTrialBalance, DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { classifySqlError, connect, inTransaction, TargetConnection } from '@sdo/pg-kit';
import { columnList as cols, copyRows, PgSchema, quoteIdent as q, quoteQualified as qq, readSchema, rowsDigest as digest } from '@sdo/pg-kit';
import { claimUnit, commitChunk, CONTROL_SCHEMA, ensureControlSchema, schemaExists, setUnitState, unitProgress, type WorkUnit } from '@sdo/data-engine';
import { CarryoverSpec, historical, LEGACY_CARRYOVER_SCHEMA, openingVouchersSql, trialBalanceSql } from './carryover-scope';

export interface PurgeProgress {
  table: string;
  rowsDone: number;
}

/** A cut-off's carryover is one job in the control schema: its `run` unit holds the state, each table's purge batches are chunks. */
const runJob = (cutoff: string) => `carryover:${cutoff}`;
const runUnit = (cutoff: string): WorkUnit => ({ jobId: runJob(cutoff), unit: 'run' });
const purgeUnit = (cutoff: string, table: string): WorkUnit => ({ jobId: runJob(cutoff), unit: `purge:${table}` });
const ctl = q(CONTROL_SCHEMA);

/** The control schema with the carryover's own two tables, and a pre-`sdo_copy` carryover moved in. */
async function ensureControl(client: Client): Promise<void> {
  await ensureControlSchema(client, async (tx) => {
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${ctl}.opening_vouchers (cutoff text NOT NULL, voucher_key text NOT NULL, entries bigint NOT NULL, PRIMARY KEY (cutoff, voucher_key))`,
    );
    await tx.query(`CREATE TABLE IF NOT EXISTS ${ctl}.trial_balance_before (
      cutoff text NOT NULL, part text NOT NULL, account text NOT NULL, period date NOT NULL,
      opening numeric NOT NULL, debit numeric NOT NULL, credit numeric NOT NULL, closing numeric NOT NULL)`);
    await adoptLegacyCarryover(tx);
  });
}

/**
 * Cut-offs begun by an older release (`sdo_carryover`): each `runs` row becomes the run unit (state
 * and detail), its per-table purge counts one chunk each; vouchers and trial balances move as they
 * are. Runs once, in the schema's creation transaction, and drops the old schema.
 */
async function adoptLegacyCarryover(tx: ClientBase): Promise<void> {
  if (!(await schemaExists(tx, LEGACY_CARRYOVER_SCHEMA))) return;
  const legacy = q(LEGACY_CARRYOVER_SCHEMA);
  if ((await tx.query(`SELECT to_regclass('sdo_carryover.runs') AS r`)).rows[0].r) {
    await tx.query(
      `INSERT INTO ${ctl}.table_owner (job_id, table_name, attempt_id, attempt_seq, state, claimed_at, finished_at, detail)
       SELECT 'carryover:' || cutoff, 'run', delivery_id, 0, status, started_at, finished_at,
              jsonb_build_object('archiveSchema', archive_schema, 'deliveryId', delivery_id) || CASE WHEN archived IS NULL THEN '{}' ELSE jsonb_build_object('archived', archived) END
         FROM ${legacy}.runs ON CONFLICT DO NOTHING`,
    );
    await tx.query(
      `INSERT INTO ${ctl}.table_owner (job_id, table_name, attempt_id, attempt_seq)
       SELECT 'carryover:' || r.cutoff, 'purge:' || p.key, r.delivery_id, 0 FROM ${legacy}.runs r, jsonb_each_text(coalesce(r.purged, '{}')) p ON CONFLICT DO NOTHING`,
    );
    await tx.query(
      `INSERT INTO ${ctl}.checkpoint (job_id, table_name, chunk_no, rows_loaded, rows_rejected, stats, checksum, attempt_id)
       SELECT 'carryover:' || r.cutoff, 'purge:' || p.key, 0, p.value::bigint, 0, '{}', '', r.delivery_id
         FROM ${legacy}.runs r, jsonb_each_text(coalesce(r.purged, '{}')) p ON CONFLICT DO NOTHING`,
    );
  }
  for (const table of ['opening_vouchers', 'trial_balance_before']) {
    if ((await tx.query(`SELECT to_regclass($1) AS r`, [`${LEGACY_CARRYOVER_SCHEMA}.${table}`])).rows[0].r)
      await tx.query(`INSERT INTO ${ctl}.${q(table)} SELECT * FROM ${legacy}.${q(table)} ON CONFLICT DO NOTHING`);
  }
  await tx.query(`DROP SCHEMA ${legacy} CASCADE`);
}

/** The cut-off's run state (a pre-`sdo_copy` carryover is moved in first; otherwise nothing is written). */
export async function runStatus(client: Client, cutoff: string): Promise<string | null> {
  if (await schemaExists(client, LEGACY_CARRYOVER_SCHEMA)) await ensureControl(client);
  if (!(await client.query(`SELECT to_regclass('sdo_copy.table_owner') AS r`)).rows[0].r) return null;
  return (await unitProgress(client, runUnit(cutoff))).state;
}

export async function countHistorical(client: Client, spec: CarryoverSpec, excludeOpening: boolean): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of spec.tables)
    counts[t.table] = Number(
      (await client.query(`SELECT count(*) AS n FROM ${qq(spec.schema, t.table)} t WHERE ${historical(spec, t.table, 't', excludeOpening)}`)).rows[0].n,
    );
  return counts;
}

function archiveTableDdl(spec: CarryoverSpec, schema: PgSchema, table: string): string {
  const t = schema.tables.find((x) => x.name === table)!;
  const columns = t.columns.map((c) => `${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE ${qq(spec.archiveSchema, table)} (${[...columns, `PRIMARY KEY (${cols(t.primaryKey)})`].join(', ')})`;
}

async function withBoth<T>(live: TargetConnection, archive: TargetConnection | undefined, fn: (lc: Client, ac: Client | undefined) => Promise<T>): Promise<T> {
  const lc = await connect(live);
  const ac = archive ? await connect(archive) : undefined;
  try {
    return await fn(lc, ac);
  } finally {
    await lc.end().catch(() => undefined);
    await ac?.end().catch(() => undefined);
  }
}

/**
 * Step 1, resumable through the cut-off's run unit in the live database's control schema (`archiving` → `purging` →
 * `done`): records the trial balance before, copies the historical rows into the cut-off's archive
 * schema from one snapshot, and verifies them (count and checksum per table) against that snapshot.
 * A finished cut-off answers `noop`; a run already purging answers what it archived.
 */
export async function archiveHistory(live: TargetConnection, archive: TargetConnection, spec: CarryoverSpec, deliveryId: string): Promise<CarryoverArchive> {
  const t = Date.now();
  return withBoth(live, archive, async (lc, ac) => {
    await ensureControl(lc);
    const run = await unitProgress(lc, runUnit(spec.cutoff));
    if (run.state === 'done') return { noop: true, archived: {}, verification: [], resumed: false, ms: Date.now() - t };
    if (run.state === 'purging') {
      const archived = (run.detail?.['archived'] as Record<string, number> | undefined) ?? {};
      return { noop: false, archived, verification: [], resumed: true, ms: Date.now() - t };
    }
    const schema = await readSchema(lc, spec.schema);
    await setUnitState(lc, runUnit(spec.cutoff), 'archiving', { archiveSchema: spec.archiveSchema, deliveryId });
    if (spec.ledger) {
      await lc.query(`DELETE FROM ${ctl}.trial_balance_before WHERE cutoff = $1`, [spec.cutoff]);
      await lc.query(`INSERT INTO ${ctl}.trial_balance_before SELECT '${spec.cutoff}', * FROM (${trialBalanceSql(spec)}) tb`);
    }
    // Rebuilt from scratch by every attempt until the live side moves on: nothing live has changed yet.
    await inTransaction(ac!, async () => {
      await ac!.query(`DROP SCHEMA IF EXISTS ${q(spec.archiveSchema)} CASCADE`);
      await ac!.query(`CREATE SCHEMA ${q(spec.archiveSchema)}`);
      await ac!.query(`COMMENT ON SCHEMA ${q(spec.archiveSchema)} IS ${literal(`sdo carryover ${spec.cutoff} delivery ${deliveryId}`)}`);
      for (const m of spec.tables) await ac!.query(archiveTableDdl(spec, schema, m.table));
    }).catch((err) => {
      throw classifySqlError(err, 'Creating the archive schema', archive.database);
    });
    const archived: Record<string, number> = {};
    const verification: CarryoverArchive['verification'] = [];
    const failures: string[] = [];
    await lc.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    for (const m of spec.tables) {
      const columns = schema.tables.find((x) => x.name === m.table)!.columns.map((c) => c.name);
      const select = `SELECT ${cols(columns, 't')} FROM ${qq(spec.schema, m.table)} t WHERE ${historical(spec, m.table, 't', true)}`;
      archived[m.table] = await inTransaction(ac!, () => copyRows(lc, select, ac!, spec.archiveSchema, m.table, columns)).catch((err) => {
        throw classifySqlError(err, `Archiving ${m.table}`, archive.database);
      });
      const s = await lc.query(`SELECT count(*) AS n, ${digest('x', m.key)} AS h FROM (${select}) x`);
      const a = await ac!.query(`SELECT count(*) AS n, ${digest('x', m.key)} AS h FROM (SELECT ${cols(columns)} FROM ${qq(spec.archiveSchema, m.table)}) x`);
      const equal = s.rows[0].n === a.rows[0].n && s.rows[0].h === a.rows[0].h;
      verification.push({ table: m.table, rows: Number(a.rows[0].n), checksumEqual: equal });
      if (!equal)
        failures.push(`${m.table}: live ${s.rows[0].n} row(s), archive ${a.rows[0].n}, checksum ${s.rows[0].h === a.rows[0].h ? 'equal' : 'differs'}`);
    }
    await lc.query('COMMIT');
    if (failures.length)
      throw new DeliveryError(
        DeliveryFailureType.VerificationFailed,
        `The archive does not match the live rows it was copied from; nothing was removed: ${failures.join('; ')}`,
      );
    await setUnitState(lc, runUnit(spec.cutoff), 'archiving', { archived });
    return { noop: false, archived, verification, resumed: false, ms: Date.now() - t };
  });
}

/** Step 2: opening-balance vouchers and the move to `purging`, in one transaction (skipped once purging). */
export async function carryBalancesForward(live: TargetConnection, spec: CarryoverSpec): Promise<{ openingVouchers: number; ms: number }> {
  const t = Date.now();
  return withBoth(live, undefined, async (lc) => {
    await ensureControl(lc);
    const status = await runStatus(lc, spec.cutoff);
    if (status === 'archiving') {
      await inTransaction(lc, async () => {
        if (spec.ledger) await lc.query(openingVouchersSql(spec));
        await setUnitState(lc, runUnit(spec.cutoff), 'purging');
      }).catch((err) => {
        throw classifySqlError(err, 'Carrying balances forward', live.database);
      });
    } else if (status !== 'purging' && status !== 'done') {
      throw new DeliveryError(
        DeliveryFailureType.MissingObject,
        `Cut-off ${spec.cutoff} has not been archived yet (run state ${status ?? 'none'}); balances are only carried forward after a verified archive.`,
      );
    }
    const n = Number((await lc.query(`SELECT count(*) AS n FROM ${ctl}.opening_vouchers WHERE cutoff = $1`, [spec.cutoff])).rows[0].n);
    return { openingVouchers: n, ms: Date.now() - t };
  });
}

/** Step 3, per table (lines before documents): historical rows deleted in batches, each batch its own transaction. */
export async function purgeHistory(
  live: TargetConnection,
  spec: CarryoverSpec,
  table: string,
  onBatch?: (p: PurgeProgress) => void,
  signal?: AbortSignal,
): Promise<{ table: string; rows: number; ms: number }> {
  const t = Date.now();
  return withBoth(live, undefined, async (lc) => {
    await ensureControl(lc);
    const status = await runStatus(lc, spec.cutoff);
    if (status === 'done') return { table, rows: 0, ms: 0 };
    if (status !== 'purging')
      throw new DeliveryError(DeliveryFailureType.MissingObject, `Cut-off ${spec.cutoff} is not ready to purge (run state ${status ?? 'none'}).`);
    // Each batch is a chunk of the table's purge unit, committed with its deletion, so a purge
    // resumed by another attempt (after a crash) still reports every row it removed, exactly once.
    const unit = purgeUnit(spec.cutoff, table);
    await claimUnit(lc, unit, runJob(spec.cutoff));
    const done = await unitProgress(lc, unit);
    let rows = done.rowsLoaded;
    let chunkNo = done.chunks;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
      const deleted = await inTransaction(lc, async () => {
        const r = await lc.query(
          `DELETE FROM ${qq(spec.schema, table)} WHERE ctid = ANY(ARRAY(SELECT t.ctid FROM ${qq(spec.schema, table)} t WHERE ${historical(spec, table, 't', true)} LIMIT ${spec.batchSize}))`,
        );
        if (r.rowCount) await commitChunk(lc, unit, { chunkNo, rowsLoaded: r.rowCount, attemptId: runJob(spec.cutoff) });
        return r.rowCount ?? 0;
      }).catch((err) => {
        throw classifySqlError(err, `Purging ${table}`, live.database);
      });
      if (!deleted) break;
      chunkNo++;
      rows += deleted;
      onBatch?.({ table, rowsDone: rows });
    }
    return { table, rows: (await unitProgress(lc, unit)).rowsLoaded, ms: Date.now() - t };
  });
}

/**
 * Step 4: nothing historical left, every table purged exactly as many rows as were archived (a
 * retried purge batch counts once: totals are taken from the archive and what is left), trial
 * balance from the cut-off on equal to the one recorded before; then the cut-off is done.
 */
export async function finishCarryover(
  live: TargetConnection,
  spec: CarryoverSpec,
  archived: Record<string, number>,
  purged: Record<string, number>,
): Promise<{ trialBalance: CarryoverTrialBalance | null; ms: number }> {
  const t = Date.now();
  return withBoth(live, undefined, async (lc) => {
    await ensureControl(lc);
    if ((await runStatus(lc, spec.cutoff)) === 'done') return { trialBalance: null, ms: 0 };
    const left = Object.entries(await countHistorical(lc, spec, true)).filter(([, n]) => n > 0);
    if (left.length)
      throw new DeliveryError(
        DeliveryFailureType.VerificationFailed,
        `Historical rows are still in the live database after the purge: ${left.map(([k, n]) => `${k} ${n}`).join(', ')}.`,
      );
    const extra = Object.entries(purged).filter(([table, n]) => n > (archived[table] ?? 0));
    if (extra.length) {
      throw new DeliveryError(
        DeliveryFailureType.VerificationFailed,
        `More rows were purged than archived (${extra.map(([k, n]) => `${k}: ${n} purged, ${archived[k] ?? 0} archived`).join('; ')}): historical rows were added during the window.`,
      );
    }
    let trialBalance: CarryoverTrialBalance | null = null;
    if (spec.ledger) {
      const cmp = await lc.query(
        `WITH now AS (${trialBalanceSql(spec)}), before AS (SELECT part, account, period, opening, debit, credit, closing FROM ${ctl}.trial_balance_before WHERE cutoff = '${spec.cutoff}')
         SELECT (SELECT count(*) FROM before) AS lines,
                (SELECT count(*) FROM ((SELECT * FROM now EXCEPT ALL SELECT * FROM before) UNION ALL (SELECT * FROM before EXCEPT ALL SELECT * FROM now)) d) AS mismatches,
                (SELECT coalesce(sum(debit), 0)::text FROM now) AS debit, (SELECT coalesce(sum(credit), 0)::text FROM now) AS credit, (SELECT coalesce(sum(closing), 0)::text FROM now) AS closing`,
      );
      const row = cmp.rows[0];
      trialBalance = { lines: Number(row.lines), mismatches: Number(row.mismatches), totals: { debit: row.debit, credit: row.credit, closing: row.closing } };
      if (trialBalance.mismatches) {
        throw new DeliveryError(
          DeliveryFailureType.VerificationFailed,
          `The trial balance from ${spec.cutoff} on changed in ${trialBalance.mismatches} line(s) (account × period).`,
        );
      }
    }
    await setUnitState(lc, runUnit(spec.cutoff), 'done', { purged });
    return { trialBalance, ms: Date.now() - t };
  });
}

/** The whole carryover of one cut-off in one call (tools and benchmarks); deliveries drive the steps from the workflow. */
export async function carryOverPeriod(live: TargetConnection, archive: TargetConnection, spec: CarryoverSpec, deliveryId: string): Promise<CarryoverRun> {
  const archived = await archiveHistory(live, archive, spec, deliveryId);
  const run: CarryoverRun = {
    archive: archived,
    openingVouchers: 0,
    purged: {},
    trialBalance: null,
    timings: { archiveMs: archived.ms, carryForwardMs: 0, purgeMs: 0, verifyMs: 0 },
  };
  if (archived.noop) return run;
  const forward = await carryBalancesForward(live, spec);
  run.openingVouchers = forward.openingVouchers;
  run.timings.carryForwardMs = forward.ms;
  const t = Date.now();
  for (const m of [...spec.tables].reverse()) run.purged[m.table] = (await purgeHistory(live, spec, m.table)).rows;
  run.timings.purgeMs = Date.now() - t;
  const finished = await finishCarryover(live, spec, archived.archived, run.purged);
  run.trialBalance = finished.trialBalance;
  run.timings.verifyMs = finished.ms;
  return run;
}

/** Compensation on the archive side: drops the cut-off's schema only if this delivery created it. */
export async function dropArchiveSchema(
  archive: TargetConnection,
  spec: Pick<CarryoverSpec, 'archiveSchema' | 'cutoff'>,
  deliveryId: string,
): Promise<boolean> {
  const ac = await connect(archive);
  try {
    const r = await ac.query<{ c: string | null }>(`SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1`, [
      spec.archiveSchema,
    ]);
    if (!r.rowCount || r.rows[0]!.c !== `sdo carryover ${spec.cutoff} delivery ${deliveryId}`) return false;
    await ac.query(`DROP SCHEMA ${q(spec.archiveSchema)} CASCADE`);
    return true;
  } finally {
    await ac.end().catch(() => undefined);
  }
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
