import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { testPayloadKeys, testTemporalClient } from '@sdo/api/testing';
import { sdoDataConverter } from '@sdo/config';
import { testStack } from '@sdo/testing';
import { bundlerOptions, WORKFLOW_INTERCEPTOR_MODULES, workerTelemetry } from '@sdo/worker/testing';
import { probeDecide } from './variants/gate-probe';

jest.setTimeout(120_000);

/**
 * A gate (escalation timer, reminder condition with a timeout, synchronous deciding Update) that
 * first refuses an Update, then takes one, on a worker that keeps the run cached: its history must
 * replay on the worker's code. Before the tracing interceptors kept their SDK flag in history, the
 * refused Update's dropped task took the flag with it and the replay failed with
 * "Update machine does not handle this event: TimerCanceled" (the saved history below).
 */
describe('a refused Update before a gate decision (nondeterminism on replay)', () => {
  let bundle: WorkflowBundleWithSourceMap;
  const dataConverter = sdoDataConverter(testPayloadKeys());
  const { sinks } = workerTelemetry();
  const replay = (history: Parameters<typeof Worker.runReplayHistory>[1]) =>
    Worker.runReplayHistory({ workflowBundle: bundle, dataConverter, sinks }, history).then(
      () => undefined,
      (err: Error) => err.message,
    );

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    bundle = await bundleWorkflowCode({
      workflowsPath: join(__dirname, 'variants', 'gate-probe.ts'),
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      ...bundlerOptions,
      logger: new DefaultLogger('ERROR'),
    });
  });

  it('the history a worker wrote before the fix does not replay: the flag it used is not in it', async () => {
    const saved = historyFromJSON(
      JSON.parse(readFileSync(join(__dirname, '../fixtures/nondeterminism/gateProbe-refused-update-then-decided-flag-lost.json'), 'utf8')),
    );
    const flags = saved.events?.flatMap((e) => e.workflowTaskCompletedEventAttributes?.sdkMetadata?.langUsedFlags ?? []);
    expect(flags).not.toContain(6);
    expect(await replay(saved)).toMatch(/Update machine does not handle this event: HistoryEvent\(id: 11, TimerCanceled\)/);
  });

  it('a run that refuses an Update and then takes one replays on the worker that wrote it', async () => {
    const stack = testStack();
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const native = await NativeConnection.connect({ address: stack.temporalAddress });
    const client = testTemporalClient(connection, stack.temporalNamespace);
    const taskQueue = `refused-update-${randomUUID()}`;
    const worker = await Worker.create({ connection: native, namespace: stack.temporalNamespace, taskQueue, workflowBundle: bundle, dataConverter, sinks });
    try {
      const history = await worker.runUntil(async () => {
        const handle = await client.workflow.start('gateProbe', { taskQueue, workflowId: `gate-probe-${randomUUID()}` });
        await expect(handle.executeUpdate(probeDecide, { args: ['refuse'] })).rejects.toThrow();
        expect(await handle.executeUpdate(probeDecide, { args: ['approved'] })).toBe('approved');
        expect(await handle.result()).toBe('approved');
        return handle.fetchHistory();
      });
      expect(await replay(history)).toBeUndefined();
    } finally {
      await native.close();
      await connection.close();
    }
  });
});
