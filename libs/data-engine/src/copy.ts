import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import type { ReadColumn, SourceConnector } from './connectors/connector';
import { CopyTextWriter } from './convert/copy-text';
import { addStats, emptyStats, makeConverter, ValueReject, type ConversionStats } from './convert/values';
import type { ColumnInfo, CopyPlan, KeyRange, KeyTuple, TablePlan } from './model';
import { findTable } from './plan';
import { CopyDataError, PgTarget, tableKey, type Checkpoint, type ChunkWrite, type CopyAttempt, type RejectRow } from './target/pg-target';

export interface CopyProgress {
  table: string;
  chunkNo: number;
  rowsLoaded: number;
  rowsRejected: number;
  /** Rows per second over this attempt. */
  rate: number;
  /** Upper key of the last committed chunk: a resume hint (the durable checkpoint is in the target). */
  lastKey: KeyTuple | null;
}

export interface CopyTableOptions {
  plan: CopyPlan;
  /** Target (or source) table name from the plan. */
  table: string;
  attempt: CopyAttempt;
  /** Rows per chunk (one transaction each). */
  chunkRows?: number;
  signal?: AbortSignal;
  onProgress?: (p: CopyProgress) => void;
  /** Test hook: runs right after a chunk's transaction committed. */
  afterChunkCommit?: (c: Checkpoint) => void | Promise<void>;
}

export interface CopyTableResult {
  table: string;
  rowsLoaded: number;
  rowsRejected: number;
  chunks: number;
  /** Chunks written by this attempt (0 when re-running a finished copy). */
  chunksThisAttempt: number;
  rowsThisAttempt: number;
  resumedAtChunk: number;
  stats: ConversionStats;
  durationMs: number;
}

const DEFAULT_CHUNK_ROWS = 50_000;
const FLUSH_BYTES = 256 * 1024;

function keyColumns(t: TablePlan): ColumnInfo[] {
  return t.keyColumns.map((k) => t.source.columns.find((c) => c.name === k)!);
}

function readColumns(t: TablePlan): ReadColumn[] {
  return t.columns.map((c) => ({ source: t.source.columns.find((s) => s.name === c.sourceName)!, kind: c.kind, scale: c.scale, target: c }));
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('copy cancelled');
}

/**
 * Copies one table in key-ordered chunks. Resumes after the last checkpoint in the target;
 * re-running a finished table writes nothing. Chunk boundaries come from the source's key order
 * (`nextChunkBound`), so a retry recomputes exactly the same chunks.
 */
export async function copyTable(source: SourceConnector, target: PgTarget, options: CopyTableOptions): Promise<CopyTableResult> {
  const started = Date.now();
  const t = findTable(options.plan, options.table);
  const jobId = options.plan.jobId;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const progress = await target.claim(jobId, t, options.attempt);
  const base = { table: tableKey(t), resumedAtChunk: progress.last ? progress.last.chunkNo + 1 : 0 };
  if (progress.state === 'done') {
    return { ...base, rowsLoaded: progress.rowsLoaded, rowsRejected: progress.rowsRejected, chunks: progress.chunks, chunksThisAttempt: 0, rowsThisAttempt: 0, stats: progress.stats, durationMs: Date.now() - started };
  }
  const key = keyColumns(t);
  let after = progress.last?.upTo ?? null;
  let chunkNo = progress.last ? progress.last.chunkNo + 1 : 0;
  let rowsLoaded = progress.rowsLoaded;
  let rowsRejected = progress.rowsRejected;
  let stats = progress.stats;
  let chunksThisAttempt = 0;
  let rowsThisAttempt = 0;
  const keyless = key.length === 0;
  if (keyless && progress.last) after = null; // the single chunk is already in
  for (;;) {
    checkAbort(options.signal);
    let range: KeyRange;
    if (keyless) {
      if (progress.last || chunksThisAttempt > 0) break;
      range = { after: null, upTo: null };
    } else {
      const upTo = await source.nextChunkBound(t.source.ref, key, after, chunkRows);
      if (!upTo) break;
      range = { after, upTo };
    }
    const cp = await writeChunkWithRejectRetry(source, target, t, options, chunkNo, range, key);
    await options.afterChunkCommit?.(cp);
    chunksThisAttempt++;
    rowsThisAttempt += cp.rowsLoaded + cp.rowsRejected;
    rowsLoaded += cp.rowsLoaded;
    rowsRejected += cp.rowsRejected;
    stats = addStats(stats, cp.stats);
    after = range.upTo;
    options.onProgress?.({ table: base.table, chunkNo, rowsLoaded, rowsRejected, rate: rowsThisAttempt / Math.max(0.001, (Date.now() - started) / 1000), lastKey: after });
    chunkNo++;
  }
  await target.markDone(jobId, t, options.attempt);
  return { ...base, rowsLoaded, rowsRejected, chunks: chunkNo, chunksThisAttempt, rowsThisAttempt, stats, durationMs: Date.now() - started };
}

/**
 * A value PostgreSQL refuses although our rules let it through (a data error, SQLSTATE class
 * 22/23) must not fail the chunk forever: the refused line is turned into a reject with
 * PostgreSQL's message, and the chunk is written again without it.
 */
