import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { PostgresConnector } from '../connectors/postgres';
import { classifyDriverError } from '../errors';
import { pgLiteral, pgName, quotePg } from '../identifiers';
import type { CopyPlan, KeyRange, KeyTuple, PgAddress, TablePlan } from '../model';
import type { ConversionStats } from '../convert/values';
import {
  commitChunk,
  CONTROL_SCHEMA,
  ensureControlSchema,
  setUnitState,
  unitProgress,
  type ChunkRecord,
  type UnitProgress,
  type WorkUnit,
} from '../checkpoint';

export { CONTROL_SCHEMA };

export interface CopyAttempt {
  /** Unique per attempt, e.g. `<workflowId>/<activityId>/<attempt>`. */
  id: string;
  /** Increases with each attempt: an older attempt can never take a table back from a newer one. */
  seq: number;
}

export interface RejectRow {
  key: KeyTuple;
  column: string;
  reason: string;
}

export interface ChunkWrite {
  rowsSent: number;
  rejects: RejectRow[];
  stats: ConversionStats;
  /** A cheap fingerprint of the COPY bytes sent (`crc32:<hex>`); verification proper is done in the databases. */
  checksum: string;
  /** The chunk's upper key when only the writer knows it (streamed chunks); `range.upTo` otherwise. */
  upTo?: KeyTuple | null;
}

export interface Checkpoint {
  chunkNo: number;
  after: KeyTuple | null;
  upTo: KeyTuple | null;
  rowsLoaded: number;
  rowsRejected: number;
  attemptId: string;
}

export interface TableProgress {
  state: 'copying' | 'done';
  chunks: number;
  rowsLoaded: number;
  rowsRejected: number;
  last: Checkpoint | null;
  stats: ConversionStats;
}

/** A data error inside COPY (class 22/23): which line of the chunk PostgreSQL refused, and why. */
export class CopyDataError extends Error {
  constructor(
    readonly line: number | null,
    readonly column: string | null,
    message: string,
    readonly sqlState: string,
  ) {
    super(message);
  }
}

export const qualified = (schema: string, name: string) => `${quotePg(schema)}.${quotePg(name)}`;
export const tableKey = (t: TablePlan) => `${t.target.schema}.${t.target.name}`;

/**
 * The PostgreSQL target. Each chunk is written by `writeChunk` in ONE transaction that also
 * (1) locks the table's owner row and checks that this attempt still owns the table, (2) stores
 * the chunk's rejects and (3) stores its checkpoint. A crash at any point leaves either the whole
 * chunk with its checkpoint, or neither.
 */
export class PgTarget {
  readonly conn: PostgresConnector;

  constructor(address: PgAddress, poolSize = 4) {
    this.conn = new PostgresConnector(address, poolSize);
  }

  get pool() {
    return this.conn.pool;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }

