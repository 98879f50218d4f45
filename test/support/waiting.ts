import { WorkflowHandle } from '@temporalio/client';
import { deliveryStatusQuery, DeliveryStatus } from '@sdo/contracts';

/** Polls the delivery's status query until `predicate` holds; fails with the last status seen. */
export async function waitForStatus(handle: WorkflowHandle, predicate: (status: DeliveryStatus) => boolean, timeoutMs = 60_000): Promise<DeliveryStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: DeliveryStatus | undefined;
  while (Date.now() < deadline) {
    last = await handle.query(deliveryStatusQuery).catch(() => last);
    if (last && predicate(last)) return last;
    if (last && ['failed', 'cancelled', 'completed'].includes(last.phase) && !predicate(last)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`status condition not reached; last status: ${JSON.stringify(last, null, 2)}`);
}

/** Reads a delivery through the API until `predicate` holds; fails with the last answer seen. */
export async function waitForDelivery(
  api: { request(method: string, path: string, options?: { as?: 'viewer' }): Promise<{ body: any }> },
  id: string,
  predicate: (delivery: any) => boolean,
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await api.request('GET', `/v1/deliveries/${id}`, { as: 'viewer' })).body;
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`delivery never reached the expected state; last: ${JSON.stringify(last, null, 2)}`);
}

/**
 * Waits until the delivery's assessment is blocked (it waits at `assessmentBlocked` for the
 * manager), then cancels it — the manager's other way out — and waits for the run to close.
 * Returns the status seen while blocked.
 */
export async function cancelWhenBlocked(handle: WorkflowHandle, timeoutMs = 60_000): Promise<DeliveryStatus> {
  const blocked = await waitForStatus(handle, (s) => s.awaiting === 'assessmentBlocked' && s.phase === 'assessment', timeoutMs);
  await handle.cancel();
  await handle.result().catch(() => undefined);
  return blocked;
}

/** Whether a process still runs (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
