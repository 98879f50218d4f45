import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { TEMPORAL_PROBE_CONNECTION } from '../infrastructure/temporal.module';

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Messages of health checks are public: keep them free of hosts and credentials. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /did not answer/.test(message) ? message : 'unreachable';
}

@Injectable()
export class AppDatabaseHealth {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async check(key: 'postgres') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 'PostgreSQL');
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: reason(err) });
    }
  }
}

@Injectable()
export class TemporalHealth {
  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly connection: Connection,
  ) {}

  async check(key: 'temporal') {
    const indicator = this.health.check(key);
    try {
      await withTimeout(
        this.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS - 500, () => this.connection.workflowService.getSystemInfo({})),
        'Temporal',
      );
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: reason(err) });
    }
  }
}
