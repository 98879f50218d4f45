import { claimUnit, commitChunk, CONTROL_SCHEMA, ensureControlSchema, PostgresConnector, setUnitState, unitProgress } from '@sdo/data-engine';
import { archiveHistory, purgeHistory, runStatus, type CarryoverSpec } from '@sdo/carryover';
import { compileMappings, loadMapping, readTargetTables, rejectSamples } from '@sdo/data-migration';
import { dropExtracted, finalizeSplit, SPLIT_JOB, type SplitPlan } from '@sdo/org-split';
import { connectionFromUrl } from '@sdo/pg-kit';
import type { DataMigrationParameters } from '@sdo/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { withPg } from '../support/fixtures';

// Deliveries started before every service kept its checkpoints in `sdo_copy` wrote them to a schema
// of their own: the first touch by this release moves them in and carries on from them.
const schemas = (url: string) =>
  withPg(url, async (c) =>
    (await c.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'sdo\\_%' ORDER BY 1`)).rows.map((r) => r.nspname),
  );

describe('checkpoints written under the old control schemas', () => {
  const databases: ScratchDatabase[] = [];
  const database = async (prefix: string) => {
    const db = await createScratchDatabase(prefix);
    databases.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('a data migration resumes after the chunks its sdo_migration.progress row recorded, without loading them again', async () => {
    const [source, target] = [await database('legacy_src'), await database('legacy_dst')];
    await withPg(source.url, (c) =>
      c.query(`CREATE TABLE customer (code text PRIMARY KEY, name text NOT NULL);
               INSERT INTO customer SELECT 'c' || lpad(i::text, 2, '0'), 'customer ' || i FROM generate_series(1, 10) i`),
    );
    // What the old release left after two chunks of two rows: the rows, its progress row and a reject.
    await withPg(target.url, (c) =>
      c.query(`CREATE SCHEMA erp; CREATE TABLE erp.partner (legacy_id text PRIMARY KEY, name text NOT NULL);
               INSERT INTO erp.partner SELECT 'c' || lpad(i::text, 2, '0'), 'customer ' || i FROM generate_series(1, 4) i;
               CREATE SCHEMA sdo_migration;
               CREATE TABLE sdo_migration.progress (job_id text NOT NULL, mapping text NOT NULL, chunk_no integer NOT NULL DEFAULT 0, last_key jsonb,
                 source_rows bigint NOT NULL DEFAULT 0, filtered_out bigint NOT NULL DEFAULT 0, loaded bigint NOT NULL DEFAULT 0, rejected bigint NOT NULL DEFAULT 0,
                 done boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, mapping));
               CREATE TABLE sdo_migration.reject (id bigserial PRIMARY KEY, job_id text NOT NULL, mapping text NOT NULL, chunk_no integer NOT NULL, row_key jsonb NOT NULL, reason text NOT NULL);
               INSERT INTO sdo_migration.progress (job_id, mapping, chunk_no, last_key, source_rows, loaded) VALUES ('job-1', 'customers', 2, '["c04"]', 4, 4);
               INSERT INTO sdo_migration.reject (job_id, mapping, chunk_no, row_key, reason) VALUES ('job-1', 'customers', 1, '["c00"]', 'refused before the upgrade');`),
    );
    const connector = new PostgresConnector(source.url, 2);
    try {
      const info = await connector.introspect({ schema: 'public', tables: ['customer'] });
      const targets = await withPg(target.url, (c) => readTargetTables(c, 'erp'));
      const parameters = {
        mappings: [
          {
            name: 'customers',
            target: 'partner',
            source: { table: 'customer' },
            columns: [
              { target: 'legacy_id', expr: 'code' },
              { target: 'name', expr: 'name' },
            ],
          },
        ],
      } as unknown as DataMigrationParameters;
      const [mapping] = compileMappings(parameters, () => ({ info: info.tables[0]! }), targets);
      const result = await withPg(target.url, (c) => loadMapping(connector, c, { jobId: 'job-1', schema: 'erp', mapping: mapping!, chunkRows: 2 }));
      expect(result).toMatchObject({ resumedAtChunk: 2, chunks: 5, sourceRows: 10, loaded: 10, rejected: 0 });
      expect((await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n FROM erp.partner'))).rows[0].n).toBe(10);
      expect(await withPg(target.url, (c) => rejectSamples(c, 'job-1'))).toEqual([
        { mapping: 'customers', rowKey: 'c00', reason: 'refused before the upgrade' },
      ]);
      expect(await schemas(target.url)).toEqual([CONTROL_SCHEMA]);
    } finally {
      await connector.close();
    }
  });

  it('an organisation split keeps its copied tables, finalize step and created objects from sdo_org_split', async () => {
    const target = await database('legacy_split');
    await withPg(target.url, (c) =>
      c.query(`CREATE SCHEMA erp; CREATE TABLE erp.vouchers (id int PRIMARY KEY); INSERT INTO erp.vouchers VALUES (1), (2), (3);
               CREATE SCHEMA sdo_org_split;
               CREATE TABLE sdo_org_split.created (seq serial PRIMARY KEY, kind text NOT NULL, schema_name text NOT NULL, name text NOT NULL);
               CREATE TABLE sdo_org_split.checkpoints (table_name text PRIMARY KEY, rows bigint NOT NULL, copied_at timestamptz NOT NULL DEFAULT now());
               CREATE TABLE sdo_org_split.finalized (at timestamptz NOT NULL DEFAULT now());
               INSERT INTO sdo_org_split.created (kind, schema_name, name) VALUES ('schema', 'erp', 'erp'), ('table', 'erp', 'vouchers');
               INSERT INTO sdo_org_split.checkpoints (table_name, rows) VALUES ('vouchers', 3);
               INSERT INTO sdo_org_split.finalized DEFAULT VALUES;`),
    );
    const conn = connectionFromUrl(target.url);
    // Finalized before: nothing is added again (a second primary key would fail).
    await finalizeSplit(conn, conn, { schema: 'erp' } as SplitPlan);
    expect(await schemas(target.url)).toEqual([CONTROL_SCHEMA]);
    expect(await withPg(target.url, (c) => unitProgress(c, { jobId: SPLIT_JOB, unit: 'vouchers' }))).toMatchObject({ state: 'done', chunks: 1, rowsLoaded: 3 });
    expect(await dropExtracted(conn)).toEqual(['table erp.vouchers', 'schema erp.erp']);
    expect(await schemas(target.url)).toEqual([]);
  });

  it('a carryover half-way through its purge keeps its run state, archive counts and purged rows from sdo_carryover', async () => {
    const live = await database('legacy_live');
    await withPg(live.url, (c) =>
      c.query(`CREATE SCHEMA erp; CREATE TABLE erp.invoice (id int PRIMARY KEY, issued_on date NOT NULL);
               INSERT INTO erp.invoice VALUES (4, '2023-05-01'), (5, '2023-06-01'), (6, '2024-02-01');
               CREATE SCHEMA sdo_carryover;
               CREATE TABLE sdo_carryover.runs (cutoff text PRIMARY KEY, status text NOT NULL, archive_schema text NOT NULL, delivery_id text NOT NULL,
                 archived jsonb, purged jsonb, started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz);
               CREATE TABLE sdo_carryover.opening_vouchers (cutoff text NOT NULL, voucher_key text NOT NULL, entries bigint NOT NULL, PRIMARY KEY (cutoff, voucher_key));
               CREATE TABLE sdo_carryover.trial_balance_before (cutoff text NOT NULL, part text NOT NULL, account text NOT NULL, period date NOT NULL,
                 opening numeric NOT NULL, debit numeric NOT NULL, credit numeric NOT NULL, closing numeric NOT NULL);
               INSERT INTO sdo_carryover.runs (cutoff, status, archive_schema, delivery_id, archived, purged)
                 VALUES ('2024-01', 'purging', 'carryover_2024_01', 'delivery-1', '{"invoice": 5}', '{"invoice": 3}');`),
    );
    const conn = connectionFromUrl(live.url);
    const spec: CarryoverSpec = {
      schema: 'erp',
      cutoff: '2024-01',
      tables: [{ table: 'invoice', key: ['id'], dateColumn: 'issued_on' }],
      batchSize: 1,
      archiveSchema: 'carryover_2024_01',
      inbound: [],
    };
    expect(await withPg(live.url, (c) => runStatus(c, '2024-01'))).toBe('purging');
    expect(await archiveHistory(conn, conn, spec, 'delivery-1')).toMatchObject({ noop: false, resumed: true, archived: { invoice: 5 } });
    // Three rows were purged before; the two left make five, counted once each.
    expect(await purgeHistory(conn, spec, 'invoice')).toMatchObject({ table: 'invoice', rows: 5 });
    expect(await schemas(live.url)).toEqual([CONTROL_SCHEMA]);
  });

  it('a chunk is refused once another attempt committed it, or once the unit is undone', async () => {
    const target = await database('legacy_fence');
    await withPg(target.url, async (c) => {
      await ensureControlSchema(c);
      const unit = { jobId: 'job-2', unit: 'customers' };
      await claimUnit(c, unit, 'attempt-1');
      await commitChunk(c, unit, { chunkNo: 0, rowsLoaded: 2, attemptId: 'attempt-1' });
      await expect(commitChunk(c, unit, { chunkNo: 0, rowsLoaded: 2, attemptId: 'attempt-2' })).rejects.toMatchObject({ type: 'StaleAttempt' });
      await setUnitState(c, unit, 'undone');
      await expect(commitChunk(c, unit, { chunkNo: 1, rowsLoaded: 2, attemptId: 'attempt-1' })).rejects.toMatchObject({ type: 'StaleAttempt' });
      expect(await unitProgress(c, unit)).toMatchObject({ state: 'undone', chunks: 1, rowsLoaded: 2 });
    });
  });
});
