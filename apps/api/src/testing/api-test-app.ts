import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, loadConfig, payloadKeyRing, SdoConfig, sdoDataConverter } from '@sdo/config';
import { createScratchDatabase, ScratchDatabase, TEST_PAYLOAD_KEYS, testStack } from '@sdo/testing';
import { ApiOptions, createApiApp } from '../app/create-app';

export const TOKENS = {
  admin: 'admin-token-0123456789abcdef0123',
  manager: 'manager-token-0123456789abcdef01',
  viewer: 'viewer-token-0123456789abcdef012',
  confined: 'confined-token-0123456789abcdef0',
  engineer: 'engineer-token-0123456789abcdef0',
} as const;
export type TestIdentity = keyof typeof TOKENS;

export const TEST_SECRETS_KEY = Buffer.alloc(32, 9).toString('base64');

/** The test key ring as the API and the test workers use it. */
export const testPayloadKeys = () => payloadKeyRing(TEST_PAYLOAD_KEYS);

/** A Temporal client of the tests: sealing and opening payloads as the API and the test workers do. */
export function testTemporalClient(connection: Connection, namespace = testStack().temporalNamespace): Client {
  return new Client({ connection, namespace, dataConverter: sdoDataConverter(testPayloadKeys()) });
}

/** A payload as a history holds it (sealed), opened with the test keys and converted to its value. */
export async function openTestPayload<T = unknown>(payload: Payload): Promise<T> {
  const [opened] = await new AesGcmPayloadCodec(testPayloadKeys()).decode([payload]);
  return defaultPayloadConverter.fromPayload<T>(opened!);
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A running API on a scratch app database and the test stack's Temporal, with captured logs. */
export interface ApiTestApp {
  app: NestExpressApplication;
  config: SdoConfig;
  database: ScratchDatabase;
  baseUrl: string;
  logs: string[];
  request<T = any>(
    method: string,
    path: string,
    options?: { as?: TestIdentity | null; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): SdoConfig {
  const stack = testStack();
  return loadConfig({
    DATABASE_URL: databaseUrl,
    SDO_SECRETS_KEY: TEST_SECRETS_KEY,
    SDO_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporalNamespace,
    SDO_LOG_LEVEL: 'info',
    SDO_SQLITE_DIR: stack.sqliteDir,
    SDO_API_TOKENS: [
      `ada:admin:${TOKENS.admin}`,
      `max:manager:${TOKENS.manager}`,
      `vic:viewer:${TOKENS.viewer}`,
      `cora:manager:${TOKENS.confined}:CUST-CONFINED`,
      `eve:engineer:${TOKENS.engineer}`,
    ].join(','),
    ...overrides,
  });
}

/** `database`: an app database to reuse (an API restart); the API then leaves it to its owner at close. */
export async function startApiTestApp(options: ApiOptions & { env?: Record<string, string>; database?: ScratchDatabase } = {}): Promise<ApiTestApp> {
  const owned = !options.database;
  const database = options.database ?? (await createScratchDatabase('sdo_api'));
  const logs: string[] = [];
  const config = testConfig(database.url, options.env);
  let app: NestExpressApplication;
  try {
    app = await createApiApp(config, { ...options, logDestination: { write: (line: string) => void logs.push(line) } });
    await app.listen(0, '127.0.0.1');
  } catch (err) {
    if (owned) await database.drop();
    throw err;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    config,
    database,
    baseUrl,
    logs,
    async request(method, path, { as = 'admin', body, headers = {}, rawBody } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(as ? { authorization: `Bearer ${TOKENS[as]}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (markdown, HTML)
      }
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
    async close() {
      await app.close();
      if (owned) await database.drop();
    },
  };
}
