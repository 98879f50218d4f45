import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { GateName, WebhookEventType } from '@sdo/contracts';

/** A customer's webhook: where events of the chosen types are POSTed, signed with its secret (sealed at rest). */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index('ix_webhook_customer') @Column({ name: 'customer_id' }) customerId!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ name: 'event_types', type: 'jsonb' }) eventTypes!: WebhookEventType[];
  @Column({ name: 'secret_ciphertext', type: 'text' }) secretCiphertext!: string;
  @Column({ name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** Someone a customer's gates wait for: mailed on reminders and escalations of those gates. */
@Entity('gate_contacts')
@Unique('uq_gate_contact', ['customerId', 'email'])
export class GateContactEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'customer_id' }) customerId!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'jsonb' }) gates!: GateName[];
  @Column({ name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export type NotificationChannel = 'webhook' | 'mail';
export type NotificationStatus = 'pending' | 'delivered' | 'abandoned';

/**
 * The outbox: one row per event and receiver. Written by the delivery's bookkeeping activity (so it
 * is never lost), sent by its own workflow. The body is fixed here so every attempt sends the same bytes.
 */
@Entity('notifications')
@Unique('uq_notification_event_target', ['eventId', 'target'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The bookkeeping call that produced it (stable across its retries). */
  @Index('ix_notification_source') @Column({ type: 'text' }) source!: string;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ name: 'event_type', type: 'text' }) eventType!: WebhookEventType;
  @Column({ type: 'text' }) channel!: NotificationChannel;
  /** Subscription ID (webhook) or mail address (mail). */
  @Column({ type: 'text' }) target!: string;
  @Index('ix_notification_subscription')
  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId!: string | null;
  /** The gate contact a mail is for (null for webhooks). */
  @Index('ix_notification_contact')
  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;
  @Column({ name: 'delivery_id', type: 'uuid', nullable: true }) deliveryId!: string | null;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'text', default: 'pending' }) status!: NotificationStatus;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}

/** One try at sending a notification: what the receiver answered (or why it could not be reached). */
@Entity('notification_attempts')
@Index('ix_notification_attempt', ['notificationId', 'attempt'])
export class NotificationAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'notification_id', type: 'uuid' }) notificationId!: string;
  @Column({ type: 'int' }) attempt!: number;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode!: number | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs!: number;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}
