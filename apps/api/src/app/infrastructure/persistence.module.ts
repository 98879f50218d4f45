import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SdoConfig } from '@sdo/config';
import {
  AuditTrail,
  createAppDataSource,
  DecisionLedger,
  DeliveryStore,
  EnvironmentDirectory,
  EnvironmentPolicy,
  ReportStore,
  SecretBox,
  UpgradePackageStore,
} from '@sdo/persistence';
import type { ApiOptions } from './api-options';
import { API_OPTIONS, SDO_CONFIG } from './tokens';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** The app database and its stores (all I/O on it goes through these). */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [SDO_CONFIG],
      useFactory: async (config: SdoConfig) => createAppDataSource(config.databaseUrl).initialize(),
    },
    { provide: SecretBox, inject: [SDO_CONFIG], useFactory: (config: SdoConfig) => new SecretBox(config.secretsKey) },
    {
      provide: EnvironmentPolicy,
      inject: [SDO_CONFIG, API_OPTIONS],
      useFactory: (config: SdoConfig, options: ApiOptions) => EnvironmentPolicy.fromConfig(config, options.resolveHost),
    },
    {
      provide: EnvironmentDirectory,
      inject: [DataSource, SecretBox, EnvironmentPolicy],
      useFactory: (ds: DataSource, box: SecretBox, policy: EnvironmentPolicy) => new EnvironmentDirectory(ds, box, policy),
    },
    { provide: UpgradePackageStore, inject: [DataSource], useFactory: (ds: DataSource) => new UpgradePackageStore(ds) },
    { provide: DeliveryStore, inject: [DataSource], useFactory: (ds: DataSource) => new DeliveryStore(ds) },
    { provide: ReportStore, inject: [DataSource], useFactory: (ds: DataSource) => new ReportStore(ds) },
    { provide: AuditTrail, inject: [DataSource], useFactory: (ds: DataSource) => new AuditTrail(ds) },
    { provide: DecisionLedger, inject: [DataSource], useFactory: (ds: DataSource) => new DecisionLedger(ds) },
    DataSourceCloser,
  ],
  exports: [DataSource, EnvironmentDirectory, EnvironmentPolicy, UpgradePackageStore, DeliveryStore, ReportStore, AuditTrail, DecisionLedger],
})
export class PersistenceModule {}
