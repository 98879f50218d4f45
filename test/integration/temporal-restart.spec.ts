import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmAcceptanceUpdate, DeliveryStatus } from '@sdo/contracts';
import { ReportStore } from '@sdo/persistence';
import { createScratchDatabase } from '@sdo/testing';
import { createMysqlDatabase, loadChinookMysql } from '@sdo/data-engine/testing';
import { freePort } from '@sdo/stack';
import { startTemporal } from '@sdo/stack';
import { approveCurrentPlan, registerEnvironment, startDelivery } from '../support/deliveries';
import { withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness } from '../support/worker-harness';

jest.setTimeout(180_000);

const log = (...args: unknown[]) => process.stdout.write(`[temporal-restart] ${args.join(' ')}\n`);

/**
 * The dev server keeps its state in a SQLite file, as `npm start` runs it: killed with SIGKILL and
 * started again on the same file, it still has every open workflow, and the worker (which kept
 * polling) carries on. A server of this test's own, so no other test loses its server.
 */
describe('a delivery outlives its Temporal server being killed and restarted', () => {
  it('a conversion whose server is SIGKILLed during rehearsal/cutover resumes once the server is back, and is accepted verified', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdo-temporal-'));
    const port = await freePort();
    const dbFile = join(dir, 'temporal.db');
    let temporal = await startTemporal({ port, dbFile });
    const h = await startWorkerHarness({ temporalAddress: temporal.address });
    const source = await createMysqlDatabase('restart_src');
    const target = await createScratchDatabase('restart_tgt');
    try {
      await loadChinookMysql(source.name);
      const environments = { source: await registerEnvironment(h, { mysql: source.url }), target: await registerEnvironment(h, { postgres: target.url }) };
      const { handle } = await startDelivery(h, { serviceType: 'database-conversion', environments, parameters: { targetSchema: 'erp' } });
      await approveCurrentPlan(handle);
      const running = await waitForStatus(handle, (s) => s.phase === 'test' || s.phase === 'cutover', 60_000);
      await temporal.crash();
      log(`server SIGKILLed while the delivery was at "${running.phase}: ${running.step}"`);
      await new Promise((r) => setTimeout(r, 2_000)); // down for a while: polls, heartbeats and completions fail meanwhile
      temporal = await startTemporal({ port, dbFile });
      const tBack = Date.now();

      const accepting: DeliveryStatus = await waitForStatus(handle, (s) => s.awaiting === 'acceptance', 150_000);
      log(`server back; acceptance reached ${Date.now() - tBack} ms later`);
      expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance']);
      const cutover = await new ReportStore(h.dataSource).get(accepting.reports[3]!.reportId);
      expect(cutover?.body).toMatchObject({ verified: true, targetSchema: 'erp' });
      const lines = await withPg(target.url, (c) => c.query('SELECT count(*)::int AS n, sum(unit_price * quantity)::text AS total FROM erp.invoice_line'));
      expect(lines.rows[0]).toEqual({ n: 2240, total: '2328.60' });

      await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
      await expect(handle.result()).resolves.toMatchObject({ outcome: 'accepted' });
    } finally {
      await h.close();
      await temporal.stop();
      await source.drop();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
