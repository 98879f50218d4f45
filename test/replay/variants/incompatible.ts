// A deliberately incompatible edit of the upgrade workflow: a timer before anything else.
import { sleep } from '@temporalio/workflow';
import type { DeliveryInput, DeliveryResult, UpgradeParameters } from '@sdo/contracts';
import { upgradeDelivery as current } from '@sdo/workflows';

export async function upgradeDelivery(input: DeliveryInput<UpgradeParameters>): Promise<DeliveryResult> {
  await sleep('1 second');
  return current(input);
}
