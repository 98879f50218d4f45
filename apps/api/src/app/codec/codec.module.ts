import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { CodecController } from './codec.controller';
import { CodecCorsMiddleware } from './codec-cors.middleware';

@Module({ controllers: [CodecController] })
export class CodecModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CodecCorsMiddleware).forRoutes({ path: 'codec/*path', method: RequestMethod.ALL });
  }
}
