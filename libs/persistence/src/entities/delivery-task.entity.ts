import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ChecklistItem, FlowStepKind, TaskRole, TaskStatus } from '@sdo/contracts';

/**
 * A human task of a catalog flow, mirrored from its workflow (the workflow decides; this row is
 * what lists, filters and evidence hang off). The ID is the workflow's task ID.
 */
@Entity('delivery_tasks')
@Index('ix_task_open_due', ['status', 'dueAt'])
export class DeliveryTaskEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index('ix_task_delivery') @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId!: string;
  @Index('ix_task_customer') @Column({ name: 'customer_id', type: 'text' }) customerId!: string;
  @Column({ name: 'service_type', type: 'text' }) serviceType!: string;
  @Column({ name: 'step_index', type: 'int' }) stepIndex!: number;
  @Column({ name: 'step_code', type: 'text' }) stepCode!: string;
  @Column({ name: 'item_code', type: 'text', nullable: true }) itemCode!: string | null;
  @Column({ name: 'name_zh', type: 'text' }) nameZh!: string;
  @Column({ name: 'name_en', type: 'text' }) nameEn!: string;
  @Column({ type: 'text' }) kind!: FlowStepKind;
  @Column({ type: 'text' }) role!: TaskRole;
  @Index('ix_task_assignee') @Column({ type: 'text' }) assignee!: string;
  @Column({ type: 'text' }) status!: TaskStatus;
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true }) openedAt!: Date | null;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ type: 'jsonb' }) checklist!: ChecklistItem[];
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  @Column({ name: 'completed_by', type: 'text', nullable: true }) completedBy!: string | null;
  @Column({ name: 'signed_by', type: 'text', nullable: true }) signedBy!: string | null;
  @Column({ type: 'text', nullable: true }) reference!: string | null;
  @Column({ type: 'int', default: 0 }) reopened!: number;
  @Column({ type: 'boolean', default: false }) escalated!: boolean;
  /** `flow`: a step's task; `obligation`: a task of the step's obligation workflow (completed through it). */
  @Column({ type: 'text', default: 'flow' }) source!: TaskSource;
  /** Obligation tasks: the task's ID in its workflow (`sla-assessment-3`, `session-1`) and its kind. */
  @Column({ name: 'obligation_task_id', type: 'text', nullable: true }) obligationTaskId!: string | null;
  @Column({ name: 'obligation_kind', type: 'text', nullable: true }) obligationKind!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

export type TaskSource = 'flow' | 'obligation';

export type EvidenceKind = 'note' | 'link' | 'file';

/** What a person attaches to a task: a note, a link, or a file (kept in the app database, size-limited). */
@Entity('task_evidence')
export class TaskEvidenceEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index('ix_evidence_task') @Column({ name: 'task_id', type: 'uuid' }) taskId!: string;
  @Column({ type: 'text' }) kind!: EvidenceKind;
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'text', nullable: true }) url!: string | null;
  @Column({ name: 'file_name', type: 'text', nullable: true }) fileName!: string | null;
  @Column({ name: 'content_type', type: 'text', nullable: true }) contentType!: string | null;
  @Column({ type: 'int', nullable: true }) size!: number | null;
  @Column({ type: 'bytea', nullable: true, select: false }) content!: Buffer | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
