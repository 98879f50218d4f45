import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ReportKind } from '@sdo/contracts';

/** Assessment, plan, rehearsal, cutover and acceptance reports: too large for Temporal payloads. */
@Entity('delivery_reports')
@Index('ix_report_delivery', ['deliveryId', 'createdAt'])
export class DeliveryReportEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId!: string;
  @Column({ type: 'text' }) kind!: ReportKind;
  @Column({ type: 'int', default: 1 }) revision!: number;
  @Column({ type: 'text' }) summary!: string;
  @Column({ type: 'jsonb' }) body!: Record<string, unknown>;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
