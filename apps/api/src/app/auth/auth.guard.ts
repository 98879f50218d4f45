import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiRole, SdoConfig, sha256Hex } from '@sdo/config';
import type { HttpRequest, HttpResponse } from '../infrastructure/http';
import { SDO_CONFIG } from '../infrastructure/tokens';
import { Actor, hasRole } from './actor';
import { AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLE } from './roles.decorator';

/** Looks the bearer token up among the configured identities (by digest) and enforces the route's role. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly identities: Map<string, Actor>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SDO_CONFIG) config: SdoConfig,
  ) {
    this.identities = new Map(
      config.apiTokens.map((t) => [t.tokenSha256, { name: t.name, role: t.role, ...(t.customerId ? { customerId: t.customerId } : {}) }]),
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequest & AuthenticatedRequest>();
    const authorization = request.headers['authorization'];
    const actor = this.identify(typeof authorization === 'string' ? authorization : undefined);
    if (!actor) {
      context.switchToHttp().getResponse<HttpResponse>().setHeader('WWW-Authenticate', 'Bearer realm="sdo"');
      throw new UnauthorizedException({ message: 'A valid API token is required: send "Authorization: Bearer <token>".' });
    }
    request.actor = actor;
    const required = this.reflector.getAllAndOverride<ApiRole>(REQUIRED_ROLE, targets) ?? 'viewer';
    if (!hasRole(actor, required)) {
      throw new ForbiddenException({ message: `${actor.name} has the ${actor.role} role; this action needs the ${required} role.` });
    }
    return true;
  }

  private identify(header: string | undefined): Actor | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match ? this.identities.get(sha256Hex(match[1]!)) : undefined;
  }
}
