import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditTrail, generateWebhookSecret, NotificationStore, WebhookPolicy, WebhookSubscriptionView } from '@sdo/persistence';
import { Actor, assertMayActFor, canSeeCustomer, customerFilterFor } from '../auth/actor';
import type { Page } from '../infrastructure/paging';
import type {
  AttemptsQuery,
  CreatedWebhookDto,
  CreateGateContactDto,
  CreateWebhookDto,
  GateContactDto,
  MailAttemptDto,
  WebhookAttemptDto,
} from './dtos/notification.dto';

@Injectable()
export class NotificationsService {
  constructor(
    private readonly store: NotificationStore,
    private readonly policy: WebhookPolicy,
    private readonly audit: AuditTrail,
  ) {}

  /** The secret is in this answer only: stored sealed, never listed, logged or audited. */
  async subscribe(actor: Actor, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    assertMayActFor(actor, dto.customerId);
    const check = await this.policy.check(dto.url);
    if (check.kind === 'refused') throw new BadRequestException({ message: `url ${check.reason}.`, details: [{ field: 'url', reason: check.reason }] });
    const secret = dto.secret ?? generateWebhookSecret();
    const view = await this.store.subscribe({ customerId: dto.customerId, url: check.url.href, eventTypes: dto.eventTypes, secret, createdBy: actor.name });
    await this.audit.append({
      actor: actor.name,
      action: 'webhook.subscribed',
      detail: { webhookId: view.id, customerId: view.customerId, url: view.url, eventTypes: view.eventTypes },
    });
    return { ...view, secret };
  }

  async list(actor: Actor, customerId?: string): Promise<{ items: WebhookSubscriptionView[] }> {
    const filter = customerFilterFor(actor, customerId);
    return { items: filter === null ? [] : await this.store.listSubscriptions(filter) };
  }

  async get(actor: Actor, id: string): Promise<WebhookSubscriptionView> {
    const found = await this.store.subscription(id);
    if (!found || !canSeeCustomer(actor, found.customerId)) throw new NotFoundException({ message: `Webhook ${id} does not exist.` });
    return found;
  }

  async unsubscribe(actor: Actor, id: string): Promise<void> {
    const found = await this.get(actor, id);
    await this.store.unsubscribe(id);
    await this.audit.append({ actor: actor.name, action: 'webhook.unsubscribed', detail: { webhookId: id, customerId: found.customerId, url: found.url } });
  }

  async attempts(actor: Actor, id: string, query: AttemptsQuery): Promise<Page<WebhookAttemptDto>> {
    await this.get(actor, id);
    const { items, total } = await this.store.attemptsOf(id, query.limit, query.offset);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async addContact(actor: Actor, dto: CreateGateContactDto): Promise<GateContactDto> {
    assertMayActFor(actor, dto.customerId);
    const contact = await this.store.addContact({ customerId: dto.customerId, email: dto.email.toLowerCase(), gates: dto.gates, createdBy: actor.name });
    await this.audit.append({
      actor: actor.name,
      action: 'gate-contact.added',
      detail: { contactId: contact.id, customerId: contact.customerId, gates: contact.gates },
    });
    return contact;
  }

  async contacts(actor: Actor, customerId?: string): Promise<{ items: GateContactDto[] }> {
    const filter = customerFilterFor(actor, customerId);
    return { items: filter === null ? [] : await this.store.listContacts(filter) };
  }

  /** Another customer's contact does not exist for a confined identity, as for its webhooks. */
  private async visibleContact(actor: Actor, id: string): Promise<GateContactDto> {
    const found = await this.store.contact(id);
    if (!found || !canSeeCustomer(actor, found.customerId)) throw new NotFoundException({ message: `Gate contact ${id} does not exist.` });
    return found;
  }

  async mailAttempts(actor: Actor, id: string, query: AttemptsQuery): Promise<Page<MailAttemptDto>> {
    await this.visibleContact(actor, id);
    const { items, total } = await this.store.mailAttemptsOf(id, query.limit, query.offset);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async removeContact(actor: Actor, id: string): Promise<void> {
    const found = await this.visibleContact(actor, id);
    await this.store.removeContact(id);
    await this.audit.append({ actor: actor.name, action: 'gate-contact.removed', detail: { contactId: id, customerId: found.customerId } });
  }
}
