import { DynamicModule, ExecutionContext, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { SdoConfig } from '@sdo/config';
import { AuthGuard } from './auth/auth.guard';
import { ApiIdentities } from './auth/identities';
import { ApiThrottlerGuard } from './auth/throttler.guard';
import { CatalogModule } from './catalog/catalog.module';
import { ConsoleModule } from './console/console.module';
import { CodecModule } from './codec/codec.module';
import { ObservabilityModule } from './observability/observability.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { EnvironmentsModule } from './environments/environments.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ApiExceptionFilter } from './infrastructure/api-exception.filter';
import { ApiOptions, DEFAULT_API_OPTIONS } from './infrastructure/api-options';
import { loggerParams } from './infrastructure/logging';
import { PersistenceModule } from './infrastructure/persistence.module';
import { TemporalModule } from './infrastructure/temporal.module';
import { API_OPTIONS, SDO_CONFIG } from './infrastructure/tokens';
import { ObligationsModule } from './obligations/obligations.module';
import { UpgradePackagesModule } from './upgrade-packages/upgrade-packages.module';
import { TasksModule } from './tasks/tasks.module';

@Module({})
export class AppModule {
  static forConfig(config: SdoConfig, options: ApiOptions = {}): DynamicModule {
    const rateLimit = { ...DEFAULT_API_OPTIONS.rateLimit, ...options.rateLimit };
    const identities = new ApiIdentities(config);
    // Identities get their own budget; requests that prove no identity share their address's smaller one.
    const limit = (context: ExecutionContext) => (identities.ofRequest(context.switchToHttp().getRequest()) ? rateLimit.limit : rateLimit.anonymousLimit);
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(config, options.logDestination)),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: rateLimit.windowMs, limit }] }),
        PersistenceModule,
        TemporalModule,
        HealthModule,
        CatalogModule,
        EnvironmentsModule,
        UpgradePackagesModule,
        DeliveriesModule,
        ConsoleModule,
        NotificationsModule,
        CodecModule,
        ObservabilityModule,
        ObligationsModule,
        TasksModule,
      ],
      providers: [
        { provide: SDO_CONFIG, useValue: config },
        { provide: API_OPTIONS, useValue: options },
        { provide: ApiIdentities, useValue: identities },
        // Order matters: rate limiting first (it identifies the caller itself), then authentication and roles.
        { provide: APP_GUARD, useClass: ApiThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
      exports: [SDO_CONFIG, API_OPTIONS, ApiIdentities],
    };
  }
}
