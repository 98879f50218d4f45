import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiIdentities } from './identities';

/**
 * Rate limits per authenticated identity (however its token is spelled in the header), and per
 * client address for everything else — no token, or one that proves nothing — with the smaller
 * anonymous limit. Runs before authentication, so floods of junk tokens are throttled too.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  @Inject(ApiIdentities) private readonly identities!: ApiIdentities;

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const identity = this.identities.ofRequest(req);
    return identity ? `identity:${identity.name}` : `address:${String(req['ip'] ?? 'unknown')}`;
  }
}
