import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { DeliveryStatus } from '@sdo/contracts';

/**
 * The status a delivery's workflow answered when it ended (completed, failed, cancelled): plans,
 * reports, events, a catalog flow's tasks and person-day ledger. Kept here because Temporal
 * deletes a closed workflow after its namespace's retention, and with it the only other copy.
 */
@Entity('delivery_final_status')
export class DeliveryFinalStatusEntity {
  @PrimaryColumn({ name: 'delivery_id', type: 'uuid' }) deliveryId!: string;
  @Column({ type: 'jsonb' }) status!: DeliveryStatus;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
}