  private async checkout(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw classifyDriverError(err, 'PostgreSQL target');
    }
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.checkout();
    try {
      await client.query('BEGIN');
      const r = await fn(client);
      await client.query('COMMIT');
      client.release();
      return r;
    } catch (err) {
      // Drop the connection rather than trusting its state after a failed COPY.
      client.release(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  async ensureControlTables(): Promise<void> {
    const client = await this.checkout();
    try {
      await ensureControlSchema(client);
    } finally {
      client.release();
    }
  }

  /** Creates schema and tables (columns, NOT NULL, defaults, identities, enum checks) — no keys, indexes or FKs yet. */
  async createTables(plan: CopyPlan): Promise<void> {
    await this.ensureControlTables();
    await this.tx(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('sdo_copy.ddl'))`);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${quotePg(plan.targetSchema)}`);
      for (const t of plan.tables) await c.query(createTableSql(t));
    });
  }

  async claim(jobId: string, tablePlan: TablePlan, attempt: CopyAttempt): Promise<TableProgress> {
    const key = tableKey(tablePlan);
    const before = await this.progress(jobId, tablePlan);
    if (before.state === 'done') return before;
    // Taking ownership waits for the row lock of any chunk still in flight (e.g. from a killed
    // worker whose backend has not finished yet); only after that is the progress read final.
    const r = await this.conn.query(
      `INSERT INTO ${quotePg(CONTROL_SCHEMA)}.table_owner AS o (job_id, table_name, attempt_id, attempt_seq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (job_id, table_name) DO UPDATE SET attempt_id = EXCLUDED.attempt_id, attempt_seq = EXCLUDED.attempt_seq, claimed_at = now()
       WHERE o.attempt_seq <= EXCLUDED.attempt_seq RETURNING o.attempt_id`,
      [jobId, key, attempt.id, attempt.seq],
    );
    if (!r.length) throw stale(key, attempt);
    const progress = await this.progress(jobId, tablePlan);
    if (!progress.last) {
      const [nonEmpty] = await this.conn.query(`SELECT EXISTS (SELECT 1 FROM ${qualified(tablePlan.target.schema!, tablePlan.target.name)})::text`);
      if (nonEmpty![0] === 'true') {
        throw new DeliveryError(
          DeliveryFailureType.InvalidParameters,
          `Target table ${key} already holds rows that this job did not write: empty it or choose another target schema.`,
        );
      }
    }
    return progress;
  }

  async progress(jobId: string, tablePlan: TablePlan): Promise<TableProgress> {
    const key = tableKey(tablePlan);
    // One round trip: the owner's state, the chunks' sums and the last chunk.
    // The ORDER BY must name the table's integer column: a bare `chunk_no` binds to the output
    // column `chunk_no::text` and sorts as text ('9' > '11'), which resumed from a stale chunk
    // as soon as a table had more than 10 checkpoints (the crash-test flake).
    const [row] = await this.conn.query<unknown[]>(
      `SELECT (SELECT state FROM ${quotePg(CONTROL_SCHEMA)}.table_owner WHERE job_id = $1 AND table_name = $2),
              a.*, l.chunk_no::text, l.key_after, l.key_upto, l.rows_loaded::text, l.rows_rejected::text, l.attempt_id
         FROM (SELECT count(*)::text, coalesce(sum(rows_loaded), 0)::text, coalesce(sum(rows_rejected), 0)::text,
                      coalesce(sum((stats->>'zeroDates')::bigint), 0)::text, coalesce(sum((stats->>'coerced')::bigint), 0)::text, coalesce(sum((stats->>'epochDates')::bigint), 0)::text
                 FROM ${quotePg(CONTROL_SCHEMA)}.checkpoint WHERE job_id = $1 AND table_name = $2) AS a
         LEFT JOIN LATERAL (SELECT c.chunk_no, c.key_after, c.key_upto, c.rows_loaded, c.rows_rejected, c.attempt_id FROM ${quotePg(CONTROL_SCHEMA)}.checkpoint AS c
                             WHERE c.job_id = $1 AND c.table_name = $2 ORDER BY c.chunk_no DESC LIMIT 1) AS l ON true`,
      [jobId, key],
    );
    const [state, chunks, loaded, rejected, zeroDates, coerced, epochDates, lastNo, lastAfter, lastUpTo, lastLoaded, lastRejected, lastAttempt] = row!;
    // Chunks are written in order, each only after its predecessor: checkpoints 0..n without a gap.
    if (lastNo !== null && Number(lastNo) + 1 !== Number(chunks)) {
      throw new DeliveryError(
        DeliveryFailureType.InvalidParameters,
        `Copy checkpoints of ${key} (job ${jobId}) are inconsistent: ${String(chunks)} checkpoints but the last is chunk ${String(lastNo)}. Inspect ${CONTROL_SCHEMA}.checkpoint before resuming.`,
      );
    }
    return {
      state: state === 'done' ? 'done' : 'copying',
      chunks: Number(chunks),
      rowsLoaded: Number(loaded),
      rowsRejected: Number(rejected),
      stats: { zeroDates: Number(zeroDates), coerced: Number(coerced), epochDates: Number(epochDates) },
      last:
        lastNo !== null
          ? {
              chunkNo: Number(lastNo),
              after: parseJson(lastAfter),
              upTo: parseJson(lastUpTo),
              rowsLoaded: Number(lastLoaded),
              rowsRejected: Number(lastRejected),
              attemptId: String(lastAttempt),
            }
          : null,
    };
  }

  /**
   * Writes one chunk: `write` streams COPY text into the given writable. Data, rejects and the
   * checkpoint commit together, and only while `attempt` still owns the table.
   */
  async writeChunk(
    jobId: string,
    table: TablePlan,
    attempt: CopyAttempt,
    chunkNo: number,
    range: KeyRange,
    write: (copyIn: Writable) => Promise<ChunkWrite>,
  ): Promise<Checkpoint> {
    const key = tableKey(table);
    try {
      return await this.tx(async (c) => {
        const own = await c.query({
          text: `SELECT attempt_id FROM ${quotePg(CONTROL_SCHEMA)}.table_owner WHERE job_id = $1 AND table_name = $2 FOR UPDATE`,
          values: [jobId, key],
          rowMode: 'array',
        });
        if (own.rows[0]?.[0] !== attempt.id) throw stale(key, attempt);
        const dup = await c.query({
          text: `SELECT chunk_no, attempt_id FROM ${quotePg(CONTROL_SCHEMA)}.checkpoint WHERE job_id = $1 AND table_name = $2 AND chunk_no >= $3 ORDER BY chunk_no`,
          values: [jobId, key, chunkNo],
          rowMode: 'array',
        });
        if (dup.rowCount) throw stale(key, attempt, `chunk ${chunkNo} is already committed (${dup.rows.map((r) => `${r[0]} by ${r[1]}`).join(', ')})`);
        const copyIn = c.query(
          copyFrom(`COPY ${qualified(table.target.schema!, table.target.name)} (${table.columns.map((col) => quotePg(col.name)).join(', ')}) FROM STDIN`),
        );
        const w = await write(copyIn);
        const loaded = copyIn.rowCount ?? w.rowsSent;
        const upTo = w.upTo !== undefined ? w.upTo : range.upTo;
        if (w.rejects.length) {
          await c.query(
            `INSERT INTO ${quotePg(CONTROL_SCHEMA)}.reject (job_id, table_name, chunk_no, row_key, column_name, reason)
             SELECT $1, $2, $3, r.k, r.c, r.r FROM jsonb_to_recordset($4::jsonb) AS r(k jsonb, c text, r text)`,
            [jobId, key, chunkNo, JSON.stringify(w.rejects.map((r) => ({ k: r.key, c: r.column, r: r.reason })))],
          );
        }
        await c.query(
          `INSERT INTO ${quotePg(CONTROL_SCHEMA)}.checkpoint (job_id, table_name, chunk_no, key_after, key_upto, rows_loaded, rows_rejected, stats, checksum, attempt_id)
           VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8::jsonb, $9, $10)`,
          [jobId, key, chunkNo, JSON.stringify(range.after), JSON.stringify(upTo), loaded, w.rejects.length, JSON.stringify(w.stats), w.checksum, attempt.id],
        );
        return { chunkNo, after: range.after, upTo, rowsLoaded: loaded, rowsRejected: w.rejects.length, attemptId: attempt.id };
      });
    } catch (err) {
      const e = err as { code?: string; where?: string; message?: string; column?: string };
      if (typeof e?.code === 'string' && /^2[23]/.test(e.code)) {
        const m = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(e.where ?? '');
        throw new CopyDataError(m ? Number(m[1]) : null, m?.[2] ?? null, e.message ?? String(err), e.code);
      }
      throw classifyDriverError(err, `PostgreSQL target (${key})`);
    }
  }

  async markDone(jobId: string, table: TablePlan, attempt: CopyAttempt): Promise<void> {
    const key = tableKey(table);
    await this.tx(async (c) => {
      const own = await c.query({
        text: `SELECT attempt_id FROM ${quotePg(CONTROL_SCHEMA)}.table_owner WHERE job_id = $1 AND table_name = $2 FOR UPDATE`,
        values: [jobId, key],
        rowMode: 'array',
      });
      if (own.rows[0]?.[0] !== attempt.id) throw stale(key, attempt);
      await c.query(`UPDATE ${quotePg(CONTROL_SCHEMA)}.table_owner SET state = 'done', finished_at = now() WHERE job_id = $1 AND table_name = $2`, [
        jobId,
        key,
      ]);
    });
  }

  /**
   * Takes over a unit of resumable work that is not a copy (a verification) for `attempt`, as
   * `claim` does for a table: a newer attempt wins, an older one is fenced out. Returns where the
   * unit stands; a finished unit is returned as it is.
   */
  async claimUnit(u: WorkUnit, attempt: CopyAttempt, detail: Record<string, unknown>): Promise<UnitProgress> {
    await this.ensureControlTables();
    const client = await this.checkout();
    try {
      const r = await client.query(
        `INSERT INTO ${quotePg(CONTROL_SCHEMA)}.table_owner AS o (job_id, table_name, attempt_id, attempt_seq, detail) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (job_id, table_name) DO UPDATE SET attempt_id = EXCLUDED.attempt_id, attempt_seq = EXCLUDED.attempt_seq, claimed_at = now()
         WHERE o.attempt_seq <= EXCLUDED.attempt_seq AND o.state = 'copying' RETURNING o.attempt_id`,
        [u.jobId, u.unit, attempt.id, attempt.seq, JSON.stringify(detail)],
      );
      const progress = await unitProgress(client, u);
      if (!r.rowCount && progress.state !== 'done') throw stale(u.unit, attempt);
      return progress;
    } catch (err) {
      throw err instanceof DeliveryError ? err : classifyDriverError(err, `PostgreSQL target (${u.unit})`);
    } finally {
      client.release();
    }
  }

  /** Records a finished chunk of a unit claimed with `claimUnit` (and merges `detail`); a fenced-out attempt gets StaleAttempt. */
  async commitUnitChunk(u: WorkUnit, attempt: CopyAttempt, chunk: ChunkRecord, detail?: Record<string, unknown>): Promise<void> {
    await this.tx(async (c) => {
      await this.ownUnit(c, u, attempt);
      await commitChunk(c, u, chunk);
      if (detail) await setUnitState(c, u, 'copying', detail);
    });
  }

  /** Merges `detail` into a unit claimed with `claimUnit` (what a retry must reuse, e.g. how it was cut into chunks). */
  async updateUnitDetail(u: WorkUnit, attempt: CopyAttempt, detail: Record<string, unknown>): Promise<void> {
    await this.tx(async (c) => {
      await this.ownUnit(c, u, attempt);
      await setUnitState(c, u, 'copying', detail);
    });
  }

  /** Marks a unit claimed with `claimUnit` done, keeping `detail` (e.g. its verdict) for a rerun. */
  async finishUnit(u: WorkUnit, attempt: CopyAttempt, detail: Record<string, unknown>): Promise<void> {
    await this.tx(async (c) => {
      await this.ownUnit(c, u, attempt);
      await setUnitState(c, u, 'done', detail);
    });
  }

  private async ownUnit(c: PoolClient, u: WorkUnit, attempt: CopyAttempt): Promise<void> {
    const own = await c.query({
      text: `SELECT attempt_id FROM ${quotePg(CONTROL_SCHEMA)}.table_owner WHERE job_id = $1 AND table_name = $2 FOR UPDATE`,
      values: [u.jobId, u.unit],
      rowMode: 'array',
    });
    if (own.rows[0]?.[0] !== attempt.id) throw stale(u.unit, attempt);
  }

  async rejectedKeys(jobId: string, table: TablePlan): Promise<RejectRow[]> {
    const rows = await this.conn.query<[unknown, string, string]>(
      `SELECT row_key, column_name, reason FROM ${quotePg(CONTROL_SCHEMA)}.reject WHERE job_id = $1 AND table_name = $2 ORDER BY id`,
      [jobId, tableKey(table)],
    );
    return rows.map((r) => ({ key: parseJson(r[0]) ?? [], column: r[1], reason: r[2] }));
  }

  /**
   * After all data: primary keys, unique constraints, indexes, foreign keys (any order works now,
   * cycles included), then identities moved past the max key. Idempotent.
   */
  async finalize(plan: CopyPlan, sourceEngine = plan.sourceEngine): Promise<{ statements: number; warnings: string[] }> {
    const warnings: string[] = [];
    let statements = 0;
    const byName = new Map(plan.tables.map((t) => [t.source.ref.name, t]));
    const colName = (t: TablePlan, src: string) => t.columns.find((c) => c.sourceName === src)?.name ?? src;
    const exists = async (table: string, name: string) =>
      (await this.conn.query(`SELECT 1 FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2`, [table, name])).length > 0;
    const run = async (sql: string) => {
      statements++;
      await this.conn.query(sql);
    };
    for (const t of plan.tables) {
      const q = qualified(t.target.schema!, t.target.name);
      const name = (n: string) => (sourceEngine === 'postgres' ? n : pgName(t.target.name, n));
      if (t.source.primaryKey.length) {
        const n = pgName(t.target.name, 'pkey');
        if (!(await exists(q, n)))
          await run(`ALTER TABLE ${q} ADD CONSTRAINT ${quotePg(n)} PRIMARY KEY (${t.source.primaryKey.map((c) => quotePg(colName(t, c))).join(', ')})`);
      }
      for (const u of t.source.uniqueKeys) {
        const n = name(u.name);
        if (!(await exists(q, n)))
          await run(`ALTER TABLE ${q} ADD CONSTRAINT ${quotePg(n)} UNIQUE (${u.columns.map((c) => quotePg(colName(t, c))).join(', ')})`);
      }
      for (const i of t.source.indexes) {
        const cols = i.columns.map((c) => quotePg(colName(t, c)));
        if (i.kind === 'fulltext') {
          // MATCH … AGAINST becomes to_tsvector('simple', …) @@ …: language-neutral, like MySQL's default parser.
          await run(
            `CREATE INDEX IF NOT EXISTS ${quotePg(name(i.name))} ON ${q} USING gin (to_tsvector('simple', ${cols.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `)}))`,
          );
        } else if (i.kind === 'spatial') {
          if (i.columns.every((c) => t.columns.find((x) => x.sourceName === c)?.pgType === 'point'))
            await run(`CREATE INDEX IF NOT EXISTS ${quotePg(name(i.name))} ON ${q} USING gist (${cols.join(', ')})`);
          else warnings.push(`${t.target.name}: SPATIAL index ${i.name} is on WKT text; not created.`);
        } else {
          await run(`CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quotePg(name(i.name))} ON ${q} (${cols.join(', ')})`);
        }
      }
    }
    for (const t of plan.tables) {
      const q = qualified(t.target.schema!, t.target.name);
      for (const fk of t.source.foreignKeys) {
        const parent = byName.get(fk.references.name);
        if (!parent) {
          warnings.push(`${t.target.name}: foreign key ${fk.name} references ${fk.references.name}, which is not part of this copy; not created.`);
          continue;
        }
        const n = sourceEngine === 'postgres' ? fk.name : pgName(t.target.name, fk.name.startsWith('fk_') ? fk.name.slice(3) : fk.name, 'fkey');
        if (await exists(q, n)) continue;
        const action = (a?: string) => (a && /^(CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)$/i.test(a) ? a.toUpperCase() : 'NO ACTION');
        await run(
          `ALTER TABLE ${q} ADD CONSTRAINT ${quotePg(n)} FOREIGN KEY (${fk.columns.map((c) => quotePg(colName(t, c))).join(', ')})
           REFERENCES ${qualified(parent.target.schema!, parent.target.name)} (${fk.referencedColumns.map((c) => quotePg(colName(parent, c))).join(', ')})
           ON DELETE ${action(fk.onDelete)} ON UPDATE ${action(fk.onUpdate)}`,
        );
      }
    }
    for (const t of plan.tables) {
      const q = qualified(t.target.schema!, t.target.name);
      for (const c of t.columns.filter((c) => c.identity)) {
        statements++;
        await this.conn.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quotePg(c.name)}), 0) + 1, false) FROM ${q}`, [q, c.name]);
      }
    }
    for (const t of plan.tables) {
      const q = qualified(t.target.schema!, t.target.name);
      for (const c of t.checks ?? []) {
        const n = pgName(t.target.name, c.name);
        if (await exists(q, n)) continue;
        try {
          await run(`ALTER TABLE ${q} ADD CONSTRAINT ${quotePg(n)} CHECK (${c.sql})`);
        } catch (err) {
          warnings.push(`${t.target.name}: CHECK ${c.name} not created: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }
    for (const t of plan.tables) {
      const stamped = t.columns.filter((c) => c.onUpdateNow);
      if (!stamped.length) continue;
      // MySQL ON UPDATE CURRENT_TIMESTAMP: set when the row changes and the statement left the column alone
      // (rows compared as text: point and json have no equality operator).
      const q = qualified(t.target.schema!, t.target.name);
      const fn = qualified(t.target.schema!, pgName(t.target.name, 'on_update'));
      const sets = stamped
        .map((c) => `  IF NEW.${quotePg(c.name)} IS NOT DISTINCT FROM OLD.${quotePg(c.name)} THEN NEW.${quotePg(c.name)} := CURRENT_TIMESTAMP; END IF;`)
        .join('\n');
      await run(
        `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sdo$\nBEGIN\n IF NEW::text IS DISTINCT FROM OLD::text THEN\n${sets}\n END IF;\n RETURN NEW;\nEND\n$sdo$`,
      );
      await run(`DROP TRIGGER IF EXISTS ${quotePg(pgName(t.target.name, 'on_update'))} ON ${q}`);
      await run(`CREATE TRIGGER ${quotePg(pgName(t.target.name, 'on_update'))} BEFORE UPDATE ON ${q} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    }
    for (const t of plan.tables) {
      const q = qualified(t.target.schema!, t.target.name);
      for (const tr of t.triggers ?? []) {
        const fn = qualified(t.target.schema!, tr.name);
        await run(
          `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sdo$\nBEGIN\n  ${tr.statements.join('\n  ')}\n  RETURN NEW;\nEND\n$sdo$`,
        );
        await run(`DROP TRIGGER IF EXISTS ${quotePg(tr.name)} ON ${q}`);
        await run(`CREATE TRIGGER ${quotePg(tr.name)} ${tr.timing} ${tr.event} ON ${q} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
      }
    }
    // Views after the data; one may read another, so rounds until none more can be created. A view
    // PostgreSQL refuses stays an action item (the reports check the target for it), never a failure.
    let pending = (plan.views ?? []).filter((v) => v.sql);
    const refused = new Map<string, string>();
    while (pending.length) {
      const left: typeof pending = [];
      for (const v of pending) {
        try {
          statements++;
          await this.conn.query(v.sql!);
          refused.delete(v.name);
        } catch (err) {
          refused.set(v.name, err instanceof Error ? err.message : String(err));
          left.push(v);
        }
      }
      if (left.length === pending.length) break;
      pending = left;
    }
    for (const [v, why] of refused) warnings.push(`view ${v} not created: ${why}`);
    return { statements, warnings };
  }

  async saveReport(jobId: string, kind: string, body: unknown): Promise<string> {
    await this.ensureControlTables();
    const [r] = await this.conn.query(`INSERT INTO ${quotePg(CONTROL_SCHEMA)}.report (job_id, kind, body) VALUES ($1, $2, $3::jsonb) RETURNING id::text`, [
      jobId,
      kind,
      JSON.stringify(body),
    ]);
    return r![0]!;
  }

  async loadReport<T>(id: string): Promise<T | null> {
    const [r] = await this.conn.query<[unknown]>(`SELECT body FROM ${quotePg(CONTROL_SCHEMA)}.report WHERE id = $1::uuid`, [id]);
    return r ? (parseJson(r[0]) as T) : null;
  }
}

export function createTableSql(table: TablePlan): string {
  const cols = table.columns.map((c) => {
    let s = `${quotePg(c.name)} ${c.pgType}`;
    if (c.identity) s += ' GENERATED BY DEFAULT AS IDENTITY';
    else if (c.defaultSql) s += ` DEFAULT ${c.defaultSql}`;
    if (!c.nullable) s += ' NOT NULL';
    if (c.checkIn?.length) s += ` CHECK (${quotePg(c.name)} IN (${c.checkIn.map(pgLiteral).join(', ')}))`;
    return s;
  });
  return `CREATE TABLE IF NOT EXISTS ${qualified(table.target.schema!, table.target.name)} (\n  ${cols.join(',\n  ')}\n)`;
}

function stale(table: string, attempt: CopyAttempt, why?: string): DeliveryError {
  return new DeliveryError(
    DeliveryFailureType.StaleAttempt,
    `Copy attempt ${attempt.id} no longer owns table ${table}: a newer attempt took over, so this one stops without writing.${why ? ` (${why})` : ''}`,
  );
}

function parseJson(v: unknown): KeyTuple | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as KeyTuple | null;
}

export function md5Hex(): ReturnType<typeof createHash> {
  return createHash('md5');
}
