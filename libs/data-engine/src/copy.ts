import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import type { ReadColumn, SourceConnector } from './connectors/connector';
import { CopyTextWriter, unescapeCopyField } from './convert/copy-text';
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

function keyColumns(table: TablePlan): ColumnInfo[] {
  return table.keyColumns.map((k) => table.source.columns.find((c) => c.name === k)!);
}

function readColumns(table: TablePlan): ReadColumn[] {
  return table.columns.map((c) => ({ source: table.source.columns.find((s) => s.name === c.sourceName)!, kind: c.kind, scale: c.scale, target: c }));
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
    return {
      ...base,
      rowsLoaded: progress.rowsLoaded,
      rowsRejected: progress.rowsRejected,
      chunks: progress.chunks,
      chunksThisAttempt: 0,
      rowsThisAttempt: 0,
      stats: progress.stats,
      durationMs: Date.now() - started,
    };
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
  const onCommitted = async (cp: Checkpoint & { stats: ConversionStats }) => {
    await options.afterChunkCommit?.(cp);
    chunksThisAttempt++;
    rowsThisAttempt += cp.rowsLoaded + cp.rowsRejected;
    rowsLoaded += cp.rowsLoaded;
    rowsRejected += cp.rowsRejected;
    stats = addStats(stats, cp.stats);
    after = cp.upTo;
    options.onProgress?.({
      table: base.table,
      chunkNo: cp.chunkNo,
      rowsLoaded,
      rowsRejected,
      rate: rowsThisAttempt / Math.max(0.001, (Date.now() - started) / 1000),
      lastKey: after,
    });
    chunkNo++;
  };
  if (!keyless && source.engine === 'postgres' && options.plan.sourceEngine === 'postgres' && source.copyOut) {
    await streamSameEngine(source, target, t, options, key, chunkRows, () => ({ after, chunkNo }), onCommitted);
    await target.markDone(jobId, t, options.attempt);
    return { ...base, rowsLoaded, rowsRejected, chunks: chunkNo, chunksThisAttempt, rowsThisAttempt, stats, durationMs: Date.now() - started };
  }
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
    await onCommitted(await writeChunkWithRejectRetry(source, target, t, options, chunkNo, range, key));
  }
  await target.markDone(jobId, t, options.attempt);
  return { ...base, rowsLoaded, rowsRejected, chunks: chunkNo, chunksThisAttempt, rowsThisAttempt, stats, durationMs: Date.now() - started };
}

/**
 * A value PostgreSQL refuses although our rules let it through (a data error, SQLSTATE class
 * 22/23) must not fail the chunk forever: the refused line is turned into a reject with
 * PostgreSQL's message, and the chunk is written again without it.
 */
async function writeChunkWithRejectRetry(
  source: SourceConnector,
  target: PgTarget,
  table: TablePlan,
  options: CopyTableOptions,
  chunkNo: number,
  range: KeyRange,
  key: ColumnInfo[],
): Promise<Checkpoint & { stats: ConversionStats }> {
  const forced = new Map<string, string>();
  for (let tries = 0; ; tries++) {
    let lineKeys: KeyTuple[] = [];
    let stats = emptyStats();
    try {
      const cp = await target.writeChunk(options.plan.jobId, table, options.attempt, chunkNo, range, async (copyIn) => {
        const w =
          source.engine === 'postgres' && options.plan.sourceEngine === 'postgres' && source.copyOut
            ? await pipeSameEngine(source, table, key, range, copyIn, options.signal)
            : await convertRows(source, table, key, range, copyIn, forced, (k) => (lineKeys = k), options.signal);
        stats = w.stats;
        return w;
      });
      return { ...cp, stats };
    } catch (err) {
      if (!(err instanceof CopyDataError) || source.engine === 'postgres' || err.line === null || tries > 1000) {
        if (err instanceof CopyDataError) {
          throw new DeliveryError(DeliveryFailureType.UnsupportedType, `PostgreSQL refused data of ${tableKey(table)} (chunk ${chunkNo}): ${err.message}`);
        }
        throw err;
      }
      const k = lineKeys[err.line - 1];
      if (!k)
        throw new DeliveryError(
          DeliveryFailureType.UnsupportedType,
          `PostgreSQL refused line ${err.line} of ${tableKey(table)} chunk ${chunkNo}: ${err.message}`,
        );
      forced.set(JSON.stringify(k), `${err.column ? `${err.column}: ` : ''}${err.message} (SQLSTATE ${err.sqlState})`);
    }
  }
}

