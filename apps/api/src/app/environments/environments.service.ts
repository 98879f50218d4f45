import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { SdoConfig } from '@sdo/config';
import { AuditTrail, EnvironmentDirectory, EnvironmentView } from '@sdo/persistence';
import { Actor, assertMayActFor, canSeeCustomer, customerFilterFor } from '../auth/actor';
import { Page } from '../infrastructure/paging';
import { SDO_CONFIG } from '../infrastructure/tokens';
import { ListEnvironmentsQuery, RegisterEnvironmentDto } from './dtos/environment.dto';
import { hostProblem, ProtectedEndpoint } from './host-policy';

const DEFAULT_PORTS = { postgres: 5432, mysql: 3306, sqlite: 0 } as const;

@Injectable()
export class EnvironmentsService {
  private readonly protectedEndpoints: ProtectedEndpoint[];

  constructor(
    private readonly directory: EnvironmentDirectory,
    private readonly audit: AuditTrail,
    @Inject(SDO_CONFIG) config: SdoConfig,
  ) {
    this.protectedEndpoints = protectedEndpointsOf(config);
  }

  async register(actor: Actor, dto: RegisterEnvironmentDto): Promise<EnvironmentView> {
    assertMayActFor(actor, dto.customerId);
    if (dto.engine !== 'sqlite') {
      const problem = await hostProblem({ host: dto.host!, port: dto.port ?? DEFAULT_PORTS[dto.engine], database: dto.database }, this.protectedEndpoints);
      if (problem) throw new BadRequestException({ message: `${problem}: register the customer's database server instead.`, details: [{ field: 'host', reason: problem }] });
    }
    const view = await this.directory.register(dto);
    await this.audit.append({
      actor: actor.name,
      action: 'environment.registered',
      detail: { environmentId: view.id, customerId: view.customerId, name: view.name, engine: view.engine, host: view.host, port: view.port, database: view.database },
    });
    return view;
  }

  async list(actor: Actor, query: ListEnvironmentsQuery): Promise<Page<EnvironmentView>> {
    const customerId = customerFilterFor(actor, query.customerId);
    if (customerId === null) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const { items, total } = await this.directory.list({ customerId, limit: query.limit, offset: query.offset });
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string): Promise<EnvironmentView> {
    const found = await this.directory.find(id);
    if (!found || !canSeeCustomer(actor, found.customerId)) throw new NotFoundException({ message: `Environment ${id} does not exist.` });
    return found;
  }
}

/** SDO's own servers: the Temporal frontend and the app database may never be registered as a customer environment. */
export function protectedEndpointsOf(config: SdoConfig): ProtectedEndpoint[] {
  const endpoints: ProtectedEndpoint[] = [];
  const temporal = /^\[?([^\]]+?)\]?:(\d+)$/.exec(config.temporal.address);
  if (temporal) endpoints.push({ host: temporal[1]!, port: Number(temporal[2]), what: "SDO's Temporal frontend" });
  try {
    const url = new URL(config.databaseUrl);
    endpoints.push({ host: url.hostname || '127.0.0.1', port: Number(url.port || 5432), database: decodeURIComponent(url.pathname.slice(1)), what: "SDO's own app database" });
  } catch {
    // loadConfig validated it; nothing to protect if it cannot be parsed
  }
  return endpoints;
}
