import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DeliveryError } from '@sdo/contracts';
import { AuditTrail, EnvironmentDirectory, EnvironmentPolicy, EnvironmentView } from '@sdo/persistence';
import { Actor, assertMayActFor, canSeeCustomer, customerFilterFor } from '../auth/actor';
import { Page } from '../infrastructure/paging';
import { EnvironmentCheckDto, ListEnvironmentsQuery, RegisterEnvironmentDto } from './dtos/environment.dto';
import { checkEnvironment } from './environment-check';

const DEFAULT_PORTS = { postgres: 5432, mysql: 3306, sqlite: 0 } as const;

@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly directory: EnvironmentDirectory,
    private readonly audit: AuditTrail,
    private readonly policy: EnvironmentPolicy,
  ) {}

  async register(actor: Actor, dto: RegisterEnvironmentDto): Promise<EnvironmentView> {
    assertMayActFor(actor, dto.customerId);
    await this.assertAllowed(dto);
    const view = await this.directory.register(dto);
    await this.audit.append({
      actor: actor.name,
      action: 'environment.registered',
      detail: {
        environmentId: view.id,
        customerId: view.customerId,
        name: view.name,
        engine: view.engine,
        host: view.host,
        port: view.port,
        database: view.database,
      },
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

  /** Connects with the stored credentials (through the policy, as the worker would) and reports reachability and rights. */
  async check(actor: Actor, id: string): Promise<EnvironmentCheckDto> {
    const environment = await this.get(actor, id);
    let result: EnvironmentCheckDto;
    try {
      result = await checkEnvironment(await this.directory.connectionFor(id));
    } catch (err) {
      // The policy refused the host, the name did not resolve, or the SQLite file is gone: not reachable, and why.
      if (!(err instanceof DeliveryError)) throw err;
      result = { reachable: false, engine: environment.engine, missing: [], problem: err.message };
    }
    await this.audit.append({
      actor: actor.name,
      action: 'environment.checked',
      detail: {
        environmentId: id,
        customerId: environment.customerId,
        reachable: result.reachable,
        missing: result.missing,
        ...(result.problem ? { problem: result.problem } : {}),
      },
    });
    return result;
  }

  /** The environment policy at registration; the worker applies it again at every connect. */
  private async assertAllowed(dto: RegisterEnvironmentDto): Promise<void> {
    if (dto.engine === 'sqlite') {
      const check = await this.policy.checkSqliteFile(dto.database);
      if (check.kind !== 'allowed')
        throw new BadRequestException({ message: `database ${check.reason}.`, details: [{ field: 'database', reason: check.reason }] });
      return;
    }
    const check = await this.policy.checkHost({ host: dto.host!, port: dto.port ?? DEFAULT_PORTS[dto.engine], database: dto.database });
    // A name that does not resolve here may resolve from the worker's network: it is checked there before every connect.
    if (check.kind === 'refused') {
      throw new BadRequestException({
        message: `${check.reason}: register the customer's database server instead.`,
        details: [{ field: 'host', reason: check.reason }],
      });
    }
  }
}
