import { Module } from '@nestjs/common';
import { ApiMetrics } from './api-metrics';

@Module({ providers: [ApiMetrics], exports: [ApiMetrics] })
export class ObservabilityModule {}
