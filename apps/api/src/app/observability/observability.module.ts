import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ApiMetrics, HttpMetricsMiddleware } from './api-metrics';
import { RequestTracingMiddleware } from './api-tracing';

@Module({ providers: [ApiMetrics], exports: [ApiMetrics] })
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestTracingMiddleware, HttpMetricsMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
