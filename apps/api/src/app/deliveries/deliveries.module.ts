import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { DeliveryGatesService } from './delivery-gates.service';
import { DeliveryWorkflows } from './delivery-workflows';

@Module({
  controllers: [DeliveriesController],
  providers: [DeliveriesService, DeliveryGatesService, DeliveryWorkflows],
  exports: [DeliveriesService, DeliveryGatesService, DeliveryWorkflows],
})
export class DeliveriesModule {}
