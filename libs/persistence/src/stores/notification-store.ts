import { DataSource, In, Repository } from 'typeorm';
import type { GateName, WebhookEventType } from '@sdo/contracts';
import {
  GateContactEntity,
  NotificationAttemptEntity,
  NotificationEntity,
  NotificationStatus,
  WebhookSubscriptionEntity,
} from '../entities/notification.entity';
import { SecretBox } from '../secret-box';

/** A subscription as the API shows it: never the secret. */
export type WebhookSubscriptionView = Omit<WebhookSubscriptionEntity, 'secretCiphertext'>;

export function toSubscriptionView(entity: WebhookSubscriptionEntity): WebhookSubscriptionView {
  const view: Partial<WebhookSubscriptionEntity> = { ...entity };
  delete view.secretCiphertext;
  return view as WebhookSubscriptionView;
}

/** An event for the outbox: one row per receiver (webhook subscription or mail address). */
export interface OutboxEvent {
  source: string;
  eventId: string;
  eventType: WebhookEventType;
  customerId: string;
  deliveryId: string;
  /** The JSON body sent to webhooks (and summarised in mails). */
  body: string;
  /** Gate whose contacts are mailed (reminders and escalations only). */
  mailGate?: GateName;
}

/** What one attempt at sending needs: the row, and for a webhook its URL and opened secret. */
export interface OutboundNotification {
  notification: NotificationEntity;
  webhook?: { url: string; secret: string };
}

export interface AttemptView {
  notificationId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

/** One try at mailing a gate contact, as the API shows it: the address masked, the outcome. */
export interface MailAttemptView {
  notificationId: string;
  eventId: string;
  eventType: string;
  deliveryId: string | null;
  gate: string | null;
  contactId: string;
  recipient: string;
  attempt: number;
  status: 'sent' | 'failed';
  error: string | null;
  durationMs: number;
  at: Date;
}

/** `signatory@customer.example` → `s•••y@customer.example`: enough to tell contacts apart, not to copy the address. */
export function maskMailAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const domain = at > 0 ? address.slice(at) : '';
  const shown = local.length > 2 ? `${local[0]}•••${local[local.length - 1]}` : `${local[0] ?? ''}•••`;
  return shown + domain;
}

/** Webhook subscriptions, gate contacts and the notification outbox. */
export class NotificationStore {
  private readonly subscriptions: Repository<WebhookSubscriptionEntity>;
  private readonly contacts: Repository<GateContactEntity>;
  private readonly notifications: Repository<NotificationEntity>;
  private readonly attempts: Repository<NotificationAttemptEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {
    this.subscriptions = dataSource.getRepository(WebhookSubscriptionEntity);
    this.contacts = dataSource.getRepository(GateContactEntity);
    this.notifications = dataSource.getRepository(NotificationEntity);
    this.attempts = dataSource.getRepository(NotificationAttemptEntity);
  }

  // ---- subscriptions -----------------------------------------------------------------------------

  async subscribe(s: { customerId: string; url: string; eventTypes: WebhookEventType[]; secret: string; createdBy: string }): Promise<WebhookSubscriptionView> {
    const saved = await this.subscriptions.save(
      this.subscriptions.create({
        customerId: s.customerId,
        url: s.url,
        eventTypes: s.eventTypes,
        secretCiphertext: this.secrets.seal(s.secret),
        createdBy: s.createdBy,
      }),
    );
    return toSubscriptionView(saved);
  }

  async subscription(id: string): Promise<WebhookSubscriptionView | undefined> {
    const found = await this.subscriptions.findOneBy({ id });
    return found ? toSubscriptionView(found) : undefined;
  }

  async listSubscriptions(customerId: string | undefined): Promise<WebhookSubscriptionView[]> {
    const found = await this.subscriptions.find({ where: customerId ? { customerId } : {}, order: { createdAt: 'DESC' } });
    return found.map(toSubscriptionView);
  }

  /** Deletes the subscription and its outbox rows; pending sends find nothing and stop. */
  async unsubscribe(id: string): Promise<void> {
    await this.subscriptions.delete({ id });
  }

  async attemptsOf(subscriptionId: string, limit: number, offset: number): Promise<{ items: AttemptView[]; total: number }> {
    const query = this.attempts
      .createQueryBuilder('a')
      .innerJoin(NotificationEntity, 'n', 'n.id = a.notification_id')
      .where('n.subscription_id = :subscriptionId', { subscriptionId });
    const total = await query.getCount();
    const rows = await query
      .select([
        'a.notification_id AS "notificationId"',
        'n.event_id AS "eventId"',
        'n.event_type AS "eventType"',
        'a.attempt AS attempt',
        'a.status_code AS "statusCode"',
        'a.error AS error',
        'a.duration_ms AS "durationMs"',
        'a.at AS at',
      ])
      .orderBy('a.id', 'DESC')
      .limit(limit)
      .offset(offset)
      .getRawMany<AttemptView>();
    return { items: rows, total };
  }

