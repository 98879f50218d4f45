import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditTrail, UpgradePackageEntity, UpgradePackageStore } from '@sdo/persistence';
import { checksum, packageProblems, UpgradePackage, verificationChecksum, verificationProblems } from '@sdo/upgrade-kit';
import type { Actor } from '../auth/actor';
import { Page, PagingQuery } from '../infrastructure/paging';
import { invalidRequest } from '../infrastructure/validation';
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
    const problems = packageProblems(pkg);
    if (problems.length) throw invalidRequest(problems.map((reason) => ({ field: fieldOfProblem(pkg, reason), reason })));
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

/**
 * The field an upgrade-kit problem is about, so package 400s carry `details: [{ field, reason }]`
 * like every other 400: the last script or verification the reason names (a script by its
 * version, a verification by its name), else the list it belongs to.
 */
export function fieldOfProblem(pkg: UpgradePackage, reason: string): string {
  const named = (text: string) =>
    reason.includes(`script ${text} `) || reason.includes(`script ${text}:`) || reason.includes(`version ${text} `) || reason.includes(`version "${text}"`);
  const script = pkg.scripts
    .map((s, i) => [s, i] as const)
    .filter(([s]) => named(s.version))
    .at(-1);
  if (script) return `scripts.${script[1]}.${/version|comes after|twice/.test(reason) ? 'version' : 'sql'}`;
  const verification = pkg.verifications.findIndex((v) => reason.includes(`verification "${v.name}"`));
  if (verification >= 0) return `verifications.${verification}`;
  if (/verification/.test(reason)) return 'verifications';
  if (/no scripts/.test(reason)) return 'scripts';
  if (/no name/.test(reason)) return 'name';
  return 'scripts';
}
