import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadPackage } from '@sdo/upgrade-kit';
import { testStack } from '@sdo/testing';
import type { ApiTestApp } from '@sdo/api/testing';
import { freePort } from '@sdo/stack';
import { connectionFields, UPGRADE_FIXTURES } from '../support/fixtures';
import { startApiAndWorker, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import type { WorkerHarness } from '../support/worker-harness';

jest.setTimeout(90_000);

/** Small in tests; the worker's default is 5 minutes (SDO_ASSESSMENT_RETRY_BUDGET). */
const BUDGET_MS = 3_000;

/**
 * Issue #8, item 12: an assessment that cannot reach the customer's server must not keep the
 * delivery in `assessing` for ever. Permanent errors (a host that does not resolve, bad
 * credentials, a missing database) stop at once; a refused connection is retried within the
 * budget. Either way the delivery stops assessing with a typed reason the API shows — and since
 * issue #9 it waits at assessment for the manager to amend it (`assessmentBlocked`) instead of failing.
 */
describe('failure budgets of an assessment, through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let packageId: string;
  const server = connectionFields(testStack().postgresUrl);

  beforeAll(async () => {
    ({ api, worker } = await startApiAndWorker({ assessmentRetryBudgetMs: BUDGET_MS }));
    const registered = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    expect(registered.status).toBe(201);
    packageId = registered.body.id;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  /** Registers the target as given, starts an upgrade on it and waits until its assessment is blocked; returns the delivery and the seconds it took. */
  async function upgradeOf(target: Record<string, unknown>): Promise<{ delivery: any; seconds: number }> {
    const customerId = 'CUST-BUDGET';
    const env = await api.request('POST', '/v1/environments', {
      body: { customerId, name: `erp-${randomUUID().slice(0, 8)}`, engine: 'postgres', ...server, ...target },
    });
    expect(env.status).toBe(201);
    const started = Date.now();
    const id = await startDeliveryViaApi(api, {
      serviceType: 'upgrade',
      customerId,
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: { target: env.body.id },
      parameters: { packageId },
      cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
    });
    const delivery = await waitForDelivery(api, id, (d) => d.phase !== 'assessment' || d.awaiting === 'assessmentBlocked', 30_000);
    const seconds = (Date.now() - started) / 1000;
    expect(delivery).toMatchObject({ phase: 'assessment', awaiting: 'assessmentBlocked' });
    expect(delivery.live).toMatchObject({ awaiting: 'assessmentBlocked', lastFailure: delivery.lastFailure });
    // Nothing to keep waiting for here: cancelling is the manager's other way out.
    expect((await api.request('POST', `/v1/deliveries/${id}/cancellation`, { as: 'manager', body: { reason: 'test over' } })).status).toBe(202);
    return { delivery, seconds };
  }

  it('a host that does not resolve blocks the assessment at once as UnknownHost', async () => {
    const { delivery } = await upgradeOf({ host: 'nonexistent.invalid' });
    expect(delivery.lastFailure).toMatchObject({ phase: 'assessment', type: 'UnknownHost' });
    expect(delivery.lastFailure.message).toMatch(/does not resolve/);
    expect(delivery.lastFailure.message).not.toMatch(/Gave up/);
  });

  it('a port that refuses connections is retried within the budget, then the assessment is blocked naming the reason', async () => {
    const { delivery, seconds } = await upgradeOf({ host: '127.0.0.1', port: await freePort() });
    expect(delivery.lastFailure).toMatchObject({ phase: 'assessment', type: 'Unreachable' });
    expect(delivery.lastFailure.message).toMatch(/ECONNREFUSED/);
    expect(delivery.lastFailure.message).toMatch(/Gave up after [2-9] attempt\(s\)/);
    expect(seconds).toBeGreaterThanOrEqual(BUDGET_MS / 1000);
    expect(seconds).toBeLessThan(20);
  });

  it('bad credentials and a missing database block the assessment at once, typed', async () => {
    const credentials = await upgradeOf({ password: 'not-the-password' });
    expect(credentials.delivery.lastFailure).toMatchObject({ phase: 'assessment', type: 'BadCredentials' });
    const missing = await upgradeOf({ database: `no_such_erp_${randomUUID().slice(0, 8)}` });
    expect(missing.delivery.lastFailure).toMatchObject({ phase: 'assessment', type: 'EnvironmentNotFound' });
    for (const { delivery } of [credentials, missing]) expect(delivery.lastFailure.message).not.toMatch(/Gave up/);
  });
});
