import { Connection, Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ApiTestApp, startApiTestApp, TEST_SECRETS_KEY } from '@sdo/api/testing';
import { AesGcmPayloadCodec, payloadKeyRing, PayloadKeyRing } from '@sdo/config';
import { createScratchDatabase, type ScratchDatabase, testStack } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { registerEnvironmentViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

const K1 = `rot-1:${randomBytes(32).toString('base64')}`;
const K2 = `rot-2:${randomBytes(32).toString('base64')}`;
const CUSTOMER = 'CUST-ROTATE';

type JsonPayload = { metadata: Record<string, string>; data?: string };
const text = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');
const toPayload = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

/** The key ID of every sealed payload in a history, in event order. */
function keyIdsOf(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => keyIdsOf(n, found));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const metadata = o['metadata'] as Record<string, string> | undefined;
    if (metadata && typeof metadata === 'object' && metadata['encryption-key-id']) found.push(text(metadata['encryption-key-id']));
    else for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes' && k !== 'header') keyIdsOf(v, found);
  }
  return found;
}

/**
 * Issue #13, key rotation end to end: a delivery started under the key ring [k1] goes on after the
 * worker and the API restart with [k2, k1] — its old payloads open, new ones are sealed with k2 —
 * and a worker whose ring lacks k1 says so in the workflow task's failure and keeps running.
 */
describe('payload key rotation', () => {
  let appDb: ScratchDatabase;
  let target: ScratchDatabase;
  let api: ApiTestApp | undefined;
  let worker: WorkerHarness | undefined;
  let connection: Connection;
  const taskQueue = `rotate-${randomUUID()}`;

  const up = async (keys: string, workerKeys: PayloadKeyRing = payloadKeyRing(keys)) => {
    api = await startApiTestApp({ database: appDb, env: { SDO_TASK_QUEUE: taskQueue, SDO_PAYLOAD_KEYS: keys } });
    worker = await startWorkerHarness({ appDatabaseUrl: appDb.url, secretsKey: TEST_SECRETS_KEY, taskQueue, payloadKeys: workerKeys });
    return api;
  };
  const down = async () => {
    await worker?.close();
    await api?.close();
    worker = api = undefined;
  };
  const historyOf = async (workflowId: string) =>
    JSON.parse(historyToJSON(await new Client({ connection, namespace: testStack().temporalNamespace }).workflow.getHandle(workflowId).fetchHistory()));

  beforeAll(async () => {
    appDb = await createScratchDatabase('sdo_rotate');
    target = await createErpV1Database();
    connection = await Connection.connect({ address: testStack().temporalAddress });
  });
  afterAll(async () => {
    await down();
    await connection?.close();
    await target?.drop();
    await appDb?.drop();
  });

  it('completes a delivery across the rotation; a ring without the old key refuses it clearly', async () => {
    const t0 = Date.now();
    const took: Record<string, number> = {};
    // Under [k1]: started and planned, waiting for approval (reminding every second).
    let a = await up(K1);
    const env = await registerEnvironmentViaApi(a, CUSTOMER, `erp-${randomUUID().slice(0, 6)}`, { postgres: target.url });
    const pkg = await a.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    const started = await a.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: CUSTOMER,
        orderNo: `SO-ROT-${randomUUID().slice(0, 6)}`,
        environments: { target: env.id },
        parameters: { packageId: pkg.body.id },
        contractRef: 'CT-ROT-1',
        cutoverWindow: { startsAt: new Date(Date.now() - 60_000).toISOString(), durationMinutes: 60 },
        gatePolicy: { reminderEvery: '1 second', escalateAfter: '1 hour' },
      },
    });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body as { id: string; workflowId: string };
    await waitForDelivery(a, id, (d) => d.live?.awaiting === 'planApproval');
    await down();
    took['planned under [k1]'] = Date.now() - t0;
    const sealedUnderK1 = keyIdsOf(await historyOf(workflowId));
    expect(new Set(sealedUnderK1)).toEqual(new Set(['rot-1']));

    // A worker with only [k2] cannot open the history: its workflow task fails saying which key is missing; it keeps polling.
    a = await up(`${K2},${K1}`, payloadKeyRing(K2));
    const failed = await (async () => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
        const event = (await historyOf(workflowId)).events.find((e: Record<string, unknown>) => e['workflowTaskFailedEventAttributes']);
        if (event) return event.workflowTaskFailedEventAttributes.failure as { message: string; encodedAttributes?: JsonPayload };
      }
      throw new Error('no workflow task failed');
    })();
    const [opened] = await new AesGcmPayloadCodec(payloadKeyRing(`${K2},${K1}`)).decode([toPayload(failed.encodedAttributes!)]);
    expect(JSON.parse(Buffer.from(opened!.data!).toString('utf8')).message).toMatch(/key "rot-1", which is not in the payload key ring \(rot-2\)/);
    // Still running (a crashed worker's close rethrows its failure).
    await down();
    took['refused under [k2]'] = Date.now() - t0;

    // [k2, k1]: the same delivery goes on to acceptance; what it seals from now on carries k2.
    a = await up(`${K2},${K1}`);
    const approval = await a.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1 } });
    expect([200, 202]).toContain(approval.status);
    await waitForDelivery(a, id, (d) => d.live?.awaiting === 'acceptance', 90_000);
    expect((await a.request('POST', `/v1/deliveries/${id}/acceptance-confirmation`, { as: 'manager', body: {} })).status).toBe(200);
    await waitForDelivery(a, id, (d) => d.phase === 'completed');
    took['completed under [k2, k1]'] = Date.now() - t0;
    console.log(
      `key rotation: ${Object.entries(took)
        .map(([k, ms]) => `${k} at ${ms} ms`)
        .join(', ')}`,
    );

    const keyIds = keyIdsOf(await historyOf(workflowId));
    expect(keyIds.slice(0, sealedUnderK1.length)).toEqual(sealedUnderK1);
    expect(new Set(keyIds.slice(sealedUnderK1.length))).toEqual(new Set(['rot-2']));
    // Without k1 the start input does not open, and says why.
    const start = (await historyOf(workflowId)).events[0].workflowExecutionStartedEventAttributes.input.payloads[0] as JsonPayload;
    await expect(new AesGcmPayloadCodec(payloadKeyRing(K2)).decode([toPayload(start)])).rejects.toThrow(
      /key "rot-1", which is not in the payload key ring \(rot-2\): add it to SDO_PAYLOAD_KEYS/,
    );
  });
});