async function writeChunkWithRejectRetry(source: SourceConnector, target: PgTarget, t: TablePlan, options: CopyTableOptions, chunkNo: number, range: KeyRange, key: ColumnInfo[]): Promise<Checkpoint & { stats: ConversionStats }> {
  const forced = new Map<string, string>();
  for (let tries = 0; ; tries++) {
    let lineKeys: KeyTuple[] = [];
    let stats = emptyStats();
    try {
      const cp = await target.writeChunk(options.plan.jobId, t, options.attempt, chunkNo, range, async (copyIn) => {
        const w = source.engine === 'postgres' && options.plan.sourceEngine === 'postgres' && source.copyOut
          ? await pipeSameEngine(source, t, key, range, copyIn, options.signal)
          : await convertRows(source, t, key, range, copyIn, forced, (k) => (lineKeys = k), options.signal);
        stats = w.stats;
        return w;
      });
      return { ...cp, stats };
    } catch (err) {
      if (!(err instanceof CopyDataError) || source.engine === 'postgres' || err.line === null || tries > 1000) {
        if (err instanceof CopyDataError) {
          throw new DeliveryError(DeliveryFailureType.UnsupportedType, `PostgreSQL refused data of ${tableKey(t)} (chunk ${chunkNo}): ${err.message}`);
        }
        throw err;
      }
      const k = lineKeys[err.line - 1];
      if (!k) throw new DeliveryError(DeliveryFailureType.UnsupportedType, `PostgreSQL refused line ${err.line} of ${tableKey(t)} chunk ${chunkNo}: ${err.message}`);
      forced.set(JSON.stringify(k), `${err.column ? `${err.column}: ` : ''}${err.message} (SQLSTATE ${err.sqlState})`);
    }
  }
}

/** PostgreSQL → PostgreSQL: COPY TO STDOUT bytes go straight into COPY FROM STDIN, hashed on the way, never parsed. */
async function pipeSameEngine(source: SourceConnector, t: TablePlan, key: ColumnInfo[], range: KeyRange, copyIn: Writable, signal?: AbortSignal): Promise<ChunkWrite> {
  const out = await source.copyOut!(t.source.ref, t.columns.map((c) => t.source.columns.find((s) => s.name === c.sourceName)!), key, range);
  const hash = createHash('md5');
  let rows = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(out.stream, tap, copyIn, { signal });
  } finally {
    await out.done();
  }
  return { rowsSent: rows, rejects: [], stats: emptyStats(), checksum: hash.digest('hex') };
}

/** Other engines: rows → converters (CASTING.md) → COPY text, with backpressure and a bounded buffer. */
async function convertRows(
  source: SourceConnector,
  t: TablePlan,
  key: ColumnInfo[],
  range: KeyRange,
  copyIn: Writable,
  forced: Map<string, string>,
  exposeLineKeys: (k: KeyTuple[]) => void,
  signal?: AbortSignal,
): Promise<ChunkWrite> {
  const cols = readColumns(t);
  const converters = cols.map((c) => makeConverter(source.engine, c.source, c.target!));
  const keyIdx = key.map((k) => cols.findIndex((c) => c.source.name === k.name));
  const writer = new CopyTextWriter();
  const hash = createHash('md5');
  const stats = emptyStats();
  const rejects: RejectRow[] = [];
  const lineKeys: KeyTuple[] = [];
  exposeLineKeys(lineKeys);
  let rows = 0;
  let failed: Error | null = null;
  copyIn.once('error', (e) => (failed = e));
  const flush = async () => {
    if (failed) throw failed;
    const buf = writer.take();
    hash.update(buf);
    if (!copyIn.write(buf)) await Promise.race([once(copyIn, 'drain'), once(copyIn, 'error').then(([e]) => { throw e; })]);
  };
  const keyOf = (row: unknown[]) => keyIdx.map((i) => keyText(row[i]));
  for await (const row of source.readRows(t.source.ref, cols, key, range)) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('copy cancelled');
    const k = keyOf(row);
    const forcedReason = forced.size ? forced.get(JSON.stringify(k)) : undefined;
    if (forcedReason) {
      rejects.push({ key: k, column: forcedReason.split(':')[0]!, reason: forcedReason });
      continue;
    }
    const mark = writer.mark();
    try {
      for (let i = 0; i < converters.length; i++) {
        if (i) writer.tab();
        const v = converters[i]!(row[i], stats);
        if (v === null) writer.writeNull();
        else writer.writeValue(v);
      }
      writer.newline();
      rows++;
      lineKeys.push(k);
    } catch (err) {
      if (!(err instanceof ValueReject)) throw err;
      writer.rollback(mark);
      rejects.push({ key: k, column: err.column, reason: err.reason });
    }
    if (writer.size >= FLUSH_BYTES) await flush();
  }
  if (writer.size) await flush();
  copyIn.end();
  await Promise.race([once(copyIn, 'finish'), once(copyIn, 'error').then(([e]) => { throw e; })]);
  if (failed) throw failed;
  return { rowsSent: rows, rejects, stats, checksum: hash.digest('hex') };
}

function keyText(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}
