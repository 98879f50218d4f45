import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { SdoConfig, temporalConnectionOptions } from '@sdo/config';
import { SDO_CONFIG } from './tokens';

@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(Connection) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * The Temporal client. The connection is lazy: the API starts (and /health reports it) while
 * Temporal is still coming up; every call carries a deadline (see DeliveryWorkflows).
 */
@Global()
@Module({
  providers: [
    { provide: Connection, inject: [SDO_CONFIG], useFactory: (config: SdoConfig) => Connection.lazy(temporalConnectionOptions(config.temporal)) },
    {
      provide: Client,
      inject: [Connection, SDO_CONFIG],
      useFactory: (connection: Connection, config: SdoConfig) => new Client({ connection, namespace: config.temporal.namespace }),
    },
    TemporalConnectionCloser,
  ],
  exports: [Connection, Client],
})
export class TemporalModule {}
