import { DataSource, Repository } from 'typeorm';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { StoredUpgradeScript, StoredVerification, UpgradePackageEntity } from '../entities/upgrade-package.entity';

export interface UpgradePackageRecord {
  name: string;
  product: string;
  scripts: StoredUpgradeScript[];
  verifications: StoredVerification[];
}

export class UpgradePackageStore {
  private readonly repo: Repository<UpgradePackageEntity>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(UpgradePackageEntity);
  }

  async register(record: UpgradePackageRecord): Promise<UpgradePackageEntity> {
    return this.repo.save(this.repo.create(record));
  }

  async findByName(name: string): Promise<UpgradePackageEntity | undefined> {
    return (await this.repo.findOneBy({ name })) ?? undefined;
  }

  async find(id: string): Promise<UpgradePackageEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  async get(id: string): Promise<UpgradePackageEntity> {
    const found = await this.find(id);
    if (!found)
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `Upgrade package ${id} is not registered: register it through POST /v1/upgrade-packages.`);
    return found;
  }

  async list(limit: number, offset: number): Promise<{ items: UpgradePackageEntity[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({ order: { createdAt: 'DESC' }, take: limit, skip: offset });
    return { items, total };
  }
}
