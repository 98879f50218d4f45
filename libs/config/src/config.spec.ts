import { join } from 'node:path';
import { ConfigError, loadConfig, sha256Hex } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PAYLOAD_KEYS = `k1:${Buffer.alloc(32, 3).toString('base64')}`;

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/sdo', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS });
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'sdo-deliveries', tls: undefined, apiKey: undefined });
    expect(config.gates).toEqual({ reminderEvery: '1 day', escalateAfter: '3 days' });
    expect(config.apiTokens).toEqual([]);
    expect(config.sqliteDir).toBe(join(process.cwd(), '.sdo', 'sqlite'));
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS, SDO_SQLITE_DIR: 'data/sqlite' }).sqliteDir).toBe(
      join(process.cwd(), 'data', 'sqlite'),
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS, SDO_STATE_DIR: '/var/lib/sdo' }).sqliteDir).toBe(
      '/var/lib/sdo/sqlite',
    );
  });

  it('names every wrong variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', SDO_SECRETS_KEY: 'c2hvcnQ=', SDO_API_PORT: '99999', SDO_GATE_REMINDER_EVERY: 'often' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('DATABASE_URL must be a postgres:// URL');
    expect(problems).toContain('SDO_SECRETS_KEY must be 32 random bytes');
    expect(problems).toContain('SDO_API_PORT must be a port number');
    expect(problems).toContain('SDO_GATE_REMINDER_EVERY must be a duration');
  });

  it('serves both task queues by default; a worker may serve one, with its own slots', () => {
    const base = { DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS };
    expect(loadConfig(base).worker).toEqual({ queues: ['orchestration', 'data'], orchestrationSlots: 20, dataSlots: 16 });
    expect(loadConfig({ ...base, SDO_WORKER_QUEUES: ' data ', SDO_DATA_SLOTS: '2' }).worker).toEqual({
      queues: ['data'],
      orchestrationSlots: 20,
      dataSlots: 2,
    });
    expect(loadConfig({ ...base, SDO_WORKER_QUEUES: 'data,orchestration' }).worker.queues).toEqual(['orchestration', 'data']);
    let error: unknown;
    try {
      loadConfig({ ...base, SDO_WORKER_QUEUES: 'data,copies', SDO_DATA_SLOTS: '0', SDO_ORCHESTRATION_SLOTS: 'many' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'SDO_WORKER_QUEUES lists orchestration and/or data, comma-separated; "copies" is not one',
      'SDO_ORCHESTRATION_SLOTS must be a whole number of slots (1-1000), got "many"',
      'SDO_DATA_SLOTS must be a whole number of slots (1-1000), got "0"',
    ]);
  });

  it('requires the app database and the secrets key', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required[\s\S]*SDO_SECRETS_KEY is required/);
  });

  it('turns on TLS for an API key (Temporal Cloud)', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://h/db',
      SDO_SECRETS_KEY: KEY,
      SDO_PAYLOAD_KEYS: PAYLOAD_KEYS,
      TEMPORAL_API_KEY: 'k',
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
    });
    expect(config.temporal.tls).toBeDefined();
    expect(config.temporal.apiKey).toBe('k');
  });

  it('reads where the console links workflows (SDO_TEMPORAL_UI_URL), refusing what is not an http(s) URL', () => {
    const base = { DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS };
    expect(loadConfig(base).temporalUiUrl).toBeUndefined();
    expect(loadConfig({ ...base, SDO_TEMPORAL_UI_URL: ' http://127.0.0.1:8233/ ' }).temporalUiUrl).toBe('http://127.0.0.1:8233');
    expect(() => loadConfig({ ...base, SDO_TEMPORAL_UI_URL: 'javascript:alert(1)' })).toThrow(/SDO_TEMPORAL_UI_URL must be an http\(s\) URL/);
  });

  it('reads webhook and mail settings: http only outside production, allow-lists of addresses, SMTP off by default', () => {
    const base = { DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS };
    expect(loadConfig(base).webhooks).toEqual({ allowHttp: true, allowedAddresses: [] });
    expect(loadConfig(base).mail).toBeUndefined();
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).webhooks.allowHttp).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SDO_WEBHOOK_ALLOW_HTTP: 'true' }).webhooks.allowHttp).toBe(true);
    expect(loadConfig({ ...base, SDO_WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1, 10.0.0.0/8,::1' }).webhooks.allowedAddresses).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(loadConfig({ ...base, SDO_SMTP_URL: 'smtp://u:pw@mail.example:587' }).mail).toEqual({
      smtpUrl: 'smtp://u:pw@mail.example:587',
      from: 'SDO <sdo@localhost>',
    });
    let error: unknown;
    try {
      loadConfig({ ...base, SDO_WEBHOOK_ALLOW_HTTP: 'maybe', SDO_WEBHOOK_ALLOWED_ADDRESSES: 'localhost', SDO_SMTP_URL: 'http://u:secret-pw@x' });
    } catch (e) {
      error = e;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('SDO_WEBHOOK_ALLOW_HTTP must be true or false');
    expect(problems).toContain('SDO_WEBHOOK_ALLOWED_ADDRESSES entry "localhost"');
    expect(problems).toContain('SDO_SMTP_URL must be an smtp://');
    expect(problems).not.toContain('secret-pw');
  });

  describe('SDO_API_TOKENS', () => {
    const base = { DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, SDO_PAYLOAD_KEYS: PAYLOAD_KEYS };
    const aliceToken = 'a'.repeat(16) + 'Alice-123';
    const bobToken = 'b'.repeat(24);

    it('reads identities with roles and an optional customer scope, keeping only token digests', () => {
      const config = loadConfig({ ...base, SDO_API_TOKENS: ` alice:manager:${aliceToken} , bob:viewer:${bobToken}:CUST-1` });
      expect(config.apiTokens).toEqual([
        { name: 'alice', role: 'manager', tokenSha256: sha256Hex(aliceToken) },
        { name: 'bob', role: 'viewer', tokenSha256: sha256Hex(bobToken), customerId: 'CUST-1' },
      ]);
      expect(JSON.stringify(config)).not.toContain(aliceToken);
    });

    it('names each wrong entry without quoting its token', () => {
      let error: unknown;
      try {
        loadConfig({ ...base, SDO_API_TOKENS: `alice:root:${aliceToken},bob:viewer:short-secret,carol,alice:admin:${aliceToken},dave:${bobToken}:viewer` });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('SDO_API_TOKENS entry 1 (alice) has role "root"');
      expect(problems).toContain('SDO_API_TOKENS entry 2 (bob) has a weak or malformed token');
      expect(problems).toContain('SDO_API_TOKENS entry 3 (carol) must look like name:role:token');
      expect(problems).toContain('SDO_API_TOKENS entry 4 (alice) repeats the name alice');
      expect(problems).toContain("reuses another entry's token");
      expect(problems).toContain('SDO_API_TOKENS entry 5 (dave) has an unknown role');
      expect(problems).not.toContain(bobToken);
      expect(problems).not.toContain('short-secret');
      expect(problems).not.toContain(aliceToken);
    });
  });
});