/**
 * PostgreSQL → PostgreSQL: ONE `COPY (SELECT … WHERE key > resume point ORDER BY key) TO STDOUT`
 * for the rest of the table, cut at row boundaries into chunks of `chunkRows` rows; each chunk
 * goes into `COPY FROM STDIN` in its own transaction with its checkpoint (`writeChunk`). Bytes are
 * never parsed, except the key fields of each chunk's last line (its checkpoint). No per-chunk
 * source query, no second pass over the data (a running crc32 is the chunk's fingerprint).
 * The chunks are the same as `nextChunkBound` would make: a resumed run recomputes the same ones.
 */
async function streamSameEngine(
  source: SourceConnector,
  target: PgTarget,
  table: TablePlan,
  options: CopyTableOptions,
  key: ColumnInfo[],
  chunkRows: number,
  position: () => { after: KeyTuple | null; chunkNo: number },
  onCommitted: (cp: Checkpoint & { stats: ConversionStats }) => Promise<void>,
): Promise<void> {
  const keyIdx = key.map((k) => table.columns.findIndex((c) => c.sourceName === k.name));
  if (keyIdx.some((i) => i < 0)) throw new Error(`key columns of ${tableKey(table)} are not all copied`);
  const out = await source.copyOut!(
    table.source.ref,
    table.columns.map((c) => table.source.columns.find((s) => s.name === c.sourceName)!),
    key,
    { after: position().after, upTo: null },
  );
  const it = out.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | null = null;
  let ended = false;
  const pull = async (): Promise<boolean> => {
    if (pending) return true;
    if (ended) return false;
    const n = await it.next();
    if (n.done) {
      ended = true;
      return false;
    }
    pending = n.value.length ? n.value : null;
    return pull();
  };
  let ok = false;
  try {
    for (;;) {
      checkAbort(options.signal);
      if (!(await pull())) break;
      const { after, chunkNo } = position();
      let cp: Checkpoint;
      try {
        cp = await target.writeChunk(options.plan.jobId, table, options.attempt, chunkNo, { after, upTo: null }, async (copyIn) => {
          let failed: Error | null = null;
          copyIn.once('error', (e) => (failed = e));
          let rows = 0;
          let crc = 0;
          let carry: Buffer[] = []; // bytes of the line in progress that began in earlier buffers
          let last: Buffer | null = null; // the chunk's last complete line
          while (rows < chunkRows && (await pull())) {
            checkAbort(options.signal);
            const buf: Buffer = pending!;
            let prev = -1;
            let lastNl = -1;
            let lastStart = -1;
            for (let i = buf.indexOf(10); i !== -1; i = rows < chunkRows ? buf.indexOf(10, i + 1) : -1) {
              rows++;
              lastStart = prev + 1;
              lastNl = i;
              prev = i;
              if (rows === chunkRows) break;
            }
            const cut = rows === chunkRows && lastNl !== -1 ? lastNl + 1 : buf.length;
            if (lastNl !== -1) {
              last = lastStart === 0 && carry.length ? Buffer.concat([...carry, buf.subarray(0, lastNl)]) : buf.subarray(lastStart, lastNl);
              carry = lastNl + 1 < cut ? [buf.subarray(lastNl + 1, cut)] : [];
            } else {
              carry.push(buf);
            }
            const piece = cut === buf.length ? buf : buf.subarray(0, cut);
            pending = cut === buf.length ? null : buf.subarray(cut);
            crc = crc32(piece, crc);
            if (failed) throw failed;
            if (!copyIn.write(piece))
              await Promise.race([
                once(copyIn, 'drain'),
                once(copyIn, 'error').then(([e]) => {
                  throw e;
                }),
              ]);
          }
          if (carry.length) throw new Error(`COPY data of ${tableKey(table)} ended inside a row`);
          copyIn.end();
          await Promise.race([
            once(copyIn, 'finish'),
            once(copyIn, 'error').then(([e]) => {
              throw e;
            }),
          ]);
          if (failed) throw failed;
          const fields = last!.toString('utf8').split('\t');
          const upTo = keyIdx.map((i) => unescapeCopyField(fields[i] ?? '\\N'));
          if (upTo.some((v) => v === null)) throw new Error(`a key of ${tableKey(table)} is NULL in chunk ${chunkNo}`);
          return { rowsSent: rows, rejects: [], stats: emptyStats(), checksum: `crc32:${(crc >>> 0).toString(16).padStart(8, '0')}`, upTo: upTo as KeyTuple };
        });
      } catch (err) {
        if (err instanceof CopyDataError)
          throw new DeliveryError(DeliveryFailureType.UnsupportedType, `PostgreSQL refused data of ${tableKey(table)} (chunk ${chunkNo}): ${err.message}`);
        throw err;
      }
      await onCommitted({ ...cp, stats: emptyStats() });
    }
    ok = true;
  } finally {
    if (ok || ended)
      await out.done(); // the COPY finished: the connection is idle again
    else {
      // Mid-COPY: stop reading and discard the connection (closing it ends the COPY on the server).
      out.stream.destroy();
      await out.done(new Error('copy stopped'));
    }
  }
}