  /** Mail attempts for one gate contact, newest first; the address is masked, also where an SMTP error quotes it. */
  async mailAttemptsOf(contactId: string, limit: number, offset: number): Promise<{ items: MailAttemptView[]; total: number }> {
    const query = this.attempts
      .createQueryBuilder('a')
      .innerJoin(NotificationEntity, 'n', 'n.id = a.notification_id')
      .where('n.contact_id = :contactId', { contactId });
    const total = await query.getCount();
    const rows = await query
      .select([
        'a.notification_id AS "notificationId"',
        'n.event_id AS "eventId"',
        'n.event_type AS "eventType"',
        'n.delivery_id AS "deliveryId"',
        `n.body::jsonb -> 'gate' ->> 'name' AS gate`,
        'n.contact_id AS "contactId"',
        'n.target AS target',
        'a.attempt AS attempt',
        'a.error AS error',
        'a.duration_ms AS "durationMs"',
        'a.at AS at',
        // Mails have no status code: an attempt without an error was taken by the SMTP server.
        `CASE WHEN a.error IS NULL THEN 'sent' ELSE 'failed' END AS status`,
      ])
      .orderBy('a.id', 'DESC')
      .limit(limit)
      .offset(offset)
      .getRawMany<Omit<MailAttemptView, 'recipient'> & { target: string }>();
    const items = rows.map(({ target, ...row }) => ({
      ...row,
      recipient: maskMailAddress(target),
      error: row.error === null ? null : row.error.split(target).join(maskMailAddress(target)),
    }));
    return { items, total };
  }

  // ---- gate contacts -----------------------------------------------------------------------------

  async addContact(c: { customerId: string; email: string; gates: GateName[]; createdBy: string }): Promise<GateContactEntity> {
    return this.contacts.save(this.contacts.create(c));
  }

  async contact(id: string): Promise<GateContactEntity | undefined> {
    return (await this.contacts.findOneBy({ id })) ?? undefined;
  }

  async listContacts(customerId: string | undefined): Promise<GateContactEntity[]> {
    return this.contacts.find({ where: customerId ? { customerId } : {}, order: { createdAt: 'DESC' } });
  }

  async removeContact(id: string): Promise<void> {
    await this.contacts.delete({ id });
  }

  // ---- outbox ------------------------------------------------------------------------------------

  /** Writes one row per interested receiver; a repeated event (a retried bookkeeping call) adds nothing. */
  async enqueue(events: OutboxEvent[], mailEnabled: boolean): Promise<void> {
    if (!events.length) return;
    const customerId = events[0]!.customerId;
    const subscriptions = await this.subscriptions.findBy({ customerId });
    const contacts = mailEnabled && events.some((e) => e.mailGate) ? await this.contacts.findBy({ customerId }) : [];
    const rows: Partial<NotificationEntity>[] = [];
    for (const event of events) {
      const common = { source: event.source, eventId: event.eventId, eventType: event.eventType, deliveryId: event.deliveryId, body: event.body };
      for (const s of subscriptions)
        if (s.eventTypes.includes(event.eventType)) rows.push({ ...common, channel: 'webhook', target: s.id, subscriptionId: s.id });
      for (const c of contacts)
        if (event.mailGate && c.gates.includes(event.mailGate))
          rows.push({ ...common, channel: 'mail', target: c.email, subscriptionId: null, contactId: c.id });
    }
    if (rows.length) await this.notifications.createQueryBuilder().insert().values(rows).orIgnore().execute();
  }

  /** Rows a bookkeeping call produced that are still to be sent (started again on its retries: starting is idempotent). */
  async pendingFrom(source: string): Promise<string[]> {
    const rows = await this.notifications.find({ select: { id: true }, where: { source, status: 'pending' } });
    return rows.map((r) => r.id);
  }

  async outbound(id: string): Promise<OutboundNotification | undefined> {
    const notification = await this.notifications.findOneBy({ id });
    if (!notification) return undefined;
    if (notification.channel === 'mail') return { notification };
    const subscription = notification.subscriptionId ? await this.subscriptions.findOneBy({ id: notification.subscriptionId }) : null;
    if (!subscription) return undefined;
    return { notification, webhook: { url: subscription.url, secret: this.secrets.open(subscription.secretCiphertext) } };
  }

  /** Counts the attempt and records its outcome; returns the attempt's number. */
  async recordAttempt(id: string, outcome: { statusCode?: number; error?: string; durationMs: number; delivered: boolean }): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const [row] = (await tx.query(
        `UPDATE notifications SET attempts = attempts + 1,
           status = CASE WHEN $2::boolean THEN 'delivered' ELSE status END,
           finished_at = CASE WHEN $2::boolean THEN now() ELSE finished_at END
         WHERE id = $1 RETURNING attempts`,
        [id, outcome.delivered],
      )) as [{ attempts: number }[], number];
      const attempt = row?.[0]?.attempts ?? 0;
      await tx.getRepository(NotificationAttemptEntity).insert({
        notificationId: id,
        attempt,
        statusCode: outcome.statusCode ?? null,
        error: outcome.error?.slice(0, 500) ?? null,
        durationMs: Math.round(outcome.durationMs),
      });
      return attempt;
    });
  }

  async finish(id: string, status: Exclude<NotificationStatus, 'pending'>): Promise<void> {
    await this.notifications.update({ id, status: 'pending' }, { status, finishedAt: new Date() });
  }

  /** Tests and the API: rows of some events. */
  async byEvents(eventIds: string[]): Promise<NotificationEntity[]> {
    return this.notifications.findBy({ eventId: In(eventIds) });
  }
}
