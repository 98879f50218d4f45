import { WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  approvePlanUpdate,
  confirmAcceptanceUpdate,
  DeliveryInput,
  moveCutoverWindowUpdate,
  rejectAcceptanceUpdate,
  rejectPlanUpdate,
  signContractUpdate,
  UpgradeParameters,
} from '@sdo/contracts';
import { AuditTrail, DeliveryStore, UpgradePackageStore } from '@sdo/persistence';
import type { ScratchDatabase } from '@sdo/testing';
import { fingerprintDatabase, readHistory } from '@sdo/upgrade-kit';
import { approveCurrentPlan, registerEnvironment, startDelivery } from '../support/deliveries';
import { recordHistory } from '../support/histories';
import { connectionFields, createErpV1Database, scratchDatabasesOf, upgradePackageRecord, withPg } from '../support/fixtures';
import { waitForStatus } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

describe('upgrade delivery on real Temporal and PostgreSQL', () => {
  let h: WorkerHarness;
  let packageId: string;
  let brokenPackageId: string;
  const targets: ScratchDatabase[] = [];

  beforeAll(async () => {
    h = await startWorkerHarness();
    const packages = new UpgradePackageStore(h.dataSource);
    packageId = (await packages.register(upgradePackageRecord('erp-2.1'))).id;
    brokenPackageId = (await packages.register(upgradePackageRecord('erp-2.1-broken'))).id;
  });

  afterAll(async () => {
    await h?.close();
    for (const t of targets) await t.drop();
  });

  /** Registers a fresh ERP v1 target and starts an upgrade of it, as the API would. */
  async function startUpgrade(overrides: Partial<DeliveryInput<UpgradeParameters>> & { pkg?: string } = {}) {
    const target = await createErpV1Database();
    targets.push(target);
    const { pkg = packageId, ...fields } = overrides;
    const environments = { target: await registerEnvironment(h, { postgres: target.url }) };
    const { handle, deliveryId } = await startDelivery(h, { serviceType: 'upgrade', environments, parameters: { packageId: pkg }, ...fields });
    return { handle, target, deliveryId };
  }

  it('runs assessment → contract → revised plan → rehearsal → cutover → acceptance (rejected once, then confirmed) and really upgrades the target', async () => {
    const { handle, target, deliveryId } = await startUpgrade({ contractRef: undefined });

    // The contract gate holds the delivery, and a plan decision is refused while it waits there.
    await waitForStatus(handle, (s) => s.awaiting === 'contractSignature');
    await expect(handle.executeUpdate(approvePlanUpdate, { args: [{ revision: 1, decidedBy: 'x' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(approvePlanUpdate, { args: [{ revision: 1, decidedBy: 'x' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/waiting for contractSignature, not for planApproval/) },
    });
    await handle.executeUpdate(signContractUpdate, { args: [{ contractRef: 'CT-42', signedBy: 'sales' }] });

    // Plan revision 1 rejected with a comment, revision 2 approved; both versions are kept.
    await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 1);
    await expect(handle.executeUpdate(approvePlanUpdate, { args: [{ revision: 7, decidedBy: 'x' }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/revision 7 is not the one awaiting approval/) },
    });
    await handle.executeUpdate(rejectPlanUpdate, { args: [{ revision: 1, decidedBy: 'customer-cio', comment: 'schedule after month-end close' }] });
    await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2);
    await approveCurrentPlan(handle);

    const accepting = await waitForStatus(handle, (s) => s.awaiting === 'acceptance');
    expect(accepting.plans.map((p) => [p.revision, p.status])).toEqual([
      [1, 'rejected'],
      [2, 'approved'],
    ]);
    expect(accepting.reports.map((r) => r.kind)).toEqual(['assessment', 'plan', 'plan', 'rehearsal', 'cutover', 'acceptance']);

    // The target really changed: all four scripts recorded, the new objects exist.
    const history = await withPg(target.url, (c) => readHistory(c));
    expect(history.map((r) => [r.version, r.success])).toEqual([
      ['2.0.0', true],
      ['2.0.1', true],
      ['2.1.0', true],
      ['2.1.1', true],
    ]);
    const stdPrices = await withPg(target.url, (c) => c.query("SELECT count(*)::int AS n FROM price_lists WHERE code = 'STANDARD'"));
    expect(stdPrices.rows[0].n).toBe(3);

    // The customer rejects acceptance once: back to a new rehearsal, where re-running the applied upgrade is a no-op.
    await handle.executeUpdate(rejectAcceptanceUpdate, {
      args: [{ rejectedBy: 'customer-cio', reason: 'month-end report totals to be re-checked', reopen: 'test' }],
    });
    const again = await waitForStatus(handle, (s) => s.awaiting === 'acceptance' && s.reports.filter((r) => r.kind === 'acceptance').length === 2);
    expect(again.reports.map((r) => r.kind).slice(6)).toEqual(['rehearsal', 'cutover', 'acceptance']);
    expect(again.reports[7]?.summary).toMatch(/0 script\(s\)/);
    expect((await withPg(target.url, (c) => readHistory(c))).length).toBe(4);

    await handle.executeUpdate(confirmAcceptanceUpdate, { args: [{ confirmedBy: 'customer-cio' }] });
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: 'accepted', acceptedBy: 'customer-cio' });
    await recordHistory(handle, 'upgradeDelivery-accepted-after-plan-revision-and-acceptance-rejection');

    const row = await new DeliveryStore(h.dataSource).find(deliveryId);
    expect(row).toMatchObject({ phase: 'completed', progress: 100, awaiting: null });
    const audit = await new AuditTrail(h.dataSource).listForDelivery(deliveryId);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['phase.assessment', 'phase.contract', 'phase.plan', 'phase.test', 'phase.cutover', 'phase.acceptance', 'phase.completed']),
    );
    // The cutover backup is dropped once the customer has signed off.
    expect(await scratchDatabasesOf(target.url, deliveryId)).toEqual([]);
  });

  it('blocks cutover after a failed rehearsal and sends the delivery back to planning', async () => {
    const { handle, target } = await startUpgrade({ pkg: brokenPackageId });
    const before = await withPg(target.url, (c) => fingerprintDatabase(c));
    await approveCurrentPlan(handle);
    const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval' && s.plans.length === 2);
    expect(status.lastFailure).toMatchObject({ phase: 'test', type: 'RehearsalFailed' });
    expect(status.lastFailure?.message).toMatch(/2\.0\.1/);
    expect(status.reports.filter((r) => r.kind === 'cutover')).toEqual([]);
    // The rehearsal ran on a clone: the target itself is untouched.
    expect((await withPg(target.url, (c) => fingerprintDatabase(c))).hash).toBe(before.hash);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'upgradeDelivery-rehearsal-failed-then-cancelled');
  });

  it('rolls a failed cutover back so the target is exactly as it was before cutover', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { handle, target } = await startUpgrade({ cutoverWindow: { startsAt: future, durationMinutes: 30 } });
    await approveCurrentPlan(handle);
    await waitForStatus(handle, (s) => s.awaiting === 'cutoverWindow');

    // After the rehearsal, someone adds an index the package creates too: script 2.1.0 will fail mid-cutover.
    await withPg(target.url, (c) => c.query('CREATE INDEX sales_orders_customer_date ON sales_orders (order_date)'));
    const beforeCutover = await withPg(target.url, (c) => fingerprintDatabase(c));

    await handle.executeUpdate(moveCutoverWindowUpdate, { args: [{ startsAt: new Date().toISOString(), movedBy: 'delivery-manager' }] });
    const status = await waitForStatus(handle, (s) => s.phase === 'plan' && s.awaiting === 'planApproval' && s.plans.length === 2);
    expect(status.lastFailure).toMatchObject({ phase: 'cutover', type: 'ScriptFailed' });
    expect(status.lastFailure?.message).toMatch(/2\.1\.0/);

    const afterRollback = await withPg(target.url, (c) => fingerprintDatabase(c));
    expect(afterRollback.schema).toEqual(beforeCutover.schema);
    expect(afterRollback.hash).toBe(beforeCutover.hash);
    expect(await withPg(target.url, (c) => c.query("SELECT to_regclass('sdo_schema_history') AS t"))).toMatchObject({ rows: [{ t: null }] });
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    await recordHistory(handle, 'upgradeDelivery-cutover-rolled-back-then-cancelled');
  });

  it('blocks at once, typed and readable, on bad credentials, with no secret anywhere in the history', async () => {
    const target = await createErpV1Database();
    targets.push(target);
    const fields = connectionFields(target.url);
    const secret = `Wrong-${randomUUID()}`;
    const env = await registerEnvironment(h, { postgres: target.url }, { password: secret });
    const { handle, deliveryId } = await startUpgrade({ environments: { target: env } });
    const blocked = await waitForStatus(handle, (s) => s.awaiting === 'assessmentBlocked');
    expect(blocked.lastFailure).toMatchObject({ phase: 'assessment', type: 'BadCredentials' });
    // The app database mirrors the gate a moment after the workflow's own state.
    let row = await new DeliveryStore(h.dataSource).find(deliveryId);
    for (let i = 0; i < 40 && row?.awaiting !== 'assessmentBlocked'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      row = await new DeliveryStore(h.dataSource).find(deliveryId);
    }
    expect(row).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked', lastFailure: { phase: 'assessment', type: 'BadCredentials' } });
    expect(row?.lastFailure?.message).toMatch(/password|credentials|authentication/i);

    await handle.cancel();
    await handle.result().catch(() => undefined);
    const history = JSON.stringify(await handle.fetchHistory());
    for (const leak of [secret, fields.password, target.url, `${fields.host}:${fields.port}`]) expect(history).not.toContain(leak);
    const describe = await handle.describe();
    expect(describe.status.name).toBe('CANCELLED');
  });

  it('is findable in Temporal visibility by the gate it waits at', async () => {
    const { handle } = await startUpgrade({ contractRef: undefined });
    await waitForStatus(handle, (s) => s.awaiting === 'contractSignature');
    const query = `SdoAwaiting = "contractSignature" AND SdoServiceType = "upgrade" AND SdoCustomerId = "ACME" AND SdoPhase = "contract" AND WorkflowId = "${handle.workflowId}"`;
    let found: string[] = [];
    for (let i = 0; i < 50 && !found.length; i++) {
      found = [];
      for await (const wf of h.client.workflow.list({ query })) found.push(wf.workflowId);
      if (!found.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found).toEqual([handle.workflowId]);
    await handle.cancel();
  });

  it('reminds and escalates a waiting gate, and records cancellation', async () => {
    const { handle, deliveryId } = await startUpgrade({ contractRef: undefined, gatePolicy: { reminderEvery: '1 second', escalateAfter: '2 seconds' } });
    await waitForStatus(handle, (s) => s.awaiting === 'contractSignature' && s.escalated && s.reminders >= 2, 30_000);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const audit = await new AuditTrail(h.dataSource).listForDelivery(deliveryId);
    const actions = audit.map((a) => a.action);
    expect(actions).toContain('gate.reminder');
    expect(actions).toContain('gate.escalation');
    expect(actions[actions.length - 1]).toBe('phase.cancelled');
    await recordHistory(handle, 'upgradeDelivery-gate-escalated-then-cancelled');
    expect(await new DeliveryStore(h.dataSource).find(deliveryId)).toMatchObject({ phase: 'cancelled', awaiting: null });
  });
});
