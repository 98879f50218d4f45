import { lookup } from 'node:dns/promises';
import { realpath, stat } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve as resolvePath, sep } from 'node:path';

/**
 * What an environment may point at. Checked by the API when one is registered and by the worker
 * every time it connects (a DNS answer can change in between), always on the resolved addresses,
 * so no spelling of a name (`0x7f000001`, `::ffff:7f00:1`, `localhost.` …) gets around it:
 * - no cloud metadata, link-local, unspecified, multicast or reserved address;
 * - not SDO's own Temporal frontend, nor SDO's own app database (by address and port);
 * - SQLite files only inside SDO_SQLITE_DIR, symlinks followed.
 * Private and loopback addresses stay allowed: customer data centres and the embedded default.
 */
export interface ProtectedEndpoint {
  host: string;
  port: number;
  /** For the app database: only this database on that server is protected. */
  database?: string;
  what: string;
}

/** Every address a name resolves to, as the OS resolver answers (numeric forms such as `0x7f000001` included). */
export type ResolveHost = (name: string) => Promise<string[]>;

export type HostCheck =
  /** Connect to `addresses[0]`; `name` is the normalised name (for TLS). */
  | { kind: 'allowed'; name: string; addresses: string[] }
  | { kind: 'refused'; reason: string }
  /** The name did not resolve here; it may from elsewhere (the worker checks again before it connects). */
  | { kind: 'unresolved'; reason: string; code: string };

export type SqliteCheck =
  | { kind: 'allowed'; path: string }
  /** Inside the directory, but no such file: saying so reveals nothing outside it. */
  | { kind: 'missing'; reason: string }
  | { kind: 'refused'; reason: string };

export interface EnvironmentPolicyOptions {
  protectedEndpoints: ProtectedEndpoint[];
  sqliteDir: string;
  resolve?: ResolveHost;
  resolveTimeoutMs?: number;
}

export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

type Subnet = [address: string, prefix: number];
interface Rule {
  why: string;
  v4: Subnet[];
  v6: Subnet[];
}

/** Address ranges no environment may use, with the reason. IPv4 rules also catch their IPv4-mapped IPv6 forms (BlockList does). */
const FORBIDDEN: Rule[] = [
  { why: 'an unspecified address', v4: [['0.0.0.0', 8]], v6: [['::', 128]] },
  { why: 'a link-local address (cloud metadata services live there)', v4: [['169.254.0.0', 16]], v6: [['fe80::', 10]] },
  { why: 'a cloud metadata address', v4: [['100.100.100.200', 32]], v6: [['fd00:ec2::', 32]] },
  { why: 'a multicast address', v4: [['224.0.0.0', 4]], v6: [['ff00::', 8]] },
  { why: 'a reserved or broadcast address', v4: [['240.0.0.0', 4]], v6: [] },
];

const FORBIDDEN_LISTS = FORBIDDEN.map(({ why, v4, v6 }) => {
  const list = new BlockList();
  for (const [a, n] of v4) {
    list.addSubnet(a, n, 'ipv4');
    list.addSubnet(`64:ff9b::${a}`, 96 + n, 'ipv6'); // the same address through NAT64
  }
  for (const [a, n] of v6) list.addSubnet(a, n, 'ipv6');
  return { why, list };
});

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** Why an IP address may not be a database host, or undefined when it may. */
export function forbiddenAddress(ip: string): string | undefined {
  if (!isIP(ip)) return undefined;
  return FORBIDDEN_LISTS.find(({ list }) => list.check(ip, family(ip)))?.why;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Addresses of this machine: loopback and every interface. A server on one of them may be reached through any other. */
function addLocalAddresses(list: BlockList): void {
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) list.addAddress(a.address.replace(/%.*$/, ''), a.family === 'IPv6' ? 'ipv6' : 'ipv4');
  }
}

export function isLocal(ip: string): boolean {
  if (LOOPBACK.check(ip, family(ip))) return true;
  const local = new BlockList();
  addLocalAddresses(local);
  return local.check(ip, family(ip));
}

/** Trimmed, without IPv6 brackets and one trailing dot, lower case: the name the resolver is asked about. */
export function normaliseHost(host: string): string {
  return host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** The OS resolver (getaddrinfo): the same answer a driver connecting to the name would get. */
export const systemResolve: ResolveHost = async (name) => (await lookup(name, { all: true, verbatim: true })).map((a) => a.address);

/** SDO's own servers, from its configuration: the Temporal frontend and the app database. */
export function protectedEndpointsOf(config: { databaseUrl: string; temporal: { address: string } }): ProtectedEndpoint[] {
  const endpoints: ProtectedEndpoint[] = [];
  const temporal = /^\[?([^\]]+?)\]?:(\d+)$/.exec(config.temporal.address);
  if (temporal) endpoints.push({ host: temporal[1]!, port: Number(temporal[2]), what: "SDO's Temporal frontend" });
  try {
    const url = new URL(config.databaseUrl);
    endpoints.push({
      host: url.hostname || '127.0.0.1',
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.slice(1)),
      what: "SDO's own app database",
    });
  } catch {
    // loadConfig validated it; nothing to protect if it cannot be parsed
  }
  return endpoints;
}

export const SQLITE_OUTSIDE_REASON = 'must name a SQLite file inside SDO\'s SQLite directory (SDO_SQLITE_DIR), e.g. "erp.sqlite"';

