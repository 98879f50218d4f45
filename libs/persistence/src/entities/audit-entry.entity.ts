import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which delivery or environment, and when. Append-only. */
@Entity('audit_entries')
@Index('ix_audit_delivery', ['deliveryId', 'at'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'delivery_id', type: 'uuid', nullable: true }) deliveryId!: string | null;
  @Column() actor!: string;
  @Column() action!: string;
  @Column({ type: 'jsonb', default: {} }) detail!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
  /** The gate decision this entry records (unique: a decision is audited once). */
  @Column({ name: 'decision_id', type: 'uuid', nullable: true }) decisionId!: string | null;
}
