import { AUTOMATED_SERVICE_TYPES, isServiceType, ServiceType } from './service-types';

/**
 * A delivery's workflow ID is its business ID: the service, the customer and the customer's order
 * number, e.g. `upgrade:CUST-0042:SO-2026-0042`. Order numbers are the customer's own (two
 * customers may use the same), so the customer is part of the ID. Deliveries started before
 * customers were part of it keep their `<service>:<orderNo>` IDs; both forms parse.
 */
const ORDER_NO = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The same alphabet as order numbers: no ':' (the separator) and nothing a visibility query would read as syntax. */
const CUSTOMER_ID = ORDER_NO;

export function isValidOrderNo(orderNo: string): boolean {
  return ORDER_NO.test(orderNo);
}

export function isValidCustomerId(customerId: string): boolean {
  return CUSTOMER_ID.test(customerId);
}

export function deliveryWorkflowId(serviceType: ServiceType, customerId: string, orderNo: string): string {
  if (!isValidCustomerId(customerId)) throw new Error(`invalid customer ID "${customerId}"`);
  if (!isValidOrderNo(orderNo)) throw new Error(`invalid order number "${orderNo}"`);
  return `${serviceType}:${customerId}:${orderNo}`;
}

/** Parses both forms; `customerId` is absent for IDs made before it was part of them. */
export function parseDeliveryWorkflowId(workflowId: string): { serviceType: ServiceType; customerId?: string; orderNo: string } | undefined {
  const parts = workflowId.split(':');
  const serviceType = parts[0] ?? '';
  if (!isServiceType(serviceType)) return undefined;
  // Only the five automated services existed before customers were part of the ID.
  const legacy = (AUTOMATED_SERVICE_TYPES as readonly string[]).includes(serviceType);
  if (parts.length === 2 && legacy && isValidOrderNo(parts[1]!)) return { serviceType, orderNo: parts[1]! };
  if (parts.length === 3 && isValidCustomerId(parts[1]!) && isValidOrderNo(parts[2]!)) return { serviceType, customerId: parts[1]!, orderNo: parts[2]! };
  return undefined;
}
