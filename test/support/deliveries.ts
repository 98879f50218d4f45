import type { Client, WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { approvePlanUpdate, DELIVERY_WORKFLOW_TYPES, DeliveryInput, deliveryWorkflowId } from '@sdo/contracts';
import { DeliveryStore, EnvironmentDirectory, EnvironmentPolicy, EnvironmentRegistration, SecretBox } from '@sdo/persistence';
import { testStack } from '@sdo/testing';
import { connectionFields } from './fixtures';
import { waitForStatus } from './waiting';

/** The customer integration tests deliver to. */
export const TEST_CUSTOMER = 'ACME';

/** Where an environment's database is: a server URL (PostgreSQL, MariaDB) or a SQLite file (inside the run's SDO_SQLITE_DIR: see sqliteFilePath). */
export type EnvironmentLocation = { postgres: string } | { mysql: string } | { sqlite: string };

/** The registration fields of a location: engine, and the server's connection fields or the SQLite file. */
export function environmentFields(at: EnvironmentLocation): Pick<EnvironmentRegistration, 'engine' | 'database' | 'host' | 'port' | 'username' | 'password'> {
  if ('sqlite' in at) return { engine: 'sqlite', database: at.sqlite };
  if ('mysql' in at) return { engine: 'mysql', ...connectionFields(at.mysql) };
  return { engine: 'postgres', ...connectionFields(at.postgres) };
}

/** Where a test puts a SQLite file an environment will name: the run's SQLite directory (SDO_SQLITE_DIR). */
export function sqliteFilePath(fileName: string): string {
  return join(testStack().sqliteDir, fileName);
}

/**
 * Registers an environment in the app database (as POST /v1/environments would) and returns its ID.
 * `fields` overrides what is derived from the location, e.g. a wrong password.
 */
export async function registerEnvironment(
  on: { dataSource: DataSource; secretsKey: string },
  at: EnvironmentLocation,
  fields: Partial<EnvironmentRegistration> = {},
): Promise<string> {
  const location = environmentFields(at);
  // Registration alone never consults the policy (the API does, before it registers).
  const policy = new EnvironmentPolicy({ protectedEndpoints: [], sqliteDir: testStack().sqliteDir });
  const env = await new EnvironmentDirectory(on.dataSource, new SecretBox(on.secretsKey), policy).register({
    customerId: TEST_CUSTOMER,
    name: `${location.engine}-${randomUUID()}`,
    ...location,
    ...fields,
  });
  return env.id;
}

/**
 * What a test asks for: service, environments and parameters; any other field of the input may be
 * overridden (`contractRef: undefined` makes the delivery wait for the contract).
 */
export type DeliveryRequest<P> = Pick<DeliveryInput<P>, 'serviceType' | 'environments' | 'parameters'> & Partial<Omit<DeliveryInput<P>, 'deliveryId'>>;

/** Defaults: a fresh order of ACME, a signed contract, a cutover window open since the epoch, gates reminding hourly and escalating after a day. */
const DEFAULTS: Pick<DeliveryInput, 'customerId' | 'contractRef' | 'cutoverWindow' | 'gatePolicy'> = {
  customerId: TEST_CUSTOMER,
  contractRef: 'CT-2026-TEST',
  cutoverWindow: { startsAt: new Date(0).toISOString(), durationMinutes: 60 },
  gatePolicy: { reminderEvery: '1 hour', escalateAfter: '1 day' },
};

/** A cutover window that opens an hour from now: the delivery waits at the cutoverWindow gate after its rehearsal. */
export function cutoverWindowInAnHour(durationMinutes = 60): DeliveryInput['cutoverWindow'] {
  return { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes };
}

/**
 * Starts a delivery as the API would: claims it in the app database (with the same cutover window
 * and contract as the input), then starts its workflow on `on.taskQueue`.
 */
export async function startDelivery<P>(
  on: { client: Client; dataSource: DataSource; taskQueue: string },
  request: DeliveryRequest<P>,
): Promise<{ handle: WorkflowHandle; deliveryId: string; workflowId: string }> {
  const fields = { ...DEFAULTS, ...request };
  const orderNo = request.orderNo ?? `SO-${randomUUID().slice(0, 8)}`;
  const workflowId = deliveryWorkflowId(fields.serviceType, fields.customerId, orderNo);
  const claim = await new DeliveryStore(on.dataSource).claim({
    workflowId,
    idempotencyKey: randomUUID(),
    requestFingerprint: 'test',
    serviceType: fields.serviceType,
    customerId: fields.customerId,
    orderNo,
    environments: fields.environments,
    parameters: fields.parameters as unknown as Record<string, unknown>,
    cutoverWindow: fields.cutoverWindow,
    contractRef: fields.contractRef ?? null,
    createdBy: 'test',
  });
  if (claim.kind !== 'created') throw new Error(`order ${orderNo} was not claimed afresh (${claim.kind})`);
  const deliveryId = claim.delivery.id;
  const input: DeliveryInput<P> = { ...fields, deliveryId, orderNo };
  const handle = await on.client.workflow.start(DELIVERY_WORKFLOW_TYPES[fields.serviceType], { workflowId, taskQueue: on.taskQueue, args: [input] });
  await new DeliveryStore(on.dataSource).markStarted(deliveryId);
  return { handle, deliveryId, workflowId };
}

/** Waits for the plan gate, then approves the plan revision it waits on. */
export async function approveCurrentPlan(handle: WorkflowHandle, decidedBy = 'customer-cio'): Promise<void> {
  const status = await waitForStatus(handle, (s) => s.awaiting === 'planApproval');
  // A revision that does not create some objects (plan report `dependents`) is approved as a manager who read them would.
  const confirm = status.plans[status.plans.length - 1]?.confirmationRequired ? { confirmDependents: true } : {};
  await handle.executeUpdate(approvePlanUpdate, { args: [{ revision: status.plans.length, decidedBy, ...confirm }] });
}
