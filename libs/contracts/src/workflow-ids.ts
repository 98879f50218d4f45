import { isServiceType, ServiceType } from './service-types';

/**
 * A delivery's workflow ID is its business ID: the service and the customer's order number,
 * e.g. `upgrade:SO-2026-0042`. Order numbers are what delivery managers search for in the UI.
 */
const ORDER_NO = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isValidOrderNo(orderNo: string): boolean {
  return ORDER_NO.test(orderNo);
}

export function deliveryWorkflowId(serviceType: ServiceType, orderNo: string): string {
  if (!isValidOrderNo(orderNo)) throw new Error(`invalid order number "${orderNo}"`);
  return `${serviceType}:${orderNo}`;
}

export function parseDeliveryWorkflowId(workflowId: string): { serviceType: ServiceType; orderNo: string } | undefined {
  const at = workflowId.indexOf(':');
  const serviceType = workflowId.slice(0, at);
  const orderNo = workflowId.slice(at + 1);
  if (at < 0 || !isServiceType(serviceType) || !isValidOrderNo(orderNo)) return undefined;
  return { serviceType, orderNo };
}
