import { DataSource, Repository } from 'typeorm';
import { PhaseReportRef, ReportKind } from '@sdo/contracts';
import { DeliveryReportEntity } from '../entities/delivery-report.entity';

export interface NewReport {
  deliveryId: string;
  kind: ReportKind;
  revision?: number;
  summary: string;
  body: Record<string, unknown>;
}

export class ReportStore {
  private readonly repo: Repository<DeliveryReportEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(DeliveryReportEntity);
  }

  async save(report: NewReport): Promise<PhaseReportRef> {
    const saved = await this.repo.save(this.repo.create({ ...report, revision: report.revision ?? 1 }));
    return { kind: saved.kind, reportId: saved.id, summary: saved.summary };
  }

  async get(reportId: string): Promise<DeliveryReportEntity | undefined> {
    return (await this.repo.findOneBy({ id: reportId })) ?? undefined;
  }

  async listForDelivery(deliveryId: string): Promise<DeliveryReportEntity[]> {
    return this.repo.find({ where: { deliveryId }, order: { createdAt: 'ASC' } });
  }
}
