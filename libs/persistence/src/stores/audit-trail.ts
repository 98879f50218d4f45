import { DataSource, Repository } from 'typeorm';
import { AuditEntryEntity } from '../entities/audit-entry.entity';

export interface AuditRecord {
  deliveryId?: string;
  actor: string;
  action: string;
  detail?: Record<string, unknown>;
  /** The gate decision (Update ID) the entry records. */
  decisionId?: string;
}

export class AuditTrail {
  private readonly repo: Repository<AuditEntryEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(AuditEntryEntity);
  }

  async append(record: AuditRecord): Promise<void> {
    await this.repo.save(
      this.repo.create({
        deliveryId: record.deliveryId ?? null,
        actor: record.actor,
        action: record.action,
        detail: record.detail ?? {},
        decisionId: record.decisionId ?? null,
      }),
    );
  }

  async listForDelivery(deliveryId: string): Promise<AuditEntryEntity[]> {
    return this.repo.find({ where: { deliveryId }, order: { id: 'ASC' } });
  }
}
