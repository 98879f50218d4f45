import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ConcurrentHeavyWork, CutoverWindow, DeliveryPhase, FailureNote, GateName, ServiceType } from '@sdo/contracts';

/**
 * The app database's read model of a delivery: lists and filters come from here, not from
 * Temporal visibility. The workflow keeps it current through `recordDeliveryState`.
 */
@Entity('deliveries')
@Index('uq_delivery_idempotency_key', ['customerId', 'idempotencyKey'], { unique: true })
@Index('uq_delivery_order', ['customerId', 'serviceType', 'orderNo'], { unique: true })
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index('uq_delivery_workflow_id', { unique: true }) @Column({ name: 'workflow_id' }) workflowId!: string;
  /** Unique per customer, as are order numbers: customers never learn of each other's. */
  @Column({ name: 'idempotency_key' }) idempotencyKey!: string;
  /** sha256 of the normalised start request: the same key with a different request is refused. */
  @Column({ name: 'request_fingerprint' }) requestFingerprint!: string;
  @Index('ix_delivery_service_type') @Column({ name: 'service_type', type: 'text' }) serviceType!: ServiceType;
  @Index('ix_delivery_customer') @Column({ name: 'customer_id' }) customerId!: string;
  @Column({ name: 'order_no' }) orderNo!: string;
  @Column({ type: 'jsonb' }) environments!: Record<string, string>;
  @Column({ type: 'jsonb' }) parameters!: Record<string, unknown>;
  /** Absent for catalog flows (no cutover). */
  @Column({ name: 'cutover_window', type: 'jsonb', nullable: true }) cutoverWindow!: CutoverWindow | null;
  @Column({ name: 'contract_ref', type: 'text', nullable: true }) contractRef!: string | null;
  /** IANA zone the customer reads times in (the console shows and picks the window in it); null when not given. */
  @Column({ name: 'customer_time_zone', type: 'text', nullable: true }) customerTimeZone!: string | null;
  /** Whether other deliveries may run heavy work on its environments meanwhile; null: exclusive. */
  @Column({ name: 'concurrent_heavy_work', type: 'jsonb', nullable: true }) concurrentHeavyWork!: ConcurrentHeavyWork | null;
  @Index('ix_delivery_phase') @Column({ type: 'text' }) phase!: DeliveryPhase;
  @Column({ type: 'text', default: '' }) step!: string;
  @Column({ type: 'int', default: 0 }) progress!: number;
  @Column({ type: 'text', nullable: true }) awaiting!: GateName | null;
  @Column({ name: 'last_failure', type: 'jsonb', nullable: true }) lastFailure!: FailureNote | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason!: string | null;
  @Column({ name: 'created_by' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  /** When its workflow was started; null while only claimed (see DeliveryStore.unstarted). */
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt!: Date | null;
}
