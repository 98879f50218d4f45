import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { join } from 'node:path';
import { testPayloadKeys } from '@sdo/api/testing';
import { sdoDataConverter } from '@sdo/config';
import { DELIVERY_WORKFLOW_TYPES, NOTIFICATION_WORKFLOW_TYPE, OBLIGATION_WORKFLOW_TYPES } from '@sdo/contracts';
import { bundlerOptions } from '@sdo/worker/testing';
import { deliveryWorkflowBundle, workerTelemetry } from '@sdo/worker/testing';
import { savedHistories } from '../support/histories';

jest.setTimeout(120_000);

const bundleOf = (variant: string) =>
  bundleWorkflowCode({ workflowsPath: join(__dirname, 'variants', `${variant}.ts`), ...bundlerOptions, logger: new DefaultLogger('ERROR') });

async function replayAll(workflowBundle: Awaited<ReturnType<typeof deliveryWorkflowBundle>>, workflowType: string) {
  const results = [];
  // The worker's own payload codec (the saved histories are plaintext and pass through it) and its span sink.
  const dataConverter = sdoDataConverter(testPayloadKeys());
  const { sinks } = workerTelemetry();
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter, sinks }, savedHistories(workflowType))) results.push(result);
  return results;
}

/** Saved histories of every workflow type replay against today's code without a determinism error. */
describe('workflow replay', () => {
  beforeAll(() => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  });

  // Every catalog flow runs the same workflow type: each type once.
  it.each([...new Set([...Object.values(DELIVERY_WORKFLOW_TYPES), NOTIFICATION_WORKFLOW_TYPE])].filter((type) => savedHistories(type).length > 0))(
    '%s histories replay on the current code',
    async (workflowType) => {
      const results = await replayAll(await deliveryWorkflowBundle(), workflowType);
      expect(results.length).toBeGreaterThanOrEqual(4);
      expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(results.map((r) => [r.workflowId, undefined]));
    },
  );

  it.each(Object.values(OBLIGATION_WORKFLOW_TYPES))(
    '%s (an obligation of a long-running product) histories replay on the current code',
    async (workflowType) => {
      const results = await replayAll(await deliveryWorkflowBundle(), workflowType);
      expect(results.length).toBeGreaterThanOrEqual(1);
      expect(results.map((r) => [r.workflowId, r.error?.message])).toEqual(results.map((r) => [r.workflowId, undefined]));
    },
  );

  it('catches an incompatible change to the upgrade workflow', async () => {
    const results = await replayAll(await bundleOf('incompatible'), 'upgradeDelivery');
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.error).toBeInstanceOf(DeterminismViolationError);
  });

  it('accepts the same change behind patched()', async () => {
    const results = await replayAll(await bundleOf('patched'), 'upgradeDelivery');
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.error)).toEqual([]);
  });
});
