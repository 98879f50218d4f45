import type { ChecksumAlgorithm, KeyBuckets, KeyOrdering, RangeChecksum, ReadColumn, SourceConnector } from './connectors/connector';
import type { PostgresConnector } from './connectors/postgres';
import { isIntegerColumn } from './connectors/connector';
import type { ColumnInfo, CopyPlan, KeyRange, KeyTuple, TablePlan } from './model';
import { findTable } from './plan';
import { tableKey, type CopyAttempt, type PgTarget } from './target/pg-target';
import type { WorkUnit } from './checkpoint';

export interface VerifyOptions {
  plan: CopyPlan;
  table: string;
  /** Rows per verification chunk. */
  chunkRows?: number;
  /** Below this many rows a mismatching range is compared row by row instead of bisected further. */
  rowDiffThreshold?: number;
  /** At most this many keys are listed in the report (all are counted). */
  maxKeysReported?: number;
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
  /**
   * Checkpoints every verified chunk in the target's sdo_copy bookkeeping under `scope` (e.g. one
   * activity: a retry of it resumes after the last verified chunk; a new verification starts over).
   */
  resume?: { scope: string; attempt: CopyAttempt };
}

/** Verified so far: a retry resumes after `lastKey` (chunk `chunkNo`). */
export interface VerifyProgress {
  table: string;
  chunksChecked: number;
  rowsChecked: number;
  chunkNo: number;
  lastKey: KeyTuple | null;
  /** First chunk verified by this attempt (> 0: resumed). */
  resumedAtChunk: number;
}

export type KeyIssue = 'missing' | 'extra' | 'different';

export interface MismatchedRange {
  after: KeyTuple | null;
  upTo: KeyTuple | null;
  sourceRows: number;
  targetRows: number;
}

export interface VerifyResult {
  table: string;
  equal: boolean;
  algorithm: ChecksumAlgorithm;
  sourceRows: number;
  targetRows: number;
  /** Source rows absent from the target because the copy recorded them as rejects. */
  rejectedRows: number;
  chunksChecked: number;
  /** Chunks whose count or checksum differed (before bisection). */
  mismatchedRanges: MismatchedRange[];
  /** Keys whose rows differ and are not explained by a recorded reject. */
  mismatchedKeyCount: number;
  mismatchedKeys: { key: KeyTuple; issue: KeyIssue }[];
  /** First chunk this run verified: > 0 when it resumed from an earlier attempt's checkpoint. */
  resumedAtChunk: number;
  durationMs: number;
}

interface Side {
  conn: SourceConnector;
  table: TablePlan['target'];
  key: ColumnInfo[];
  columns: ReadColumn[];
}

/**
 * Compares source and target table content: per chunk, a count and a checksum computed inside
 * each database over an engine-independent canonical text of every value; mismatching chunks are
 * bisected until the differing rows can be compared one by one, which names their keys.
 */
