import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Hosts users register are checked before anything connects to them, so an environment cannot
 * be used to reach cloud metadata services, SDO's own Temporal frontend or SDO's own database.
 * (Private and loopback addresses stay allowed: customer data centres and the embedded default.)
 */
export interface ProtectedEndpoint {
  host: string;
  port: number;
  /** For the app database: only this database on that server is protected. */
  database?: string;
  what: string;
}

const METADATA_HOSTNAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

function ipv4Parts(ip: string): number[] | undefined {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

/** Why an IP address may not be a database host, or undefined when it may. */
export function forbiddenAddress(ip: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = ipv4Parts(mapped ? mapped[1]! : ip);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 0) return 'an unspecified address';
    if (a === 169 && b === 254) return 'a link-local address (cloud metadata services live there)';
    if (v4.join('.') === '100.100.100.200') return 'a cloud metadata address';
    if (a >= 224) return 'a multicast or reserved address';
    return undefined;
  }
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '0:0:0:0:0:0:0:0') return 'an unspecified address';
  if (/^fe[89ab][0-9a-f]:/.test(lower)) return 'a link-local address';
  if (lower.startsWith('fd00:ec2::')) return 'a cloud metadata address';
  if (lower.startsWith('ff')) return 'a multicast address';
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function sameHost(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/^\[|\]$/g, '');
  const y = b.toLowerCase().replace(/^\[|\]$/g, '');
  return x === y || (isLoopback(x) && isLoopback(y));
}

async function resolveAll(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 2_000).unref());
  // A name that does not resolve here may resolve from the worker's network: it is checked again there.
  const resolved = lookup(host, { all: true }).then((r) => r.map((a) => a.address), () => []);
  return Promise.race([resolved, timeout]);
}

/** The reason the host may not be registered, or undefined when it may. */
export async function hostProblem(
  target: { host: string; port: number; database: string },
  protectedEndpoints: ProtectedEndpoint[],
): Promise<string | undefined> {
  const host = target.host.trim().replace(/^\[|\]$/g, '');
  if (METADATA_HOSTNAMES.has(host.toLowerCase())) return `host ${host} is a cloud metadata service`;
  const direct = forbiddenAddress(host);
  if (direct) return `host ${host} is ${direct}`;
  for (const address of await resolveAll(host)) {
    const why = forbiddenAddress(address);
    if (why) return `host ${host} resolves to ${why}`;
  }
  for (const endpoint of protectedEndpoints) {
    if (!sameHost(host, endpoint.host) || target.port !== endpoint.port) continue;
    if (endpoint.database === undefined || endpoint.database === target.database) return `host ${host}:${target.port} is ${endpoint.what}`;
  }
  return undefined;
}
