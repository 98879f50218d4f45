import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@sdo/config';
import type { Actor } from './actor';

export const REQUIRED_ROLE = 'sdo:requiredRole';
export const IS_PUBLIC = 'sdo:public';

/** The least role a route needs; routes without it need `viewer` (any identity). */
export const RequiresRole = (role: ApiRole) => SetMetadata(REQUIRED_ROLE, role);

/** A route anyone may call (health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The authenticated caller, set by the AuthGuard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without authentication');
  return actor;
});