export async function verifyTable(source: SourceConnector, target: PgTarget, options: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const t = findTable(options.plan, options.table);
  const chunkRows = options.chunkRows ?? 100_000;
  const threshold = options.rowDiffThreshold ?? 2_000;
  const maxKeys = options.maxKeysReported ?? 1_000;
  const algorithm = await chooseAlgorithm(source, target);
  const ordering: KeyOrdering = source.engine === 'postgres' ? 'native' : 'binary';
  const srcKey = t.keyColumns.map((k) => t.source.columns.find((c) => c.name === k)!);
  const src: Side = {
    conn: source,
    table: t.source.ref,
    key: srcKey,
    columns: t.columns.map((c) => ({ source: t.source.columns.find((s) => s.name === c.sourceName)!, kind: c.kind, scale: c.scale, target: c })),
  };
  const targetCol = (name: string): ColumnInfo => {
    const c = t.columns.find((x) => x.sourceName === name)!;
    return { name: c.name, nativeType: c.pgType, baseType: pgBase(c.pgType), nullable: c.nullable, identity: c.identity };
  };
  const tgt: Side = {
    conn: target.conn,
    table: t.target,
    key: t.keyColumns.map(targetCol),
    columns: t.columns.map((c) => ({ source: targetCol(c.sourceName), kind: c.kind, scale: c.scale, target: c })),
  };
  const sum = (s: Side, r: KeyRange) => s.conn.checksum(s.table, s.columns, s.key, r, algorithm, ordering);
  const both = (r: KeyRange) => Promise.all([sum(src, r), sum(tgt, r)]);
  const same = (a: RangeChecksum, b: RangeChecksum) => a.rows === b.rows && a.sum === b.sum;

  const rejects = new Set((await target.rejectedKeys(options.plan.jobId, t)).map((r) => JSON.stringify(r.key)));
  const mismatchedRanges: MismatchedRange[] = [];
  const keys: { key: KeyTuple; issue: KeyIssue }[] = [];
  let keyCount = 0;
  let explained = 0;
  let sourceRows = 0;
  let targetRows = 0;
  let chunksChecked = 0;

  const diffRows = async (r: KeyRange) => {
    const [a, b] = await Promise.all([
      src.conn.rowHashes(src.table, src.columns, src.key, r, algorithm, ordering),
      tgt.conn.rowHashes(tgt.table, tgt.columns, tgt.key, r, algorithm, ordering),
    ]);
    const tm = new Map(b.map((x) => [JSON.stringify(x.key), x.hash]));
    const sm = new Set<string>();
    const note = (key: KeyTuple, issue: KeyIssue) => {
      keyCount++;
      if (keys.length < maxKeys) keys.push({ key, issue });
    };
    for (const x of a) {
      const k = JSON.stringify(x.key);
      sm.add(k);
      const h = tm.get(k);
      if (h === undefined) {
        if (rejects.has(k)) explained++;
        else note(x.key, 'missing');
      } else if (h !== x.hash) note(x.key, 'different');
    }
    for (const x of b) if (!sm.has(JSON.stringify(x.key))) note(x.key, 'extra');
  };

  let layout: KeyBuckets | null = null;
  const bucketsOk = !!(src.conn.bucketChecksums && tgt.conn.bucketChecksums);
  const bisect = async (r: KeyRange, s: RangeChecksum, g: RangeChecksum): Promise<void> => {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('verification cancelled');
    if (!src.key.length || Math.max(s.rows, g.rows) <= threshold) return diffRows(r);
    if (layout && bucketsOk && (await splitInBuckets(r))) return;
    const mid = (await src.conn.splitPoint(src.table, src.key, r, s.rows, ordering)) ?? (await tgt.conn.splitPoint(tgt.table, tgt.key, r, g.rows, ordering));
    if (!mid) return diffRows(r);
    const left = { after: r.after, upTo: mid };
    const right = { after: mid, upTo: r.upTo };
    const [[ls, lg], [rs, rg]] = await Promise.all([both(left), both(right)]);
    if (!same(ls, lg)) await bisect(left, ls, lg);
    if (!same(rs, rg)) await bisect(right, rs, rg);
  };

  /**
   * Integer key: the range is cut into up to 64 buckets whose checksums come from one grouped scan
   * per side (a target without indexes yet is scanned once per level, not once per half).
   */
  const splitInBuckets = async (r: KeyRange): Promise<boolean> => {
    const l = layout!;
    const lo = r.after ? BigInt(r.after[0]!) + 1n : l.lo;
    const hi = r.upTo ? BigInt(r.upTo[0]!) : l.lo + l.width * BigInt(l.count) - 1n;
    if (hi <= lo) return false;
    const width = (hi - lo + 1n + 63n) / 64n;
    const sub: KeyBuckets = { lo, width, count: Number((hi - lo + 1n + width - 1n) / width) };
    const [a, b] = await Promise.all([
      src.conn.bucketChecksums!(src.table, src.columns, src.key[0]!, sub, algorithm, r),
      tgt.conn.bucketChecksums!(tgt.table, tgt.columns, tgt.key[0]!, sub, algorithm, r),
    ]);
    if (!a || !b) return false;
    const none: RangeChecksum = { rows: 0, sum: '0' };
    for (let k = 0; k < sub.count; k++) {
      const [x, y] = [a.get(k) ?? none, b.get(k) ?? none];
      if (same(x, y)) continue;
      const edge = (i: number) => [(lo - 1n + BigInt(i) * width).toString()];
      const part: KeyRange = { after: k === 0 ? r.after : edge(k), upTo: k === sub.count - 1 ? r.upTo : edge(k + 1) };
      if (width === 1n) await diffRows(part);
      else await bisect(part, x, y);
    }
    return true;
  };

  const check = async (r: KeyRange, s: RangeChecksum, g: RangeChecksum) => {
    chunksChecked++;
    sourceRows += s.rows;
    targetRows += g.rows;
    if (!same(s, g)) {
      mismatchedRanges.push({ after: r.after, upTo: r.upTo, sourceRows: s.rows, targetRows: g.rows });
      await bisect(r, s, g);
    }
  };

  // Chunk by chunk, each side's count and checksum over the same key range; every chunk is
  // checkpointed, so a retry resumes after the last one verified. Integer keys: arithmetic ranges
  // between the smallest and largest key of either side (kept in the checkpoint so a retry cuts
  // the same ranges); other keys: a walk of the source's key order, the last range open-ended.
  const unit: WorkUnit | null = options.resume ? { jobId: options.plan.jobId, unit: `${tableKey(t)}#verify:${options.resume.scope}` } : null;
  const attempt = options.resume?.attempt;
  let chunkNo = 0;
  let after: KeyTuple | null = null;
  let saved: SavedLayout | null | undefined;
  if (unit) {
    const p = await target.claimUnit(unit, attempt!, {});
    const d = (p.detail ?? {}) as VerifyDetail;
    if (p.state === 'done' && d.result) return { ...d.result, durationMs: Date.now() - started };
    chunkNo = p.chunks;
    after = (p.lastKey as KeyTuple | null) ?? null;
    saved = d.layout;
    sourceRows = p.rowsLoaded;
    targetRows = p.totals['targetRows'] ?? 0;
    explained = p.totals['explained'] ?? 0;
    keyCount = p.totals['mismatchedKeys'] ?? 0;
    chunksChecked = p.chunks;
    mismatchedRanges.push(...(d.mismatchedRanges ?? []));
    keys.push(...(d.mismatchedKeys ?? []));
  }
  const resumedAtChunk = chunkNo;
  if (saved === undefined) {
    layout = await integerLayout(src, tgt, chunkRows, ordering, t.source.rowCount);
    if (unit)
      await target.updateUnitDetail(unit, attempt!, { layout: layout && { lo: layout.lo.toString(), width: layout.width.toString(), count: layout.count } });
  } else layout = saved && { lo: BigInt(saved.lo), width: BigInt(saved.width), count: saved.count };

  for await (const r of verificationRanges(src, chunkRows, ordering, layout, chunkNo, after)) {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('verification cancelled');
    const before = { ranges: mismatchedRanges.length, keys: keys.length, keyCount, explained, targetRows };
    const [s, g] = await both(r);
    await check(r, s, g);
    if (unit) {
      const found = mismatchedRanges.length > before.ranges || keys.length > before.keys;
      await target.commitUnitChunk(
        unit,
        attempt!,
        {
          chunkNo,
          after: r.after,
          upTo: r.upTo,
          rowsLoaded: s.rows,
          stats: { targetRows: targetRows - before.targetRows, explained: explained - before.explained, mismatchedKeys: keyCount - before.keyCount },
          checksum: `${algorithm}:${s.sum}`,
          attemptId: attempt!.id,
        },
        found ? { mismatchedRanges, mismatchedKeys: keys } : undefined,
      );
    }
    options.onProgress?.({ table: tableKey(t), chunksChecked, rowsChecked: sourceRows, chunkNo, lastKey: r.upTo, resumedAtChunk });
    chunkNo++;
  }
  const verdict = result();
  if (unit) await target.finishUnit(unit, attempt!, { result: verdict });
  return verdict;

  function result(): VerifyResult {
    return {
      table: tableKey(t),
      equal: keyCount === 0 && sourceRows - explained === targetRows,
      algorithm,
      sourceRows,
      targetRows,
      rejectedRows: explained,
      chunksChecked,
      mismatchedRanges,
      mismatchedKeyCount: keyCount,
      mismatchedKeys: keys,
      resumedAtChunk,
      durationMs: Date.now() - started,
    };
  }
}

