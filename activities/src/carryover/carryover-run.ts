import type { Client } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { connect, TargetConnection } from '@sdo/upgrade-kit';
import { classifySqlError, cols, copyRows, inTransaction, PgSchema, q, qq, readSchema } from '../org-split/pg-catalog';
import { CarryoverSpec, CONTROL_SCHEMA, historical, openingVouchersSql, trialBalanceSql } from './carryover-spec';

export interface CarryoverProgress {
  step: 'archiving' | 'purging';
  table: string;
  rowsDone: number;
  rowsTotal: number;
  rowsPerSecond: number;
  etaSeconds: number | null;
}

export interface CarryoverHooks {
  onProgress?(p: CarryoverProgress): void;
  /** Checked between tables and purge batches. */
  signal?: AbortSignal;
}

export interface CarryoverResult {
  /** The cut-off was already carried over: nothing was changed. */
  noop: boolean;
  archived: Record<string, number>;
  purged: Record<string, number>;
  openingVouchers: number;
  trialBalance: { lines: number; mismatches: number; totals: { debit: string; credit: string; closing: string } } | null;
  archiveVerification: { table: string; rows: number; checksumEqual: boolean }[];
  timings: { archiveMs: number; verifyArchiveMs: number; carryForwardMs: number; purgeMs: number; verifyMs: number };
}

const digest = (alias: string, key: string[]) => `md5(string_agg(md5(${alias}::text), '' ORDER BY ${cols(key, alias)}))`;

