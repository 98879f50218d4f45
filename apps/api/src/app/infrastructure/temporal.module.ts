import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { SdoConfig, sdoDataConverter, temporalConnectionOptions } from '@sdo/config';
import { SDO_CONFIG } from './tokens';

/** A connection without the client's retry interceptor: a health probe answers at once, and leaves no retry timer behind. */
export const TEMPORAL_PROBE_CONNECTION = Symbol('TEMPORAL_PROBE_CONNECTION');

@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(Connection) private readonly connection: Connection,
    @Inject(TEMPORAL_PROBE_CONNECTION) private readonly probe: Connection,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.connection.close(), this.probe.close()]);
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
      provide: TEMPORAL_PROBE_CONNECTION,
      inject: [SDO_CONFIG],
      useFactory: (config: SdoConfig) => Connection.lazy({ ...temporalConnectionOptions(config.temporal), interceptors: [] }),
    },
    {
      provide: Client,
      inject: [Connection, SDO_CONFIG],
      useFactory: (connection: Connection, config: SdoConfig) =>
        new Client({
          connection,
          namespace: config.temporal.namespace,
          dataConverter: sdoDataConverter(config.payloadKeys),
          // Starts, updates and queries carry the request's trace into the workflow.
          interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
        }),
    },
    TemporalConnectionCloser,
  ],
  exports: [Connection, Client, TEMPORAL_PROBE_CONNECTION],
})
export class TemporalModule {}
