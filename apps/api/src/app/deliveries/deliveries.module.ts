import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskStore } from '@sdo/persistence';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryEventsController } from './delivery-events.controller';
import { DeliveryGatesService } from './delivery-gates.service';
import { DeliveryWorkflows } from './delivery-workflows';

@Module({
  controllers: [DeliveriesController, DeliveryEventsController],
  providers: [
    DeliveriesService,
    DeliveryGatesService,
    DeliveryWorkflows,
    { provide: TaskStore, inject: [DataSource], useFactory: (ds: DataSource) => new TaskStore(ds) },
  ],
  exports: [DeliveriesService, DeliveryGatesService, DeliveryWorkflows],
})
export class DeliveriesModule {}
