/**
 * Phase timings of org split and carryover at a chosen size, on the test stack's PostgreSQL:
 *   tools/scripts/with-test-stack.sh node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     tools/demo/measure.ts --docs 20000
 * Runs the same step functions the activities run (without Temporal in between).
 */
import { Client } from 'pg';
import { generateErpDataset } from '@sdo/erp-generator';
import { createScratchDatabase } from '@sdo/testing';
import { copyTables, finalizeSplit, materialiseSelection, planSplit, prepareTarget, verifySplit } from '@sdo/org-split';
import { connectionFromUrl, readSchema } from '@sdo/pg-kit';
import { archiveHistory, carryBalancesForward, finishCarryover, purgeHistory, resolveSpec } from '@sdo/carryover';
import { ERP_DOCUMENT_DATES, ERP_LEDGER } from '@sdo/erp-generator';

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const conn = connectionFromUrl;
async function timed<T>(label: string, out: Record<string, number>, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const r = await fn();
  out[label] = Date.now() - t;
  return r;
}

async function main(): Promise<void> {
  const size = {
    organisations: option('organisations', 3),
    years: option('years', 3),
    documentsPerOrgPerYear: option('docs', 20000),
    seed: 5,
    firstYear: 2022,
  };
  const source = await createScratchDatabase('measure_src');
  const target = await createScratchDatabase('measure_new');
  const archive = await createScratchDatabase('measure_arc');
  try {
    const c = new Client({ connectionString: source.url });
    await c.connect();
    const gen = await generateErpDataset(c, size);
    const bytes = (await c.query('SELECT pg_database_size(current_database())::bigint AS b')).rows[0].b;
    await c.end();
    const totalRows = Object.values(gen.rows).reduce((a, b) => a + b, 0);
    console.log(`dataset ${JSON.stringify(size)}: ${totalRows} rows, ${(Number(bytes) / 1e6).toFixed(1)} MB, generated in ${gen.elapsedMs} ms`);
    console.log(JSON.stringify(gen.rows));

    // Org split of organisation 2.
    const split: Record<string, number> = {};
    const src = conn(source.url);
    const dst = conn(target.url);
    const sc = new Client({ connectionString: source.url });
    await sc.connect();
    const schema = await readSchema(sc, 'public');
    const { plan, problems } = planSplit(schema, { organisations: ['2'], organisationTable: 'organisations' });
    if (problems.length) throw new Error(problems.join(' '));
    await sc.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const selection = await timed('assess: selection + dangling check', split, () => materialiseSelection(sc, schema, plan));
    await sc.query('COMMIT');
    await sc.end();
    const rows = Object.values(selection.counts).reduce((a, b) => a + b, 0);
    await timed('create tables', split, () => prepareTarget(src, dst, plan));
    await timed('copy tables', split, async () => {
      await copyTables(
        src,
        dst,
        plan,
        plan.tables.map((t) => t.table),
      );
    });
    await timed('keys + foreign keys', split, () => finalizeSplit(src, dst, plan));
    const v = await timed('verify', split, () => verifySplit(src, dst, plan));
    console.log(
      `org split of organisation 2: ${rows} rows, verification ${v.passed ? 'passed' : 'FAILED'}; ms ${JSON.stringify(split)}; copy ${Math.round(rows / (split['copy tables']! / 1000))} rows/s`,
    );

    // Carryover before 2024-01.
    const carry: Record<string, number> = {};
    const live = conn(source.url);
    const lc = new Client({ connectionString: source.url });
    await lc.connect();
    const { spec, problems: cp } = resolveSpec(await readSchema(lc, 'public'), {
      cutoffPeriod: '2024-01',
      tables: ERP_DOCUMENT_DATES,
      ledger: ERP_LEDGER,
      batchSize: 5000,
    });
    await lc.end();
    if (!spec || cp.length) throw new Error(cp.join(' '));
    const arc = await timed('archive + verify (incl. trial balance before)', carry, () => archiveHistory(live, conn(archive.url), spec, 'measure'));
    await timed('carry balances forward', carry, () => carryBalancesForward(live, spec));
    const purged: Record<string, number> = {};
    await timed('purge (batches of 5000)', carry, async () => {
      for (const m of [...spec.tables].reverse()) purged[m.table] = (await purgeHistory(live, spec, m.table)).rows;
    });
    const fin = await timed('verify trial balance', carry, () => finishCarryover(live, spec, arc.archived, purged));
    const moved = Object.values(arc.archived).reduce((a, b) => a + b, 0);
    const again = await timed('re-run (no-op)', carry, () => archiveHistory(live, conn(archive.url), spec, 'measure'));
    console.log(
      `carryover before 2024-01: ${moved} rows archived and purged, trial balance ${fin.trialBalance?.mismatches === 0 ? 'unchanged' : 'CHANGED'} over ${fin.trialBalance?.lines} lines, re-run noop=${again.noop}; ms ${JSON.stringify(carry)}`,
    );
  } finally {
    await source.drop();
    await target.drop();
    await archive.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
