import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/activity';
import {
  DeliveryFailureType,
  type CopyHeartbeat,
  type CopyTableResult,
  type IntrospectSourceResult,
  type PlanCopyResult,
  type PrepareCopyResult,
  type VerifyTableResult,
} from '@sdo/contracts';
import { PgReportStore, type ConnectionSettings } from '@sdo/data-engine';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Client } from 'pg';
import { createDataActivities } from './data.activities';

function chinookSqlite(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'nx.json'))) d = dirname(d);
  const file = join(process.env['SDO_SHARED_DIR'] ?? resolve(d, '..', 'shared'), 'datasets', 'chinook', 'Chinook_Sqlite.sqlite');
  if (!existsSync(file)) throw new Error(`Chinook dataset not found at ${file}: the tests expect a copy of shared/ beside the repository.`);
  return file;
}

describe('data activities over the engine', () => {
  let target: ScratchDatabase;
  let app: ScratchDatabase;
  let reports: PgReportStore;
  const envs: Record<string, ConnectionSettings> = {};
  beforeAll(async () => {
    target = await createScratchDatabase('act_target');
    app = await createScratchDatabase('act_app');
    reports = new PgReportStore(app.url);
    envs['env-sqlite'] = { engine: 'sqlite', path: chinookSqlite() };
    envs['env-target'] = { engine: 'postgres', url: target.url };
  });
  afterAll(async () => {
    await reports.close();
    await target.drop();
    await app.drop();
  });
  const withTargetClient = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: target.url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const activities = () =>
    createDataActivities({
      resolveConnection: async (id) => {
        const s = envs[id];
        if (!s) throw new Error(`no environment ${id}`);
        return s;
      },
      reports,
      copyChunkRows: 500,
    });

  it('introspects, plans, copies with heartbeats, finalizes and verifies; results stay small', async () => {
    const a = activities();
    const env = new MockActivityEnvironment();
    const heartbeats: CopyHeartbeat[] = [];
    env.on('heartbeat', (d: CopyHeartbeat) => heartbeats.push(d));
    const intro: IntrospectSourceResult = await env.run(a.introspectSource, { jobId: 'job-1', source: { environmentId: 'env-sqlite' } });
    expect(intro).toMatchObject({ engine: 'sqlite', tableCount: 11, tablesWithoutKey: [] });
    const plan: PlanCopyResult = await env.run(a.planCopy, {
      jobId: 'job-1',
      source: { environmentId: 'env-sqlite' },
      targetEnvironmentId: 'env-target',
      targetSchema: 'chinook',
      naming: 'snake' as const,
      snapshotId: intro.snapshotId,
    });
    expect(plan.tables.map((t) => t.table)).toContain('invoice_line');
    await env.run(a.prepareTarget, { jobId: 'job-1', planId: plan.planId });
    let total = 0;
    for (const t of plan.tables) {
      const r: CopyTableResult = await env.run(a.copyTable, { jobId: 'job-1', planId: plan.planId, table: t.table });
      total += r.rowsLoaded;
      expect(r.rowsRejected).toBe(0);
      expect(JSON.stringify(r).length).toBeLessThan(1000);
    }
    expect(total).toBe(intro.totalRows);
    expect(heartbeats.some((h) => h.table === 'chinook.playlist_track' && h.rowsLoaded === 8715)).toBe(true);
    await env.run(a.finalizeTarget, { jobId: 'job-1', planId: plan.planId });
    for (const t of plan.tables) {
      const v: VerifyTableResult = await env.run(a.verifyTable, { jobId: 'job-1', planId: plan.planId, table: t.table });
      expect(v).toMatchObject({ equal: true, mismatchedKeys: 0 });
      expect(await reports.load(v.reportId)).toMatchObject({ equal: true });
    }
  });

  it('prepares a copy in one step: exact introspection, the plan made from it, and the target tables', async () => {
    const a = activities();
    const env = new MockActivityEnvironment();
    const input = {
      jobId: 'job-3',
      source: { environmentId: 'env-sqlite' },
      targetEnvironmentId: 'env-target',
      targetSchema: 'prepared',
      naming: 'snake' as const,
    };
    const prepared: PrepareCopyResult = await env.run(a.prepareCopy, input);
    expect(prepared).toMatchObject({ tablesCreated: 11, cycles: [], warnings: [] });
    expect(prepared.tables.find((t) => t.table === 'invoice_line')).toMatchObject({ estimatedRows: 2240, keyless: false });
    // The snapshot is the plan's (a rehearsal's drift baseline), with exact counts.
    const snapshot = await reports.load<{ tables: { ref: { name: string }; rowCount: number }[] }>(prepared.snapshotId);
    expect(snapshot?.tables.find((t) => t.ref.name === 'InvoiceLine')?.rowCount).toBe(2240);
    const created = await withTargetClient((c) =>
      c.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'prepared'"),
    );
    expect(created.rows[0]!.n).toBe(11);
    // A retry finds the tables there and prepares again without harm; the copy then runs from its plan.
    const again: PrepareCopyResult = await env.run(a.prepareCopy, input);
    const copied: CopyTableResult[] = await env.run(a.copyTables, { jobId: 'job-3', planId: again.planId, tables: ['genre', 'media_type'] });
    expect(copied.map((c) => c.rowsLoaded)).toEqual([25, 5]);
  });

  it('turns engine errors into typed Temporal failures (non-retryable where retrying cannot help)', async () => {
    const a = activities();
    const env = new MockActivityEnvironment();
    const err = await env
      .run(a.planCopy, {
        jobId: 'job-2',
        source: { environmentId: 'env-sqlite' },
        targetEnvironmentId: 'env-target',
        targetSchema: 'x',
        tables: ['NoSuchTable'],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: DeliveryFailureType.InvalidParameters, nonRetryable: true });
    const missing = await env.run(a.copyTable, { jobId: 'job-2', planId: '00000000-0000-0000-0000-000000000000', table: 'album' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ type: DeliveryFailureType.InvalidParameters, nonRetryable: true });
  });
});
