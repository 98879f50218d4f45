import { randomUUID } from 'node:crypto';
import type { ApiOptions } from '@sdo/api/testing';
import { ApiTestApp, startApiTestApp, TEST_SECRETS_KEY } from '@sdo/api/testing';
import { EnvironmentLocation, environmentFields } from './deliveries';
import { waitForDelivery } from './waiting';
import { startWorkerHarness, WorkerHarness, type WorkerHarnessOptions } from './worker-harness';

/**
 * The API on a scratch app database, and a real worker sharing that database on a task queue of their own.
 * Each may be given its own DNS answers (a name can resolve differently at registration and at connect).
 */
export async function startApiAndWorker(
  workerOptions: Pick<WorkerHarnessOptions, 'resolveHost' | 'assessmentRetryBudgetMs' | 'dataSlots' | 'interceptors'> = {},
  apiOptions: Pick<ApiOptions, 'resolveHost' | 'rateLimit'> & { env?: Record<string, string> } = {},
): Promise<{ api: ApiTestApp; worker: WorkerHarness }> {
  const taskQueue = `e2e-${randomUUID()}`;
  const api = await startApiTestApp({ ...apiOptions, env: { ...apiOptions.env, SDO_TASK_QUEUE: taskQueue } });
  try {
    return { api, worker: await startWorkerHarness({ ...workerOptions, appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue }) };
  } catch (err) {
    await api.close();
    throw err;
  }
}

/** The API alone, starting workflows on a task queue of its own: no worker runs them, so deliveries stay where they started. */
export function startApiWithoutWorker(apiOptions: Pick<ApiOptions, 'resolveHost'> = {}): Promise<ApiTestApp> {
  return startApiTestApp({ ...apiOptions, env: { SDO_TASK_QUEUE: `e2e-${randomUUID()}` } });
}

/** POST /v1/environments (201); returns the environment as the API shows it. */
export async function registerEnvironmentViaApi(api: ApiTestApp, customerId: string, name: string, at: EnvironmentLocation): Promise<{ id: string }> {
  const r = await api.request('POST', '/v1/environments', { body: { customerId, name, ...environmentFields(at) } });
  expect(r.status).toBe(201);
  return r.body;
}

/** POST /v1/deliveries as the manager, under a fresh idempotency key (202); returns the delivery's ID. */
export async function startDeliveryViaApi(api: ApiTestApp, body: Record<string, unknown>): Promise<string> {
  const started = await api.request('POST', '/v1/deliveries', { as: 'manager', body, headers: { 'idempotency-key': randomUUID() } });
  expect(started.status).toBe(202);
  return started.body.id;
}

/** Waits until the delivery asks for plan approval, then approves revision 1 as the manager (200). */
export async function approveFirstPlanViaApi(api: ApiTestApp, id: string, timeoutMs?: number): Promise<void> {
  await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval', timeoutMs);
  expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } })).status).toBe(200);
}

/** Confirms acceptance as the manager (200) and waits until the delivery is completed, at 100 %. */
export async function confirmAcceptanceViaApi(api: ApiTestApp, id: string, timeoutMs?: number): Promise<void> {
  expect((await api.request('POST', `/v1/deliveries/${id}/acceptance-confirmation`, { as: 'manager', body: { comment: 'signed off' } })).status).toBe(200);
  const done = await waitForDelivery(api, id, (d) => d.phase === 'completed', timeoutMs);
  expect(done.progress).toBe(100);
}
