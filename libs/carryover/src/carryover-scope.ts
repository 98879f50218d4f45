import type { CarryoverParameters } from '@sdo/contracts';
import { CONTROL_SCHEMA, foreignKeyOrder } from '@sdo/data-engine';
import { joinOn, PgConstraint, PgSchema, PgTable, quoteIdent as q, quoteQualified as qq, unsupportedFeatures } from '@sdo/pg-kit';

/**
 * Bookkeeping in the live database (which cut-offs are carried over, their opening vouchers, the
 * trial balance before) lives in the data engine's control schema; this is where releases before
 * that kept it.
 */
export const LEGACY_CARRYOVER_SCHEMA = 'sdo_carryover';

export interface MovedTable {
  table: string;
  key: string[];
  /** Declared document tables: their date column. */
  dateColumn?: string;
  /** Tables that move with a parent: the foreign keys to it. */
  via?: PgConstraint[];
}

export interface FillColumn {
  column: string;
  value: 'text' | 'ordinal';
}

export interface LedgerSpec {
  voucherTable: string;
  voucherKey: string;
  voucherDate: string;
  partition: string[];
  voucherFill: FillColumn[];
  entryTable: string;
  entryFk: PgConstraint;
  account: string;
  debit: string;
  credit: string;
  entryFill: FillColumn[];
}

export interface CarryoverSpec {
  schema: string;
  cutoff: string;
  /** Parents first. */
  tables: MovedTable[];
  ledger?: LedgerSpec;
  batchSize: number;
  archiveSchema: string;
  /** Foreign keys from tables that stay into moved tables: rows there must not point at history. */
  inbound: { table: string; fk: PgConstraint }[];
}

const DATE_TYPES = ['date', 'timestamp without time zone', 'timestamp with time zone'];
const TEXT_TYPE = /^(text|character varying|character)\b/;
const INT_TYPE = /^(integer|bigint|smallint)$/;

