import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditTrail, UpgradePackageEntity, UpgradePackageStore } from '@sdo/persistence';
import { checksum, UpgradePackage, validatePackage, verificationChecksum, verificationProblems } from '@sdo/upgrade-kit';
import { invalidRequest } from '../infrastructure/validation';
import type { Actor } from '../auth/actor';
import { Page, PagingQuery } from '../infrastructure/paging';
import type { RegisterUpgradePackageDto, UpgradePackageViewDto } from './dtos/upgrade-package.dto';

@Injectable()
export class UpgradePackagesService {
  constructor(
    private readonly packages: UpgradePackageStore,
    private readonly audit: AuditTrail,
  ) {}

  /** Validates the package on its own (upgrade-kit) and stores it with server-computed checksums. */
  async register(actor: Actor, dto: RegisterUpgradePackageDto): Promise<UpgradePackageViewDto> {
    const pkg: UpgradePackage = {
      name: dto.name,
      product: dto.product,
      scripts: dto.scripts.map((s) => ({ version: s.version, description: s.description, sql: s.sql })),
      verifications: dto.verifications.map((v) => ({ name: v.name, sql: v.sql, expect: v.expect })),
    };
    validatePackage(pkg); // DeliveryError(InvalidPackage) naming each script and reason → 400
    // Verifications run at rehearsal and cutover: each must be one read-only SELECT.
    const refused = await verificationProblems(pkg);
    if (refused.length) throw invalidRequest(refused.map((p) => ({ field: `verifications.${p.index}.sql`, reason: `verification "${p.name}" ${p.reason}` })));
    const saved = await this.packages.register({
      name: pkg.name,
      product: pkg.product,
      scripts: pkg.scripts.map((s) => ({ ...s, checksum: checksum(s.sql) })),
      verifications: pkg.verifications.map((v) => ({ ...v, checksum: verificationChecksum(v) })),
    });
    await this.audit.append({
      actor: actor.name,
      action: 'upgrade-package.registered',
      detail: {
        packageId: saved.id,
        name: saved.name,
        product: saved.product,
        scripts: saved.scripts.map((s) => ({ version: s.version, checksum: s.checksum })),
        verifications: saved.verifications.map((v) => ({ name: v.name, checksum: v.checksum })),
      },
    });
    return toView(saved, true);
  }

  async list(query: PagingQuery): Promise<Page<UpgradePackageViewDto>> {
    const { items, total } = await this.packages.list(query.limit, query.offset);
    return { items: items.map((p) => toView(p, false)), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<UpgradePackageViewDto> {
    const found = await this.packages.find(id);
    if (!found) throw new NotFoundException({ message: `Upgrade package ${id} does not exist.` });
    return toView(found, true);
  }
}

function toView(entity: UpgradePackageEntity, withSql: boolean): UpgradePackageViewDto {
  return {
    id: entity.id,
    name: entity.name,
    product: entity.product,
    targetVersion: entity.scripts.at(-1)?.version ?? '',
    scripts: entity.scripts.map((s) => ({ version: s.version, description: s.description, checksum: s.checksum, ...(withSql ? { sql: s.sql } : {}) })),
    verifications: entity.verifications.map(({ name, sql, expect }) => ({ name, sql, expect })),
    createdAt: entity.createdAt,
  };
}
