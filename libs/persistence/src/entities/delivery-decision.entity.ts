import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type DecisionStatus = 'pending' | 'accepted' | 'refused' | 'lost';

/**
 * A gate decision sent to a delivery's workflow as an Update whose ID is this row's ID. Recorded
 * before the Update is sent, so a decision the workflow takes later (no worker running, or the
 * API died after sending it) is still resolved and audited exactly once.
 */
@Entity('delivery_decisions')
export class DeliveryDecisionEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId!: string;
  /** The audit action it records once accepted, e.g. `plan.approved`. */
  @Column() action!: string;
  @Column() actor!: string;
  /** What was asked (the Update's argument). */
  @Column({ type: 'jsonb' }) arg!: Record<string, unknown>;
  /** The workflow the Update went to when not the delivery's own (a support case, an obligation). */
  @Column({ name: 'workflow_id', type: 'text', nullable: true }) workflowId!: string | null;
  @Column({ type: 'text', default: 'pending' }) status!: DecisionStatus;
  @Column({ type: 'jsonb', nullable: true }) outcome!: Record<string, unknown> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt!: Date | null;
}
