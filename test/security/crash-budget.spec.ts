import { Client, Connection } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { testStack } from '@sdo/testing';
import { bundlerOptions } from '@sdo/worker/testing';

jest.setTimeout(60_000);

/**
 * Issue #8, "worker crashes use up bounded retry budgets": a cutover step (org split, carryover,
 * conversion, migration, upgrade, finalizeTarget) used to give up after 3-5 attempts, each lost
 * worker counting as one. Now a step survives more lost workers than any old cap and completes.
 */
describe('a cutover step whose worker is lost more often than the old attempt caps', () => {
  it('still completes: 6 lost attempts, then the 7th succeeds', async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('ERROR') });
    } catch {
      // already installed by another test of this process
    }
    const stack = testStack();
    const taskQueue = `crash-budget-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const lost: number[] = [];
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: stack.temporalNamespace,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: join(__dirname, '..', 'support', 'crash-budget-workflow.ts'),
        ...bundlerOptions,
        logger: quiet,
      }),
      activities: {
        async cutoverStepLosingWorkers(lostAttempts: number): Promise<number> {
          const { attempt } = Context.current().info;
          if (attempt > lostAttempts) return attempt;
          lost.push(attempt);
          // As a SIGKILLed worker: no heartbeat, no answer; the server times the attempt out. Ends when the worker shuts down.
          await new Promise((resolve) => Context.current().cancellationSignal.addEventListener('abort', resolve));
          return -1;
        },
      },
    });
    try {
      const attempt = await worker.runUntil(
        new Client({ connection, namespace: stack.temporalNamespace }).workflow.execute('cutoverStepWorkflow', {
          taskQueue,
          workflowId: `crash-budget-${randomUUID()}`,
          args: [6],
        }),
      );
      expect(lost).toEqual([1, 2, 3, 4, 5, 6]);
      expect(attempt).toBe(7);
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
