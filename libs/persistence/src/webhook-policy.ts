import { BlockList, isIP } from 'node:net';
import { forbiddenAddress, isLocal, METADATA_HOSTNAMES, normaliseHost, ResolveHost, systemResolve } from './environment-policy';

/**
 * Where a webhook may point. Stricter than the environment policy: a webhook is SDO calling out on
 * a customer's behalf, so besides link-local, metadata and reserved addresses (refused always) no
 * internal address is allowed either — loopback, private, carrier-grade NAT, unique-local, this
 * machine's own — unless the operator allow-lists it (`SDO_WEBHOOK_ALLOWED_ADDRESSES`). Checked on
 * every resolved address at subscription and again before every call, which then connects to the
 * checked address (a DNS answer may change in between).
 */
export interface WebhookPolicyOptions {
  /** Plain http is for development and tests; production wants https (`SDO_WEBHOOK_ALLOW_HTTP`). */
  allowHttp: boolean;
  /** IP addresses or CIDR ranges exempt from the internal-address rule (never from the forbidden ones). */
  allowedAddresses: string[];
  resolve?: ResolveHost;
  resolveTimeoutMs?: number;
}

export type WebhookTargetCheck = { kind: 'allowed'; url: URL; address: string } | { kind: 'refused'; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

type Subnet = [address: string, prefix: number];
const INTERNAL_V4: Subnet[] = [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
];
const INTERNAL_V6: Subnet[] = [
  ['::1', 128],
  ['fc00::', 7],
  ['fec0::', 10],
  // Tunnels that carry an IPv4 address inside (6to4, Teredo) could reach any of the above.
  ['2002::', 16],
  ['2001::', 32],
];

const INTERNAL = new BlockList();
for (const [a, n] of INTERNAL_V4) {
  INTERNAL.addSubnet(a, n, 'ipv4');
  INTERNAL.addSubnet(`64:ff9b::${a}`, 96 + n, 'ipv6');
}
for (const [a, n] of INTERNAL_V6) INTERNAL.addSubnet(a, n, 'ipv6');

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Parses `SDO_WEBHOOK_ALLOWED_ADDRESSES` entries (`127.0.0.1`, `10.1.0.0/16`, `::1`); undefined when one is not an address or range. */
export function parseAllowedAddresses(entries: string[]): BlockList | undefined {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const kind = isIP(address);
    if (!kind) return undefined;
    if (prefix === undefined) {
      list.addAddress(address, family(address));
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (kind === 6 ? 128 : 32)) return undefined;
    list.addSubnet(address, bits, family(address));
  }
  return list;
}

export class WebhookPolicy {
  private readonly allowed: BlockList;
  private readonly resolve: ResolveHost;

  constructor(private readonly options: WebhookPolicyOptions) {
    const allowed = parseAllowedAddresses(options.allowedAddresses);
    if (!allowed) throw new Error('webhook allow-list entries must be IP addresses or CIDR ranges');
    this.allowed = allowed;
    this.resolve = options.resolve ?? systemResolve;
  }

  /** Whether the URL may receive webhooks, and the address to connect to. */
  async check(raw: string): Promise<WebhookTargetCheck> {
    const refused = (reason: string): WebhookTargetCheck => ({ kind: 'refused', reason });
    if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refused(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
    // URL parsing would quietly drop tabs and newlines and percent-encode the rest: refuse what a person would not type.
    if ([...raw].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return refused('contains whitespace or control characters');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return refused('is not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused('must be an https:// URL');
    if (url.protocol === 'http:' && !this.options.allowHttp) return refused('must be an https:// URL (plain http is not allowed here)');
    if (url.username || url.password) return refused('must not carry credentials (the signature authenticates SDO)');
    if (url.hash) return refused('must not have a #fragment');
    const name = normaliseHost(url.hostname);
    if (!name) return refused('has no host');
    if (METADATA_HOSTNAMES.has(name)) return refused(`host ${name} is a cloud metadata service`);
    let addresses: string[];
    try {
      addresses = await this.addressesOf(name);
    } catch (err) {
      return refused(`host ${name} does not resolve (${String((err as { code?: unknown }).code ?? 'ENOTFOUND')})`);
    }
    const spelled = (a: string) => (a === name ? `host ${a}` : `host ${name} (${a})`);
    for (const address of addresses) {
      const why = forbiddenAddress(address);
      if (why) return refused(`${spelled(address)} is ${why}`);
      if (this.allowed.check(address, family(address))) continue;
      if (INTERNAL.check(address, family(address)) || isLocal(address)) return refused(`${spelled(address)} is an internal address`);
    }
    return { kind: 'allowed', url, address: addresses[0]! };
  }

  private async addressesOf(name: string): Promise<string[]> {
    if (isIP(name)) return [name];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), this.options.resolveTimeoutMs ?? 5_000);
    });
    try {
      const addresses = await Promise.race([this.resolve(name), timeout]);
      if (!addresses.length || addresses.some((a) => !isIP(a))) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
      return addresses;
    } finally {
      clearTimeout(timer);
    }
  }
}
