import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskStore } from '@sdo/persistence';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ObligationsController } from './obligations.controller';
import { ObligationsService } from './obligations.service';
import { ObligationWorkflows } from './obligation-workflows';

@Module({
  imports: [DeliveriesModule],
  controllers: [ObligationsController],
  providers: [ObligationsService, ObligationWorkflows, { provide: TaskStore, inject: [DataSource], useFactory: (ds: DataSource) => new TaskStore(ds) }],
  exports: [ObligationsService],
})
export class ObligationsModule {}