/** PostgreSQL → PostgreSQL for a keyless table (one chunk): COPY TO STDOUT bytes straight into COPY FROM STDIN. */
async function pipeSameEngine(
  source: SourceConnector,
  table: TablePlan,
  key: ColumnInfo[],
  range: KeyRange,
  copyIn: Writable,
  signal?: AbortSignal,
): Promise<ChunkWrite> {
  const out = await source.copyOut!(
    table.source.ref,
    table.columns.map((c) => table.source.columns.find((s) => s.name === c.sourceName)!),
    key,
    range,
  );
  let crc = 0;
  let rows = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      crc = crc32(chunk, crc);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(out.stream, tap, copyIn, { signal });
  } finally {
    await out.done();
  }
  return { rowsSent: rows, rejects: [], stats: emptyStats(), checksum: `crc32:${(crc >>> 0).toString(16).padStart(8, '0')}` };
}

/** Other engines: rows → converters (CASTING.md) → COPY text, with backpressure and a bounded buffer. */
async function convertRows(
  source: SourceConnector,
  table: TablePlan,
  key: ColumnInfo[],
  range: KeyRange,
  copyIn: Writable,
  forced: Map<string, string>,
  exposeLineKeys: (k: KeyTuple[]) => void,
  signal?: AbortSignal,
): Promise<ChunkWrite> {
  const cols = readColumns(table);
  const converters = cols.map((c) => makeConverter(source.engine, c.source, c.target!));
  const keyIdx = key.map((k) => cols.findIndex((c) => c.source.name === k.name));
  const writer = new CopyTextWriter();
  let crc = 0;
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
    crc = crc32(buf, crc);
    if (!copyIn.write(buf))
      await Promise.race([
        once(copyIn, 'drain'),
        once(copyIn, 'error').then(([e]) => {
          throw e;
        }),
      ]);
  };
  const keyOf = (row: unknown[]) => keyIdx.map((i) => keyText(row[i]));
  const convert = (row: unknown[]) => {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('copy cancelled');
    const k = keyOf(row);
    const forcedReason = forced.size ? forced.get(JSON.stringify(k)) : undefined;
    if (forcedReason) {
      rejects.push({ key: k, column: forcedReason.split(':')[0]!, reason: forcedReason });
      return;
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
  };
  const rowsIn = source.readRows(table.source.ref, cols, key, range) as AsyncIterable<unknown[]> & Partial<Iterable<unknown[]>>;
  if (typeof rowsIn[Symbol.iterator] === 'function') {
    // In-process sources (SQLite) also iterate synchronously: no promise per row.
    for (const row of rowsIn as Iterable<unknown[]>) {
      convert(row);
      if (writer.size >= FLUSH_BYTES) await flush();
    }
  } else {
    for await (const row of rowsIn) {
      convert(row);
      if (writer.size >= FLUSH_BYTES) await flush();
    }
  }
  if (writer.size) await flush();
  copyIn.end();
  await Promise.race([
    once(copyIn, 'finish'),
    once(copyIn, 'error').then(([e]) => {
      throw e;
    }),
  ]);
  if (failed) throw failed;
  return { rowsSent: rows, rejects, stats, checksum: `crc32:${(crc >>> 0).toString(16).padStart(8, '0')}` };
}

function keyText(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}