export class EnvironmentPolicy {
  private readonly resolve: ResolveHost;
  private readonly timeoutMs: number;

  constructor(private readonly options: EnvironmentPolicyOptions) {
    this.resolve = options.resolve ?? systemResolve;
    this.timeoutMs = options.resolveTimeoutMs ?? 5_000;
  }

  static fromConfig(config: { databaseUrl: string; temporal: { address: string }; sqliteDir: string }, resolve?: ResolveHost): EnvironmentPolicy {
    return new EnvironmentPolicy({ protectedEndpoints: protectedEndpointsOf(config), sqliteDir: config.sqliteDir, resolve });
  }

  get sqliteDir(): string {
    return this.options.sqliteDir;
  }

  private async addressesOf(name: string): Promise<string[]> {
    if (isIP(name)) return [name];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`resolving ${name} timed out`), { code: 'ETIMEOUT' })), this.timeoutMs);
    });
    try {
      const addresses = await Promise.race([this.resolve(name), timeout]);
      if (!addresses.length || addresses.some((a) => !isIP(a))) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
      return addresses;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Checks where a database server would be reached; every address the name resolves to must pass. */
  async checkHost(target: { host: string; port: number; database: string }): Promise<HostCheck> {
    const name = normaliseHost(target.host);
    if (!name) return { kind: 'refused', reason: 'host is empty' };
    if (METADATA_HOSTNAMES.has(name)) return { kind: 'refused', reason: `host ${name} is a cloud metadata service` };
    let addresses: string[];
    try {
      addresses = await this.addressesOf(name);
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? 'ENOTFOUND');
      return { kind: 'unresolved', code, reason: `host ${name} does not resolve (${code})` };
    }
    const spelled = (a: string, port?: number) => {
      const at = port === undefined ? a : `${isIP(a) === 6 ? `[${a}]` : a}:${port}`;
      return a === name ? `host ${at}` : `host ${name} (${at})`;
    };
    for (const address of addresses) {
      const why = forbiddenAddress(address);
      if (why) return { kind: 'refused', reason: `${spelled(address)} is ${why}` };
    }
    for (const endpoint of this.options.protectedEndpoints) {
      if (endpoint.port !== target.port || (endpoint.database !== undefined && endpoint.database !== target.database)) continue;
      const same = await this.addressesOfEndpoint(endpoint);
      const hit = addresses.find((a) => same.check(a, family(a)));
      if (hit)
        return {
          kind: 'refused',
          reason: `${spelled(hit, target.port)}${endpoint.database !== undefined ? ` database ${target.database}` : ''} is ${endpoint.what}`,
        };
    }
    return { kind: 'allowed', name, addresses };
  }

  /** Every address that reaches the endpoint's server: its own, and all of this machine's when it is local. */
  private async addressesOfEndpoint(endpoint: ProtectedEndpoint): Promise<BlockList> {
    const list = new BlockList();
    const addresses = await this.addressesOf(normaliseHost(endpoint.host)).catch(() => [] as string[]);
    for (const a of addresses) list.addAddress(a, family(a));
    if (addresses.some(isLocal) || addresses.some((a) => forbiddenAddress(a) === FORBIDDEN[0]!.why)) addLocalAddresses(list);
    return list;
  }

  /**
   * Resolves a SQLite path (relative to the SQLite directory, or absolute) with symlinks followed.
   * Whatever is outside the directory gets the same answer, existing or not.
   */
  async checkSqliteFile(path: string): Promise<SqliteCheck> {
    const outside: SqliteCheck = { kind: 'refused', reason: SQLITE_OUTSIDE_REASON };
    if (!path.trim() || path.includes('\0')) return outside;
    const configured = resolvePath(this.options.sqliteDir);
    let root: string;
    try {
      root = await realpath(configured);
    } catch {
      return { kind: 'refused', reason: 'SQLite sources are read from SDO_SQLITE_DIR, which does not exist on this server: create it and put the file there' };
    }
    const inside = (dir: string, p: string) => {
      const rel = relative(dir, p);
      return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
    };
    const candidate = isAbsolute(path) ? resolvePath(path) : resolvePath(root, path);
    // Decided on the path as written before touching the file system: no answer about files elsewhere.
    if (!inside(configured, candidate) && !inside(root, candidate)) return outside;
    let real: string;
    try {
      real = await realpath(candidate);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT' && (err as { code?: string }).code !== 'ENOTDIR') return outside;
      // Missing: only say so when the deepest existing folder on the way is itself inside (a symlink may lead out).
      let existing = dirname(candidate);
      let rest = candidate.slice(existing.length);
      for (;;) {
        try {
          real = join(await realpath(existing), rest);
          break;
        } catch {
          if (dirname(existing) === existing) return outside;
          rest = candidate.slice(dirname(existing).length);
          existing = dirname(existing);
        }
      }
      return inside(root, real) ? { kind: 'missing', reason: 'no such file in the SQLite directory (SDO_SQLITE_DIR)' } : outside;
    }
    if (!inside(root, real)) return outside;
    const info = await stat(real).catch(() => undefined);
    if (!info?.isFile()) return { kind: 'missing', reason: 'no such file in the SQLite directory (SDO_SQLITE_DIR)' };
    return { kind: 'allowed', path: real };
  }
}
