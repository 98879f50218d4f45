import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ObligationsController } from './obligations.controller';
import { ObligationsService } from './obligations.service';
import { ObligationWorkflows } from './obligation-workflows';

@Module({
  imports: [DeliveriesModule],
  controllers: [ObligationsController],
  providers: [ObligationsService, ObligationWorkflows],
})
export class ObligationsModule {}
