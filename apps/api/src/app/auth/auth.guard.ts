import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiRole } from '@sdo/config';
import type { HttpRequest, HttpResponse } from '../infrastructure/http';
import { hasRole } from './actor';
import { ApiIdentities } from './identities';
import { AuthenticatedRequest, IS_PUBLIC, REQUIRED_ROLE } from './roles.decorator';

/** Looks the bearer token up among the configured identities (by digest) and enforces the route's role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ApiIdentities) private readonly identities: ApiIdentities,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequest & AuthenticatedRequest>();
    const actor = this.identities.ofRequest(request);
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
}
