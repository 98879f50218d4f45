import { ForbiddenException } from '@nestjs/common';
import type { ApiRole } from '@sdo/config';

/** The authenticated caller of a request; its name is what the audit trail and the gates record. */
export interface Actor {
  name: string;
  role: ApiRole;
  /** Set when the identity is confined to one customer's data. */
  customerId?: string;
}

const RANK: Record<ApiRole, number> = { viewer: 0, manager: 1, engineer: 2, admin: 3 };

export function hasRole(actor: Actor, required: ApiRole): boolean {
  return RANK[actor.role] >= RANK[required];
}

/** Whether the caller may see data of this customer. Invisible data answers 404, as if it did not exist. */
export function canSeeCustomer(actor: Actor, customerId: string): boolean {
  return actor.customerId === undefined || actor.customerId === customerId;
}

/** For writes that name a customer: an identity confined to another customer is refused. */
export function assertMayActFor(actor: Actor, customerId: string): void {
  if (!canSeeCustomer(actor, customerId)) {
    throw new ForbiddenException({ message: `${actor.name} may only act for customer ${actor.customerId}` });
  }
}

/** The customer filter a list must apply for this caller (a confined identity only ever sees its own). */
export function customerFilterFor(actor: Actor, requested?: string): string | undefined | null {
  if (actor.customerId === undefined) return requested;
  if (requested !== undefined && requested !== actor.customerId) return null; // nothing visible
  return actor.customerId;
}