/** Both PostgreSQL 14+: `pg-hash`; both PostgreSQL: `pg-record`; otherwise the engine-independent `canonical-md5`. */
async function chooseAlgorithm(source: SourceConnector, target: PgTarget): Promise<ChecksumAlgorithm> {
  if (source.engine !== 'postgres') return 'canonical-md5';
  const s = source as PostgresConnector;
  if (typeof s.supportsRecordHash !== 'function') return 'pg-record';
  const [a, b] = await Promise.all([s.supportsRecordHash(), target.conn.supportsRecordHash()]);
  return a && b ? 'pg-hash' : 'pg-record';
}

/**
 * A single integer key is split arithmetically between the smallest and largest key found on
 * either side (no scan): range k holds lo + k·width <= key < lo + (k+1)·width. The first and last
 * ranges are open so stray target rows are seen. Null for other keys or empty tables.
 */
async function integerLayout(src: Side, tgt: Side, chunkRows: number, ordering: KeyOrdering, estimatedRows: number): Promise<KeyBuckets | null> {
  if (src.key.length !== 1 || !isIntegerColumn(src.key[0]!)) return null;
  const all: KeyRange = { after: null, upTo: null };
  const [a, b] = await Promise.all([src.conn.keyBounds(src.table, src.key, all, ordering), tgt.conn.keyBounds(tgt.table, tgt.key, all, ordering)]);
  const mins = [a?.min[0], b?.min[0]].filter((x): x is string => x !== undefined).map(BigInt);
  const maxs = [a?.max[0], b?.max[0]].filter((x): x is string => x !== undefined).map(BigInt);
  if (!mins.length) return null;
  const lo = mins.reduce((x, y) => (y < x ? y : x));
  const hi = maxs.reduce((x, y) => (y > x ? y : x));
  const rows = BigInt(Math.max(1, estimatedRows, 1));
  const chunks = (rows + BigInt(chunkRows) - 1n) / BigInt(chunkRows);
  const width = (hi - lo + 1n + chunks - 1n) / chunks || 1n;
  const count = Number((hi - lo + 1n + width - 1n) / width);
  return { lo, width, count };
}

