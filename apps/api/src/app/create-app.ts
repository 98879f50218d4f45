import 'reflect-metadata';
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { describeServiceParameters } from './deliveries/service-openapi';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import type { SdoConfig } from '@sdo/config';
import { migrateAppDatabase } from '@sdo/persistence';
import { AppModule } from './app.module';
import { serveConsole } from './console/serve-console';
import { codecCors } from './codec/codec-cors.middleware';
import { ApiMetrics, httpMetrics } from './observability/api-metrics';
import { requestTracing } from './observability/api-tracing';
import { ApiOptions, DEFAULT_API_OPTIONS } from './infrastructure/api-options';
import { InputScreenPipe, refuseDeepJson } from './infrastructure/input-screen';
import { createValidationPipe } from './infrastructure/validation';
import { apiResponseHeaders } from './infrastructure/response-headers';

export type { ApiOptions } from './infrastructure/api-options';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/**
 * Builds the control API from validated configuration: logging, validation, versioning,
 * OpenAPI (/docs, /docs-json), shutdown hooks, and the app database migrated (under the advisory
 * lock) — ready for `listen`. main.ts and the tests both build the app through here.
 */
export async function createApiApp(config: SdoConfig, options: ApiOptions = {}): Promise<NestExpressApplication> {
  if (config.apiTokens.length === 0) {
    throw new Error('SDO_API_TOKENS is empty: the API needs at least one identity (name:role:token), e.g. admin:admin:$(openssl rand -hex 24)');
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, options), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  try {
    app.useLogger(app.get(Logger));
    app.disable('x-powered-by');
    // Answers are never cached (no-store below), so an ETag would only cost a hash of every body.
    app.set('etag', false);
    app.use(apiResponseHeaders);
    if (options.consoleDir !== false) serveConsole(app, options.consoleDir);
    // Plain Express middleware (not Nest routes): a span and a latency sample per request, CORS for the codec server alone.
    app.use(requestTracing, httpMetrics(app.get(ApiMetrics)));
    app.use('/codec', codecCors(config.codecCorsOrigin));
    const bodyLimit = options.bodyLimit ?? DEFAULT_API_OPTIONS.bodyLimit;
    // Too-deep JSON is refused before it is parsed; text and keys are screened before validation.
    app.useBodyParser('json', { limit: bodyLimit, verify: refuseDeepJson });
    app.useGlobalPipes(new InputScreenPipe(), createValidationPipe());
    app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    app.enableShutdownHooks();
    SwaggerModule.setup(OPENAPI_PATH, app, () => buildOpenApiDocument(app), { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'docs-yaml' });
    const applied = await migrateAppDatabase(app.get(DataSource));
    if (applied.length) app.get(Logger).log(`app database migrated: ${applied.join(', ')}`, 'createApiApp');
    return app;
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('SDO — Service Delivery Orchestrator')
    .setDescription(
      'Control API for ERP special services (专项服务) delivered as durable workflows: register environments and upgrade packages, ' +
        'start deliveries, follow their phases and reports, and take the human decisions (contract, plan, cutover window, acceptance). ' +
        'Every route but /health needs `Authorization: Bearer <token>`; viewers read, managers steer deliveries, admins also register environments and packages. ' +
        "An identity confined to one customer sees and steers only that customer's environments and deliveries; upgrade packages are global (product scripts, no customer data) and readable by every identity.",
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return describeServiceParameters(SwaggerModule.createDocument(app, document));
}
