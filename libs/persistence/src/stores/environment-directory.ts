import { isIP } from 'node:net';
import { DataSource, Repository } from 'typeorm';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { DatabaseEngine, EnvironmentEntity } from '../entities/environment.entity';
import { EnvironmentPolicy } from '../environment-policy';
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
  /** The IP address the environment policy checked: connect to it, not to the name (which could resolve elsewhere next time). */
  host: string;
  port: number;
  /** Database name; for SQLite the file's real path inside SDO_SQLITE_DIR. */
  database: string;
  user: string;
  password: string;
  ssl: boolean;
  /** The registered host name, for TLS certificate checks (SNI), when `ssl` is on and the host was a name. */
  tlsServerName?: string;
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

  constructor(
    dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly policy: EnvironmentPolicy,
  ) {
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
      throw new DeliveryError(
        DeliveryFailureType.EnvironmentNotFound,
        `Environment ${environmentId} is not registered: register it through POST /v1/environments.`,
      );
    }
    const base = {
      environmentId: entity.id,
      engine: entity.engine,
      user: entity.username ?? '',
      password: entity.secretCiphertext ? this.secrets.open(entity.secretCiphertext) : '',
      ssl: entity.ssl,
    };
    if (entity.engine === 'sqlite') return { ...base, host: '', port: 0, database: await this.sqliteFileOf(entity) };
    const port = entity.port ?? DEFAULT_PORTS[entity.engine];
    const check = await this.policy.checkHost({ host: entity.host ?? '127.0.0.1', port, database: entity.database });
    if (check.kind === 'refused') {
      throw new DeliveryError(
        DeliveryFailureType.EnvironmentNotAllowed,
        `Environment ${entity.id} may not be used: ${check.reason}. Register the customer's database server instead.`,
      );
    }
    if (check.kind === 'unresolved') {
      // ENOTFOUND is a name that does not exist (permanent until corrected); EAI_AGAIN and the like are DNS outages (retried).
      const type = check.code === 'ENOTFOUND' ? DeliveryFailureType.UnknownHost : DeliveryFailureType.Unreachable;
      throw new DeliveryError(
        type,
        `The host of environment ${entity.id} does not resolve from the worker (${check.code}): check the name and the worker's DNS.`,
        { code: check.code },
      );
    }
    return {
      ...base,
      host: check.addresses[0]!,
      port,
      database: entity.database,
      ...(entity.ssl && !isIP(check.name) ? { tlsServerName: check.name } : {}),
    };
  }

  /** The real path of a SQLite environment's file, checked at every open: it must (still) be inside SDO_SQLITE_DIR. */
  private async sqliteFileOf(entity: EnvironmentEntity): Promise<string> {
    const check = await this.policy.checkSqliteFile(entity.database);
    if (check.kind === 'allowed') return check.path;
    if (check.kind === 'missing') {
      throw new DeliveryError(
        DeliveryFailureType.MissingObject,
        `SQLite environment ${entity.id}: ${check.reason}; put the file back or register the environment again.`,
      );
    }
    throw new DeliveryError(DeliveryFailureType.EnvironmentNotAllowed, `SQLite environment ${entity.id} may not be opened: its database ${check.reason}.`);
  }
}
