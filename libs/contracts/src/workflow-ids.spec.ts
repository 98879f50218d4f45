import { deliveryWorkflowId, parseDeliveryWorkflowId } from './workflow-ids';

describe('delivery workflow IDs', () => {
  it('are built from the service, the customer and the order number, and parse back', () => {
    const id = deliveryWorkflowId('org-split', 'CUST-0042', 'SO-2026.0042_a');
    expect(id).toBe('org-split:CUST-0042:SO-2026.0042_a');
    expect(parseDeliveryWorkflowId(id)).toEqual({ serviceType: 'org-split', customerId: 'CUST-0042', orderNo: 'SO-2026.0042_a' });
  });

  it('give two customers with the same order number different IDs', () => {
    expect(deliveryWorkflowId('upgrade', 'CUST-A', 'SO-1')).not.toBe(deliveryWorkflowId('upgrade', 'CUST-B', 'SO-1'));
  });

  it('name catalog-flow deliveries by their catalog code; only automated services have the older two-part form', () => {
    expect(parseDeliveryWorkflowId(deliveryWorkflowId('onsite-package', 'ACME', 'SO-7'))).toEqual({
      serviceType: 'onsite-package',
      customerId: 'ACME',
      orderNo: 'SO-7',
    });
    expect(parseDeliveryWorkflowId('onsite-package:SO-7')).toBeUndefined();
  });

  it('still parse IDs made before the customer was part of them', () => {
    expect(parseDeliveryWorkflowId('upgrade:SO-2026-0042')).toEqual({ serviceType: 'upgrade', orderNo: 'SO-2026-0042' });
  });

  it('refuse order numbers and customer IDs that could smuggle separators or visibility-query syntax', () => {
    for (const bad of ['', 'a:b', 'x y', "o'brien", '-lead', 'x'.repeat(65)]) {
      expect(() => deliveryWorkflowId('upgrade', 'CUST-1', bad)).toThrow(/invalid order number/);
      expect(() => deliveryWorkflowId('upgrade', bad, 'SO-1')).toThrow(/invalid customer ID/);
    }
    expect(parseDeliveryWorkflowId('training:SO-1')).toBeUndefined();
    expect(parseDeliveryWorkflowId('upgrade')).toBeUndefined();
    expect(parseDeliveryWorkflowId('upgrade:C:SO-1:x')).toBeUndefined();
    expect(parseDeliveryWorkflowId("upgrade:C'1:SO-1")).toBeUndefined();
  });
});
