import { DataSource, Repository } from 'typeorm';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { DatabaseEngine, EnvironmentEntity } from '../entities/environment.entity';
import { SecretBox } from '../secret-box';

export interface EnvironmentRegistration {
  customerId: string;
  name: string;
  engine: DatabaseEngine;
  host?: string;
  port?: number;
  database: string;
  username?: string;
  password?: string;
  ssl?: boolean;
}

/** Everything needed to connect; only ever built inside an activity or the API, never sent to Temporal. */
export interface ConnectionSettings {
  environmentId: string;
  engine: DatabaseEngine;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
}

/** What may be shown about an environment: no secret. */
export type EnvironmentView = Omit<EnvironmentEntity, 'secretCiphertext'> & { hasPassword: boolean };

export function toEnvironmentView(entity: EnvironmentEntity): EnvironmentView {
  const { secretCiphertext, ...rest } = entity;
  return { ...rest, hasPassword: secretCiphertext !== null };
}

const DEFAULT_PORTS: Record<DatabaseEngine, number> = { postgres: 5432, mysql: 3306, sqlite: 0 };

export class EnvironmentDirectory {
  private readonly repo: Repository<EnvironmentEntity>;

  constructor(dataSource: DataSource, private readonly secrets: SecretBox) {
    this.repo = dataSource.getRepository(EnvironmentEntity);
  }

  async register(registration: EnvironmentRegistration): Promise<EnvironmentView> {
    const entity = this.repo.create({
      customerId: registration.customerId,
      name: registration.name,
      engine: registration.engine,
      host: registration.host ?? null,
      port: registration.port ?? null,
      database: registration.database,
      username: registration.username ?? null,
      secretCiphertext: registration.password === undefined ? null : this.secrets.seal(registration.password),
      ssl: registration.ssl ?? false,
    });
    return toEnvironmentView(await this.repo.save(entity));
  }

  async find(id: string): Promise<EnvironmentView | undefined> {
    const entity = await this.repo.findOneBy({ id });
    return entity ? toEnvironmentView(entity) : undefined;
  }

  async list(filter: { customerId?: string; limit: number; offset: number }): Promise<{ items: EnvironmentView[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({
      where: filter.customerId ? { customerId: filter.customerId } : {},
      order: { createdAt: 'DESC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items: items.map(toEnvironmentView), total };
  }

  async connectionFor(environmentId: string): Promise<ConnectionSettings> {
    const entity = await this.repo.findOneBy({ id: environmentId });
    if (!entity) {
      throw new DeliveryError(DeliveryFailureType.EnvironmentNotFound, `Environment ${environmentId} is not registered: register it through POST /v1/environments.`);
    }
    return {
      environmentId: entity.id,
      engine: entity.engine,
      host: entity.host ?? '127.0.0.1',
      port: entity.port ?? DEFAULT_PORTS[entity.engine],
      database: entity.database,
      user: entity.username ?? '',
      password: entity.secretCiphertext ? this.secrets.open(entity.secretCiphertext) : '',
      ssl: entity.ssl,
    };
  }
}
