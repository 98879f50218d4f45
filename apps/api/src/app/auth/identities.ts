import { SdoConfig, sha256Hex } from '@sdo/config';
import type { Actor } from './actor';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** The configured API identities, looked up by the digest of a presented bearer token. */
export class ApiIdentities {
  private readonly byDigest: Map<string, Actor>;

  constructor(config: SdoConfig) {
    this.byDigest = new Map(
      config.apiTokens.map((t) => [t.tokenSha256, { name: t.name, role: t.role, ...(t.customerId ? { customerId: t.customerId } : {}) }]),
    );
  }

  /** The identity an `Authorization` header proves, however the scheme is cased or spaced. */
  identify(authorization: unknown): Actor | undefined {
    const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
    return match ? this.byDigest.get(sha256Hex(match[1]!)) : undefined;
  }

  /** The request's identity, looked up once and remembered on the request (the throttler and the auth guard both ask). */
  ofRequest(req: { headers?: Record<string, unknown>; sdoIdentity?: Actor | null }): Actor | undefined {
    if (req.sdoIdentity === undefined) req.sdoIdentity = this.identify(req.headers?.['authorization']) ?? null;
    return req.sdoIdentity ?? undefined;
  }
}
