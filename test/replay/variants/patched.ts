// The same edit behind patched(): new runs take the timer, recorded runs replay as before.
import { patched, sleep } from '@temporalio/workflow';
import type { DeliveryInput, DeliveryResult, UpgradeParameters } from '@sdo/contracts';
import { upgradeDelivery as current } from '@sdo/workflows';

export async function upgradeDelivery(input: DeliveryInput<UpgradeParameters>): Promise<DeliveryResult> {
  if (patched('pause-before-assessment')) await sleep('1 second');
  return current(input);
}
