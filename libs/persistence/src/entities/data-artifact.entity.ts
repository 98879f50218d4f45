import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Data-engine artefacts of a copy job (introspections, copy plans, verification reports): too large for Temporal. */
@Entity('data_artifacts')
@Index('ix_data_artifact_job', ['jobId', 'createdAt'])
export class DataArtifactEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'job_id', type: 'text' }) jobId!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'jsonb' }) body!: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
