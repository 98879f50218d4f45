import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { copyFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiTestApp } from '@sdo/api/testing';
import { dataTaskQueue } from '@sdo/contracts';
import { chinookDir } from '@sdo/data-engine/testing';
import { createScratchDatabase, type ScratchDatabase } from '@sdo/testing';
import { sqliteFilePath } from '../support/deliveries';
import { approveFirstPlanViaApi, registerEnvironmentViaApi, startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(180_000);

const DATA_SLOTS = 2;

/**
 * Holds every copy at its start until released, so the data queue's slots fill with copies that
 * do not end (a four-hour copy, compressed). It keeps them alive with heartbeats, and changes
 * nothing the copy itself does.
 */
function copyHold() {
  const ran: { type: string; taskQueue: string }[] = [];
  let held = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const interceptor: ActivityInboundCallsInterceptor = {
    async execute(input, next) {
      const { activityType, taskQueue } = Context.current().info;
      ran.push({ type: activityType, taskQueue });
      if (activityType === 'copyTables' || activityType === 'copyTable') {
        held += 1;
        const beat = setInterval(() => Context.current().heartbeat(), 2_000);
        await released.finally(() => clearInterval(beat));
      }
      return next(input);
    },
  };
  return { interceptor, ran, held: () => held, release };
}

/** Issue #13: long copies on every data slot never hold up another delivery's gates, reminders and status. */
describe('a busy data queue', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  const hold = copyHold();
  const files: string[] = [];
  const targets: ScratchDatabase[] = [];

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker({ dataSlots: DATA_SLOTS, interceptors: { activity: [() => ({ inbound: hold.interceptor })] } }));
  });
  afterAll(async () => {
    hold.release();
    await worker?.close();
    await api?.close();
    for (const t of targets) await t.drop();
    for (const f of files) rmSync(f, { force: true });
  });

  /** A SQLite → PostgreSQL conversion of Chinook for a customer, on databases of its own. */
  async function conversion(customerId: string, extra: Record<string, unknown>) {
    const file = sqliteFilePath(`busy-${randomUUID()}.sqlite`);
    copyFileSync(join(chinookDir(), 'Chinook_Sqlite.sqlite'), file);
    files.push(file);
    const target = await createScratchDatabase('e2e_busy_tgt');
    targets.push(target);
    const src = await registerEnvironmentViaApi(api, customerId, `chinook-${randomUUID().slice(0, 6)}`, { sqlite: file });
    const tgt = await registerEnvironmentViaApi(api, customerId, `pg-${randomUUID().slice(0, 6)}`, { postgres: target.url });
    return startDeliveryViaApi(api, {
      serviceType: 'database-conversion',
      customerId,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { source: src.id, target: tgt.id },
      contractRef: 'CT-2026-BUSY',
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
      ...extra,
    });
  }

  it("moves another delivery's gates, reminders and status within seconds while every data slot copies", async () => {
    // Delivery A's rehearsal copies in two lanes: both data slots are taken and stay taken.
    const a = await conversion('CUST-A', { parameters: { targetSchema: 'erp', parallelTables: DATA_SLOTS } });
    await approveFirstPlanViaApi(api, a, 90_000);
    await waitForDelivery(api, a, () => hold.held() >= DATA_SLOTS, 60_000);
    expect(hold.ran.filter((r) => r.type.startsWith('copy')).map((r) => r.taskQueue)).toEqual(Array(DATA_SLOTS).fill(dataTaskQueue(worker.taskQueue)));

    // Delivery B: assessed, planned and waiting at its gate, reminding every second.
    const startedAt = Date.now();
    const b = await conversion('CUST-B', { parameters: { targetSchema: 'erp' }, gatePolicy: { reminderEvery: '1 second', escalateAfter: '1 hour' } });
    const waiting = await waitForDelivery(api, b, (d) => d.live?.awaiting === 'planApproval' && d.live.reminders >= 2, 60_000);
    const toGate = Date.now() - startedAt;
    expect(waiting.live.phase).toBe('plan');
    // The manager's decision is taken at once, and the delivery moves on to its rehearsal.
    const decidedAt = Date.now();
    await approveFirstPlanViaApi(api, b, 5_000);
    await waitForDelivery(api, b, (d) => d.live?.phase === 'test', 10_000);
    const toRehearsal = Date.now() - decidedAt;

    // Within seconds (reminders every second, on a loaded 2-core machine), while A's copies still hold every data slot.
    expect(toGate).toBeLessThan(20_000);
    expect(toRehearsal).toBeLessThan(5_000);
    expect(hold.held()).toBe(DATA_SLOTS);
    // B's bookkeeping ran on the delivery queue, past the copies.
    const bookkeeping = hold.ran.filter((r) => ['assessConversion', 'draftConversionPlan', 'recordDeliveryState', 'notifyGate'].includes(r.type));
    expect(new Set(bookkeeping.map((r) => r.taskQueue))).toEqual(new Set([worker.taskQueue]));
    expect(bookkeeping.some((r) => r.type === 'notifyGate')).toBe(true);
    console.log(`busy data queue: delivery B at its gate in ${toGate} ms, past it in ${toRehearsal} ms`);
  });
});
