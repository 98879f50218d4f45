import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SdoConfig } from '@sdo/config';
import { NotificationStore, SecretBox, WebhookPolicy } from '@sdo/persistence';
import type { ApiOptions } from '../infrastructure/api-options';
import { API_OPTIONS, SDO_CONFIG } from '../infrastructure/tokens';
import { GateContactsController, WebhooksController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [WebhooksController, GateContactsController],
  providers: [
    {
      provide: NotificationStore,
      inject: [DataSource, SDO_CONFIG],
      useFactory: (ds: DataSource, config: SdoConfig) => new NotificationStore(ds, new SecretBox(config.secretsKey)),
    },
    {
      provide: WebhookPolicy,
      inject: [SDO_CONFIG, API_OPTIONS],
      useFactory: (config: SdoConfig, options: ApiOptions) => new WebhookPolicy({ ...config.webhooks, resolve: options.resolveHost }),
    },
    NotificationsService,
  ],
})
export class NotificationsModule {}
