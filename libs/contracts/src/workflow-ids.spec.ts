import { deliveryWorkflowId, parseDeliveryWorkflowId } from './workflow-ids';

describe('delivery workflow IDs', () => {
  it('are built from the service and the order number, and parse back', () => {
    const id = deliveryWorkflowId('org-split', 'SO-2026.0042_a');
    expect(id).toBe('org-split:SO-2026.0042_a');
    expect(parseDeliveryWorkflowId(id)).toEqual({ serviceType: 'org-split', orderNo: 'SO-2026.0042_a' });
  });

  it('refuse order numbers that could smuggle separators or visibility-query syntax', () => {
    for (const bad of ['', 'a:b', 'x y', "o'brien", '-lead', 'x'.repeat(65)]) {
      expect(() => deliveryWorkflowId('upgrade', bad)).toThrow(/invalid order number/);
    }
    expect(parseDeliveryWorkflowId('training:SO-1')).toBeUndefined();
    expect(parseDeliveryWorkflowId('upgrade')).toBeUndefined();
  });
});
