/**
 * Starting a conversion and waiting on it through the API, as a manager would: shared by the
 * cluster runs (failover.ts) and the orchestration benchmark.
 */

import { randomUUID } from 'node:crypto';

/** One API call with the caller's token; JSON in, JSON out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of several shapes
export type ApiCall = (method: string, path: string, body?: unknown) => Promise<any>;

/** An ApiCall against `baseUrl` with a bearer `token` (each call its own idempotency key); a status of 300 or more throws. */
export function apiCaller(baseUrl: string, token: string): ApiCall {
  return async (method, path, body) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : undefined;
  };
}

export interface ConversionOrder {
  customerId: string;
  /** Environment names are per customer: unique per order. */
  name: string;
  sqliteFile: string;
  /** A PostgreSQL database URL (its credentials become the target environment's). */
  targetUrl: URL;
  contractRef: string;
  cutoverDurationMinutes: number;
}

/** Registers the SQLite source and PostgreSQL target and starts a database conversion into schema `erp`. */
export async function startConversion(call: ApiCall, order: ConversionOrder): Promise<{ id: string; workflowId: string }> {
  const src = await call('POST', '/v1/environments', { customerId: order.customerId, name: `src-${order.name}`, engine: 'sqlite', database: order.sqliteFile });
  const tgt = await call('POST', '/v1/environments', {
    customerId: order.customerId,
    name: `tgt-${order.name}`,
    engine: 'postgres',
    host: order.targetUrl.hostname,
    port: Number(order.targetUrl.port),
    database: order.targetUrl.pathname.replace(/^\//, ''),
    username: decodeURIComponent(order.targetUrl.username),
    password: decodeURIComponent(order.targetUrl.password),
  });
  return call('POST', '/v1/deliveries', {
    serviceType: 'database-conversion',
    customerId: order.customerId,
    orderNo: `SO-${crypto.randomUUID().slice(0, 8)}`,
    environments: { source: src.id, target: tgt.id },
    parameters: { targetSchema: 'erp' },
    contractRef: order.contractRef,
    cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: order.cutoverDurationMinutes },
  });
}

export interface DeliveryView {
  phase: string;
  live?: { awaiting?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** Polls the delivery until `done`; a failed or cancelled delivery throws. `each` runs between polls. */
export async function untilDelivery(
  call: ApiCall,
  id: string,
  done: (d: DeliveryView) => boolean,
  options: { everyMs?: number; each?: () => Promise<void> } = {},
): Promise<DeliveryView> {
  for (;;) {
    const d = (await call('GET', `/v1/deliveries/${id}`)) as DeliveryView;
    if (done(d)) return d;
    if (['failed', 'cancelled'].includes(d.phase)) throw new Error(`delivery ${id} ${d.phase}: ${JSON.stringify(d.live ?? d).slice(0, 300)}`);
    await options.each?.();
    await new Promise((r) => setTimeout(r, options.everyMs ?? 1000));
  }
}

/** Plan approval, then the cutover window opened now: the delivery runs to its acceptance gate. */
export async function approveAndOpenCutover(call: ApiCall, id: string, everyMs?: number): Promise<void> {
  await untilDelivery(call, id, (d) => d.live?.awaiting === 'planApproval', { everyMs });
  await call('POST', `/v1/deliveries/${id}/plan-approval`, { revision: 1, comment: 'go' });
  await untilDelivery(call, id, (d) => d.live?.awaiting === 'cutoverWindow', { everyMs });
  await call('PUT', `/v1/deliveries/${id}/cutover-window`, { startsAt: new Date().toISOString() });
}