export function resolveSpec(schema: PgSchema, p: CarryoverParameters): { spec?: CarryoverSpec; problems: string[] } {
  const problems: string[] = [];
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(p.cutoffPeriod ?? '')) return { problems: ['parameters.cutoffPeriod: must be a period YYYY-MM.'] };
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const moved = new Map<string, MovedTable>();
  for (const d of p.tables ?? []) {
    const t = byName.get(d.table);
    if (!t) {
      problems.push(`parameters.tables: table "${d.table}" does not exist in schema ${schema.schema}.`);
      continue;
    }
    const col = t.columns.find((c) => c.name === d.dateColumn);
    if (!col) {
      problems.push(`parameters.tables: table "${d.table}" has no column "${d.dateColumn}".`);
      continue;
    }
    if (!DATE_TYPES.includes(col.type)) {
      problems.push(`parameters.tables: ${d.table}.${d.dateColumn} is ${col.type}, not a date or timestamp.`);
      continue;
    }
    moved.set(t.name, { table: t.name, key: t.primaryKey, dateColumn: d.dateColumn });
  }
  if (!moved.size) problems.push('parameters.tables: no usable document table declared.');
  // Lines (and lines of lines) move with their documents.
  for (let changed = true; changed;) {
    changed = false;
    for (const t of schema.tables) {
      if (moved.has(t.name)) continue;
      const via = t.foreignKeys.filter((fk) => fk.refTable && moved.has(fk.refTable) && fk.refSchema === schema.schema);
      if (via.length) {
        moved.set(t.name, { table: t.name, key: t.primaryKey, via });
        changed = true;
      }
    }
  }
  problems.push(...unsupportedFeatures(schema, [...moved.keys()]));
  const inbound = schema.tables
    .filter((t) => !moved.has(t.name))
    .flatMap((t) => t.foreignKeys.filter((fk) => fk.refTable && moved.has(fk.refTable)).map((fk) => ({ table: t.name, fk })));

  let ledger: LedgerSpec | undefined;
  if (p.ledger) {
    const L = p.ledger;
    const v = byName.get(L.voucherTable);
    const e = byName.get(L.entryTable);
    const vm = moved.get(L.voucherTable);
    if (!v || !vm?.dateColumn) problems.push(`parameters.ledger.voucherTable: "${L.voucherTable}" must be one of parameters.tables.`);
    if (!e) problems.push(`parameters.ledger.entryTable: table "${L.entryTable}" does not exist.`);
    if (v && e && vm?.dateColumn) {
      const fks = e.foreignKeys.filter((fk) => fk.refTable === v.name);
      if (fks.length !== 1 || v.primaryKey.length !== 1)
        problems.push(`parameters.ledger: ${e.name} must reference ${v.name} through exactly one foreign key to its single-column primary key.`);
      for (const [field, col] of [
        ['accountColumn', L.accountColumn],
        ['debitColumn', L.debitColumn],
        ['creditColumn', L.creditColumn],
      ] as const) {
        if (!e.columns.some((c) => c.name === col)) problems.push(`parameters.ledger.${field}: ${e.name} has no column "${col}".`);
      }
      for (const col of L.partitionColumns ?? [])
        if (!v.columns.some((c) => c.name === col)) problems.push(`parameters.ledger.partitionColumns: ${v.name} has no column "${col}".`);
      const vKey = v.columns.find((c) => c.name === v.primaryKey[0]);
      if (vKey && !vKey.identity && !vKey.defaultExpr)
        problems.push(`parameters.ledger.voucherTable: ${v.name}.${vKey.name} has no default or identity, so opening vouchers cannot be numbered.`);
      const fill = (t: PgTable, taken: string[], ordinalOk: boolean): FillColumn[] =>
        t.columns
          .filter((c) => c.notNull && !c.defaultExpr && !c.identity && !c.generatedExpr && !taken.includes(c.name))
          .flatMap<FillColumn>((c) => {
            if (TEXT_TYPE.test(c.type)) return [{ column: c.name, value: 'text' }];
            if (ordinalOk && INT_TYPE.test(c.type)) return [{ column: c.name, value: 'ordinal' }];
            problems.push(`parameters.ledger: ${t.name}.${c.name} (${c.type}) is required and has no default; an opening-balance row cannot fill it.`);
            return [];
          });
      if (fks.length === 1 && v.primaryKey.length === 1) {
        ledger = {
          voucherTable: v.name,
          voucherKey: v.primaryKey[0]!,
          voucherDate: vm.dateColumn,
          partition: L.partitionColumns ?? [],
          voucherFill: fill(v, [...v.primaryKey, vm.dateColumn, ...(L.partitionColumns ?? [])], false),
          entryTable: e.name,
          entryFk: fks[0]!,
          account: L.accountColumn,
          debit: L.debitColumn,
          credit: L.creditColumn,
          entryFill: fill(e, [...e.primaryKey, ...fks[0]!.columns, L.accountColumn, L.debitColumn, L.creditColumn], true),
        };
        if (!moved.get(e.name)?.via) problems.push(`parameters.ledger.entryTable: ${e.name} must move with ${v.name}.`);
      }
    }
  }
  const names = [...moved.keys()];
  const { order } = foreignKeyOrder(
    names,
    names.flatMap((n) =>
      byName
        .get(n)!
        .foreignKeys.filter((fk) => fk.refTable && fk.refTable !== n)
        .map((fk) => ({ child: n, parent: fk.refTable! })),
    ),
  );
  const spec: CarryoverSpec = {
    schema: schema.schema,
    cutoff: p.cutoffPeriod,
    tables: order.map((n) => moved.get(n)!),
    ledger,
    batchSize: p.batchSize ?? 5000,
    archiveSchema: `carryover_${p.cutoffPeriod.replace('-', '_')}`,
    inbound,
  };
  return { spec, problems };
}

export const cutoffDate = (spec: CarryoverSpec) => `DATE '${spec.cutoff}-01'`;

/**
 * SQL condition: row `alias` of `table` is historical (moves to the archive). Literals only (the
 * cut-off is validated as YYYY-MM), because COPY (SELECT …) takes no parameters.
 * `excludeOpening` leaves this cut-off's own opening vouchers in place.
 */
export function historical(spec: CarryoverSpec, table: string, alias: string, excludeOpening: boolean, depth = 0): string {
  const t = spec.tables.find((x) => x.table === table)!;
  if (t.dateColumn) {
    let cond = `${alias}.${q(t.dateColumn)} < ${cutoffDate(spec)}`;
    if (excludeOpening && spec.ledger?.voucherTable === table) {
      cond += ` AND NOT EXISTS (SELECT 1 FROM ${q(CONTROL_SCHEMA)}.opening_vouchers ov WHERE ov.cutoff = '${spec.cutoff}' AND ov.voucher_key = ${alias}.${q(spec.ledger.voucherKey)}::text)`;
    }
    return cond;
  }
  const p = `p${depth}`;
  return `(${t
    .via!.map(
      (fk) =>
        `EXISTS (SELECT 1 FROM ${qq(spec.schema, fk.refTable!)} ${p} WHERE ${joinOn(p, fk.refColumns, alias, fk.columns)} AND ${historical(spec, fk.refTable!, p, excludeOpening, depth + 1)})`,
    )
    .join(' OR ')})`;
}

