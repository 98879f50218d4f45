import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { sha256Hex } from '@sdo/config';

/**
 * Rate limits per presented token (so colleagues behind one NAT do not share a budget), and per
 * client address for anonymous calls. Runs before authentication, so floods never reach it.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const authorization: unknown = req['headers']?.['authorization'];
    if (typeof authorization === 'string' && authorization.length > 0) return `token:${sha256Hex(authorization).slice(0, 32)}`;
    return `ip:${String(req['ip'] ?? 'unknown')}`;
  }
}