function layoutRange(l: KeyBuckets, k: number): KeyRange {
  const edge = (i: number) => [(l.lo - 1n + BigInt(i) * l.width).toString()];
  return { after: k === 0 ? null : edge(k), upTo: k === l.count - 1 ? null : edge(k + 1) };
}

/**
 * Ranges that together cover every key on both sides, from chunk `from` on (a resumed run; `after`
 * is where chunk `from - 1` ended): the integer layout's, or a walk of the source's key order.
 */
async function* verificationRanges(
  src: Side,
  chunkRows: number,
  ordering: KeyOrdering,
  layout: KeyBuckets | null,
  from: number,
  after: KeyTuple | null,
): AsyncIterable<KeyRange> {
  const all: KeyRange = { after: null, upTo: null };
  if (!src.key.length || (src.key.length === 1 && isIntegerColumn(src.key[0]!) && !layout)) {
    if (from === 0) yield all;
    return;
  }
  if (layout) {
    for (let k = from; k < layout.count; k++) yield layoutRange(layout, k);
    return;
  }
  if (from > 0 && after === null) return; // the open-ended last range is done
  for (;;) {
    const upTo = await src.conn.nextChunkBound(src.table, src.key, after, chunkRows, ordering);
    if (!upTo) {
      yield { after, upTo: null };
      return;
    }
    yield { after, upTo };
    after = upTo;
  }
}

/** What a verification keeps in its unit's detail. */
interface SavedLayout {
  lo: string;
  width: string;
  count: number;
}
interface VerifyDetail {
  layout?: SavedLayout | null;
  mismatchedRanges?: MismatchedRange[];
  mismatchedKeys?: { key: KeyTuple; issue: KeyIssue }[];
  result?: VerifyResult;
}

function pgBase(pgType: string): string {
  const t = pgType.replace(/\(.*$/, '').trim();
  return (
    (
      {
        integer: 'int4',
        bigint: 'int8',
        smallint: 'int2',
        'character varying': 'varchar',
        varchar: 'varchar',
        character: 'bpchar',
        char: 'bpchar',
        text: 'text',
      } as Record<string, string>
    )[t] ?? t
  );
}
