import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TaskStore } from '@sdo/persistence';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { ObligationsModule } from '../obligations/obligations.module';
import { PersonDaysController, TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({
  imports: [DeliveriesModule, ObligationsModule],
  controllers: [TasksController, PersonDaysController],
  providers: [TasksService, { provide: TaskStore, inject: [DataSource], useFactory: (ds: DataSource) => new TaskStore(ds) }],
})
export class TasksModule {}