/** Trial balance per partition, account and period from the cut-off on: opening, debit, credit, closing (non-zero lines). */
export function trialBalanceSql(spec: CarryoverSpec): string {
  const L = spec.ledger!;
  const part = L.partition.length ? `concat_ws('|', ${L.partition.map((c) => `v.${q(c)}::text`).join(', ')})` : `''`;
  const C = cutoffDate(spec);
  return `
    WITH e AS (
      SELECT ${part} AS part, en.${q(L.account)}::text AS account, date_trunc('month', v.${q(L.voucherDate)})::date AS period,
             en.${q(L.debit)} AS d, en.${q(L.credit)} AS c
        FROM ${qq(spec.schema, L.entryTable)} en JOIN ${qq(spec.schema, L.voucherTable)} v ON ${joinOn('v', L.entryFk.refColumns, 'en', L.entryFk.columns)}
    ), m AS (SELECT part, account, period, sum(d) AS d, sum(c) AS c FROM e GROUP BY 1, 2, 3),
    b AS (SELECT part, account, sum(d - c) AS bal FROM m WHERE period < ${C} GROUP BY 1, 2),
    periods AS (SELECT generate_series(${C}, greatest(${C}, (SELECT max(period) FROM m)), interval '1 month')::date AS period),
    keys AS (SELECT DISTINCT part, account FROM m),
    g AS (
      SELECT k.part, k.account, pr.period, coalesce(m.d, 0) AS d, coalesce(m.c, 0) AS c, coalesce(b.bal, 0) AS bal
        FROM keys k CROSS JOIN periods pr
        LEFT JOIN m ON m.part = k.part AND m.account = k.account AND m.period = pr.period
        LEFT JOIN b ON b.part = k.part AND b.account = k.account
    ), tb AS (
      SELECT part, account, period, bal + sum(d - c) OVER w - (d - c) AS opening, d AS debit, c AS credit, bal + sum(d - c) OVER w AS closing
        FROM g WINDOW w AS (PARTITION BY part, account ORDER BY period)
    )
    SELECT part, account, period, opening, debit, credit, closing FROM tb WHERE NOT (opening = 0 AND debit = 0 AND credit = 0 AND closing = 0)`;
}

/** One opening-balance voucher per partition, dated the day before the cut-off, with one entry per account's net balance. */
export function openingVouchersSql(spec: CarryoverSpec): string {
  const L = spec.ledger!;
  const text = `'Balance carried forward before ${spec.cutoff}'`;
  const pv = L.partition.map((c) => `v.${q(c)}`);
  const vCols = [...L.partition.map(q), q(L.voucherDate), ...L.voucherFill.map((f) => q(f.column))];
  const vVals = [...L.partition.map((c) => `b.${q(c)}`), `${cutoffDate(spec)} - 1`, ...L.voucherFill.map(() => text)];
  const fkCol = L.entryFk.columns[0]!;
  const eCols = [q(fkCol), q(L.account), q(L.debit), q(L.credit), ...L.entryFill.map((f) => q(f.column))];
  const eVals = [
    'h.key',
    'b.account',
    'greatest(b.net, 0)',
    'greatest(-b.net, 0)',
    ...L.entryFill.map((f) => (f.value === 'text' ? text : 'row_number() OVER (PARTITION BY h.key ORDER BY b.account)')),
  ];
  const match = L.partition.length ? L.partition.map((c) => `h.${q(c)} IS NOT DISTINCT FROM b.${q(c)}`).join(' AND ') : 'true';
  return `
    WITH bal AS (
      SELECT ${[...pv, `en.${q(L.account)} AS account`].join(', ')}, sum(en.${q(L.debit)} - en.${q(L.credit)}) AS net
        FROM ${qq(spec.schema, L.entryTable)} en JOIN ${qq(spec.schema, L.voucherTable)} v ON ${joinOn('v', L.entryFk.refColumns, 'en', L.entryFk.columns)}
       WHERE ${historical(spec, L.voucherTable, 'v', true)}
       GROUP BY ${[...pv, `en.${q(L.account)}`].join(', ')} HAVING sum(en.${q(L.debit)} - en.${q(L.credit)}) <> 0
    ), heads AS (
      INSERT INTO ${qq(spec.schema, L.voucherTable)} (${vCols.join(', ')})
      SELECT ${vVals.join(', ')} FROM (SELECT DISTINCT ${L.partition.length ? L.partition.map(q).join(', ') : '1 AS one'} FROM bal) b
      RETURNING ${[`${q(L.voucherKey)} AS key`, ...L.partition.map(q)].join(', ')}
    ), lines AS (
      INSERT INTO ${qq(spec.schema, L.entryTable)} (${eCols.join(', ')})
      SELECT ${eVals.join(', ')} FROM bal b JOIN heads h ON ${match}
      RETURNING 1
    )
    INSERT INTO ${q(CONTROL_SCHEMA)}.opening_vouchers (cutoff, voucher_key, entries)
    SELECT '${spec.cutoff}', h.key::text, (SELECT count(*) FROM lines) FROM heads h`;
}
