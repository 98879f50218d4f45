import { confirmAcceptanceUpdate, moveCutoverWindowUpdate } from '@sdo/contracts';
import { ReportStore } from '@sdo/persistence';
import { createScratchDatabase } from '@sdo/testing';
import { createMysqlDatabase, loadChinookMysql, mysqlExec } from '@sdo/data-engine/testing';
import { approveCurrentPlan, cutoverWindowInAnHour, registerEnvironment, startDelivery } from '../support/deliveries';
import { withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness } from '../support/worker-harness';

jest.setTimeout(180_000);

const log = (...args: unknown[]) => process.stdout.write(`[target-outage] ${args.join(' ')}\n`);
const LEDGER_ROWS = 400_000;
const OUTAGE_MS = 3_000;

/**
 * Reliability check 4, as a restart looks to the worker: in the middle of a cutover copy every
 * session on the target database is terminated and new ones are refused for a few seconds (the
 * PostgreSQL server is shared by the test run, so the database goes away rather than the server).
 * The copy fails retryably, the retry resumes after the last committed chunk (a chunk commits with
 * its checkpoint, so no partial chunk is visible) and the converted database verifies equal.
 */
describe('a conversion whose target database goes away mid-copy', () => {
  it('retries, resumes after the last committed chunk and is accepted with every table verified equal', async () => {
    const h = await startWorkerHarness();
    const source = await createMysqlDatabase('outage_src');
    const target = await createScratchDatabase('outage_tgt');
    const admin = (sql: string) => withPg(target.url.replace(/\/[^/]+$/, '/postgres'), (c) => c.query(sql));
    try {
      await loadChinookMysql(source.name);
      await mysqlExec(
        source.url,
        'CREATE TABLE ledger_entry (id INT PRIMARY KEY, account VARCHAR(20) NOT NULL, amount DECIMAL(14,2) NOT NULL, memo VARCHAR(80)); ' +
          `INSERT INTO ledger_entry SELECT seq, CONCAT('6001.', seq % 97), (seq % 100000) / 100, CONCAT('entry ', seq) FROM seq_1_to_${LEDGER_ROWS};`,
      );
      const environments = { source: await registerEnvironment(h, { mysql: source.url }), target: await registerEnvironment(h, { postgres: target.url }) };
      const { handle } = await startDelivery(h, {
        serviceType: 'database-conversion',
        environments,
        parameters: { targetSchema: 'erp', chunkRows: 5000 },
        cutoverWindow: cutoverWindowInAnHour(),
      });
      await approveCurrentPlan(handle);
      await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow', 120_000);
      await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });

      // The outage begins once a few chunks of the ledger are committed in the target, most still to come.
      const committed = async () =>
        withPg(target.url, (c) =>
          c.query<{ chunks: number }>(
            `SELECT count(*)::int AS chunks FROM sdo_copy.checkpoint WHERE job_id LIKE '%/cutover-%' AND table_name LIKE '%ledger_entry'`,
          ),
        )
          .then((r) => r.rows[0]!.chunks)
          .catch(() => 0);
      const deadline = Date.now() + 90_000;
      let chunks = 0;
      while ((chunks = await committed()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(chunks).toBeGreaterThanOrEqual(3);
      await admin(`ALTER DATABASE "${target.name}" ALLOW_CONNECTIONS false`);
      const killed = await admin(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${target.name}' AND pid <> pg_backend_pid()) t`,
      );
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await admin(`ALTER DATABASE "${target.name}" ALLOW_CONNECTIONS true`);
      const resumedFrom = await committed();
      log(
        `target sessions terminated (${killed.rows[0].n}) and refused for ${OUTAGE_MS} ms after ${chunks} committed chunks of ledger_entry (${resumedFrom} committed when it came back)`,
      );
      expect(resumedFrom).toBeLessThan(LEDGER_ROWS / 5000); // the outage really fell inside the copy

      const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 150_000);
      const cutover = await new ReportStore(h.dataSource).get(accepting.reports.find((r) => r.kind === 'cutover')!.reportId);
      const ledger = (cutover?.body['tables'] as { table: string; rowsLoaded: number; resumedAtChunk: number; verified: string }[]).find((t) =>
        /ledger_entry/.test(t.table),
      );
      log(`ledger_entry in the cutover report: ${JSON.stringify(ledger)}`);
      expect(cutover?.body).toMatchObject({ verified: true });
      // Resumed after what had committed before the outage; no row twice, none missing.
      expect(ledger).toMatchObject({ rowsLoaded: LEDGER_ROWS, verified: 'equal' });
      expect(ledger!.resumedAtChunk).toBeGreaterThanOrEqual(resumedFrom);
      const rows = await withPg(target.url, (c) =>
        c.query('SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, sum(amount)::text AS total FROM erp.ledger_entry'),
      );
      // Every residue of seq % 100000 four times: 4 × (0 + … + 99999) / 100.
      expect(rows.rows[0]).toEqual({ n: LEDGER_ROWS, ids: LEDGER_ROWS, total: '199998000.00' });

      await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
      await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    } finally {
      await admin(`ALTER DATABASE "${target.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
      await h.close();
      await source.drop();
      await target.drop();
    }
  });
});
