import { Injectable, NotFoundException } from '@nestjs/common';
import { CatalogService as CatalogEntry, catalogService, catalogServices } from '@sdo/catalog';
import { isServiceType } from '@sdo/contracts';
import type { CatalogServiceDto } from './dtos/catalog-service.dto';

@Injectable()
export class CatalogService {
  list(): CatalogServiceDto[] {
    return catalogServices().map(toDto);
  }

  get(code: string): CatalogServiceDto {
    if (!isServiceType(code)) throw new NotFoundException({ message: `Service ${code} is not in the catalog.` });
    return toDto(catalogService(code));
  }
}

function toDto(entry: CatalogEntry): CatalogServiceDto {
  const { parameters, taskFlow: _taskFlow, ...rest } = entry;
  return {
    ...rest,
    parametersSchema: parameters.name,
    obligations: entry.obligations.map((o) => ({ ...o, ...(o.settings ? { settings: { ...o.settings } } : {}) })),
    deliveryFlow: entry.deliveryFlow.map(({ checklist, ...s }) => ({ ...s, ...(checklist ? { checklist: [...checklist] } : {}) })),
    deliveryModes: [...entry.deliveryModes],
    environmentRoles: entry.environmentRoles.map((r) => ({ ...r, engines: [...r.engines] })),
  };
}
