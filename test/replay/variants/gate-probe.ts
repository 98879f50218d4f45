import { CancellationScope, condition, defineQuery, defineUpdate, isCancellation, setHandler, sleep } from '@temporalio/workflow';

/** The shape of a delivery gate (lifecycle/delivery-run.ts awaitGate), for the refused-Update replay spec. */

export const probeStatus = defineQuery<string>('probeStatus');
export const probeDecide = defineUpdate<string, [string]>('probeDecide');

/** awaitGate's shape: an escalation timer, a reminder condition with a timeout, a synchronous Update that decides. */
export async function gateProbe(): Promise<string> {
  let decision: string | undefined;
  setHandler(probeStatus, () => decision ?? 'awaiting');
  setHandler(
    probeDecide,
    (d) => {
      decision = d;
      return d;
    },
    {
      validator: (d) => {
        if (d === 'refuse') throw new Error('refused');
      },
    },
  );
  const escalation = new CancellationScope();
  const escalated = escalation
    .run(() => sleep('1 hour'))
    .catch((err: unknown) => {
      if (!isCancellation(err)) throw err;
    });
  while (!(await condition(() => decision !== undefined, '30 minutes'))) {
    /* reminder */
  }
  escalation.cancel();
  await escalated;
  return decision!;
}