async function ensureControl(c: Client): Promise<void> {
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${q(CONTROL_SCHEMA)}`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${q(CONTROL_SCHEMA)}.runs (
    cutoff text PRIMARY KEY, status text NOT NULL, archive_schema text NOT NULL, delivery_id text NOT NULL,
    archived jsonb, purged jsonb, started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${q(CONTROL_SCHEMA)}.opening_vouchers (cutoff text NOT NULL, voucher_key text NOT NULL, entries bigint NOT NULL, PRIMARY KEY (cutoff, voucher_key))`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${q(CONTROL_SCHEMA)}.trial_balance_before (
    cutoff text NOT NULL, part text NOT NULL, account text NOT NULL, period date NOT NULL,
    opening numeric NOT NULL, debit numeric NOT NULL, credit numeric NOT NULL, closing numeric NOT NULL)`);
}

export async function runStatus(c: Client, cutoff: string): Promise<string | null> {
  const exists = await c.query(`SELECT to_regclass($1) AS r`, [`${CONTROL_SCHEMA}.runs`]);
  if (!exists.rows[0].r) return null;
  return (await c.query<{ status: string }>(`SELECT status FROM ${q(CONTROL_SCHEMA)}.runs WHERE cutoff = $1`, [cutoff])).rows[0]?.status ?? null;
}

export async function countHistorical(c: Client, spec: CarryoverSpec, excludeOpening: boolean): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of spec.tables) counts[t.table] = Number((await c.query(`SELECT count(*) AS n FROM ${qq(spec.schema, t.table)} t WHERE ${historical(spec, t.table, 't', excludeOpening)}`)).rows[0].n);
  return counts;
}

function archiveTableDdl(spec: CarryoverSpec, schema: PgSchema, table: string): string {
  const t = schema.tables.find((x) => x.name === table)!;
  const columns = t.columns.map((c) => `${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
  return `CREATE TABLE ${qq(spec.archiveSchema, table)} (${[...columns, `PRIMARY KEY (${cols(t.primaryKey)})`].join(', ')})`;
}

/**
 * The carryover of one cut-off, resumable: the live database's `sdo_carryover.runs` row says how far
 * it got (`archiving` → `purging` → `done`), so a retried attempt continues and a finished cut-off
 * is a no-op.
 */
export async function carryOverPeriod(live: TargetConnection, archive: TargetConnection, spec: CarryoverSpec, deliveryId: string, hooks: CarryoverHooks = {}): Promise<CarryoverResult> {
  const lc = await connect(live);
  const ac = await connect(archive);
  const timings = { archiveMs: 0, verifyArchiveMs: 0, carryForwardMs: 0, purgeMs: 0, verifyMs: 0 };
  const stop = () => {
    if (hooks.signal?.aborted) throw hooks.signal.reason ?? new Error('cancelled');
  };
  const ctl = q(CONTROL_SCHEMA);
  try {
    const schema = await readSchema(lc, spec.schema);
    await ensureControl(lc);
    let status = await runStatus(lc, spec.cutoff);
    const result: CarryoverResult = { noop: status === 'done', archived: {}, purged: {}, openingVouchers: 0, trialBalance: null, archiveVerification: [], timings };
    if (status === 'done') return result;

    if (status === null || status === 'archiving') {
      let t = Date.now();
      await lc.query(
        `INSERT INTO ${ctl}.runs (cutoff, status, archive_schema, delivery_id) VALUES ($1, 'archiving', $2, $3)
         ON CONFLICT (cutoff) DO UPDATE SET status = 'archiving', delivery_id = EXCLUDED.delivery_id, started_at = now()`,
        [spec.cutoff, spec.archiveSchema, deliveryId],
      );
      if (spec.ledger) {
        await lc.query(`DELETE FROM ${ctl}.trial_balance_before WHERE cutoff = $1`, [spec.cutoff]);
        await lc.query(`INSERT INTO ${ctl}.trial_balance_before SELECT '${spec.cutoff}', * FROM (${trialBalanceSql(spec)}) tb`);
      }
      // The archive is rebuilt from scratch by every attempt until the live side moves on: nothing live has changed yet.
      await inTransaction(ac, async () => {
        await ac.query(`DROP SCHEMA IF EXISTS ${q(spec.archiveSchema)} CASCADE`);
        await ac.query(`CREATE SCHEMA ${q(spec.archiveSchema)}`);
        await ac.query(`COMMENT ON SCHEMA ${q(spec.archiveSchema)} IS ${literal(`sdo carryover ${spec.cutoff} delivery ${deliveryId}`)}`);
        for (const m of spec.tables) await ac.query(archiveTableDdl(spec, schema, m.table));
      }).catch((err) => {
        throw classifySqlError(err, 'Creating the archive schema', archive.database);
      });
      await lc.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const total = Object.values(await countHistorical(lc, spec, true)).reduce((a, b) => a + b, 0);
      let done = 0;
      for (const m of spec.tables) {
        stop();
        const columns = schema.tables.find((x) => x.name === m.table)!.columns.map((c) => c.name);
        const n = await inTransaction(ac, () =>
          copyRows(lc, `SELECT ${cols(columns, 't')} FROM ${qq(spec.schema, m.table)} t WHERE ${historical(spec, m.table, 't', true)}`, ac, spec.archiveSchema, m.table, columns),
        ).catch((err) => {
          throw classifySqlError(err, `Archiving ${m.table}`, archive.database);
        });
        result.archived[m.table] = n;
        done += n;
        const rate = Math.round(done / Math.max(0.001, (Date.now() - t) / 1000));
        hooks.onProgress?.({ step: 'archiving', table: m.table, rowsDone: done, rowsTotal: total, rowsPerSecond: rate, etaSeconds: rate ? Math.ceil((total - done) / rate) : null });
      }
      timings.archiveMs = Date.now() - t;

      // Verify the archive against the same snapshot before anything is removed.
      t = Date.now();
      const failures: string[] = [];
      for (const m of spec.tables) {
        const columns = schema.tables.find((x) => x.name === m.table)!.columns.map((c) => c.name);
        const s = await lc.query(`SELECT count(*) AS n, ${digest('x', m.key)} AS h FROM (SELECT ${cols(columns, 't')} FROM ${qq(spec.schema, m.table)} t WHERE ${historical(spec, m.table, 't', true)}) x`);
        const a = await ac.query(`SELECT count(*) AS n, ${digest('x', m.key)} AS h FROM (SELECT ${cols(columns)} FROM ${qq(spec.archiveSchema, m.table)}) x`);
        const equal = s.rows[0].n === a.rows[0].n && s.rows[0].h === a.rows[0].h;
        result.archiveVerification.push({ table: m.table, rows: Number(a.rows[0].n), checksumEqual: equal });
        if (!equal) failures.push(`${m.table}: live ${s.rows[0].n} row(s), archive ${a.rows[0].n}, checksum ${s.rows[0].h === a.rows[0].h ? 'equal' : 'differs'}`);
      }
      await lc.query('COMMIT');
      timings.verifyArchiveMs = Date.now() - t;
      if (failures.length) throw new DeliveryError(DeliveryFailureType.VerificationFailed, `The archive does not match the live rows it was copied from; nothing was removed: ${failures.join('; ')}`);

      // Carry balances forward and move to purging in one transaction: from here on the live side changes.
      t = Date.now();
      await inTransaction(lc, async () => {
        if (spec.ledger) await lc.query(openingVouchersSql(spec));
        await lc.query(`UPDATE ${ctl}.runs SET status = 'purging', archived = $2 WHERE cutoff = $1`, [spec.cutoff, JSON.stringify(result.archived)]);
      }).catch((err) => {
        throw classifySqlError(err, 'Carrying balances forward', live.database);
      });
      timings.carryForwardMs = Date.now() - t;
      status = 'purging';
    } else {
      result.archived = (await lc.query(`SELECT archived FROM ${ctl}.runs WHERE cutoff = $1`, [spec.cutoff])).rows[0].archived ?? {};
    }

    // Purge in batches, lines before their documents; each batch commits on its own.
    let t = Date.now();
    const total = Object.values(await countHistorical(lc, spec, true)).reduce((a, b) => a + b, 0);
    let done = 0;
    for (const m of [...spec.tables].reverse()) {
      result.purged[m.table] = 0;
      for (;;) {
        stop();
        const r = await lc
          .query(`DELETE FROM ${qq(spec.schema, m.table)} WHERE ctid = ANY(ARRAY(SELECT t.ctid FROM ${qq(spec.schema, m.table)} t WHERE ${historical(spec, m.table, 't', true)} LIMIT ${spec.batchSize}))`)
          .catch((err) => {
            throw classifySqlError(err, `Purging ${m.table}`, live.database);
          });
        const n = r.rowCount ?? 0;
        if (!n) break;
        result.purged[m.table] += n;
        done += n;
        const rate = Math.round(done / Math.max(0.001, (Date.now() - t) / 1000));
        hooks.onProgress?.({ step: 'purging', table: m.table, rowsDone: done, rowsTotal: total, rowsPerSecond: rate, etaSeconds: rate ? Math.ceil((total - done) / rate) : null });
      }
    }
    timings.purgeMs = Date.now() - t;

    t = Date.now();
    const left = await countHistorical(lc, spec, true);
    const remaining = Object.entries(left).filter(([, n]) => n > 0);
    if (remaining.length) throw new DeliveryError(DeliveryFailureType.VerificationFailed, `Historical rows are still in the live database after the purge: ${remaining.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
    result.openingVouchers = Number((await lc.query(`SELECT count(*) AS n FROM ${ctl}.opening_vouchers WHERE cutoff = $1`, [spec.cutoff])).rows[0].n);
    if (spec.ledger) {
      const cmp = await lc.query(
        `WITH now AS (${trialBalanceSql(spec)}), before AS (SELECT part, account, period, opening, debit, credit, closing FROM ${ctl}.trial_balance_before WHERE cutoff = '${spec.cutoff}')
         SELECT (SELECT count(*) FROM before) AS lines,
                (SELECT count(*) FROM ((SELECT * FROM now EXCEPT ALL SELECT * FROM before) UNION ALL (SELECT * FROM before EXCEPT ALL SELECT * FROM now)) d) AS mismatches,
                (SELECT coalesce(sum(debit), 0)::text FROM now) AS debit, (SELECT coalesce(sum(credit), 0)::text FROM now) AS credit, (SELECT coalesce(sum(closing), 0)::text FROM now) AS closing`,
      );
      const row = cmp.rows[0];
      result.trialBalance = { lines: Number(row.lines), mismatches: Number(row.mismatches), totals: { debit: row.debit, credit: row.credit, closing: row.closing } };
      if (result.trialBalance.mismatches) {
        throw new DeliveryError(DeliveryFailureType.VerificationFailed, `The trial balance from ${spec.cutoff} on changed in ${result.trialBalance.mismatches} line(s) (account × period); the live database is restored from the cutover backup.`);
      }
    }
    timings.verifyMs = Date.now() - t;
    await lc.query(`UPDATE ${ctl}.runs SET status = 'done', purged = $2, finished_at = now() WHERE cutoff = $1`, [spec.cutoff, JSON.stringify(result.purged)]);
    return result;
  } finally {
    await lc.end().catch(() => undefined);
    await ac.end().catch(() => undefined);
  }
}

/** Compensation on the archive side: drops the cut-off's schema only if this delivery created it. */
export async function dropArchiveSchema(archive: TargetConnection, spec: Pick<CarryoverSpec, 'archiveSchema' | 'cutoff'>, deliveryId: string): Promise<boolean> {
  const ac = await connect(archive);
  try {
    const r = await ac.query<{ c: string | null }>(`SELECT obj_description(oid, 'pg_namespace') AS c FROM pg_namespace WHERE nspname = $1`, [spec.archiveSchema]);
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
