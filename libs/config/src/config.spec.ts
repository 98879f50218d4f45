import { ConfigError, loadConfig } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/sdo', SDO_SECRETS_KEY: KEY });
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: undefined, apiKey: undefined });
    expect(config.gates).toEqual({ reminderEvery: '1 day', escalateAfter: '3 days' });
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

  it('requires the app database and the secrets key', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required[\s\S]*SDO_SECRETS_KEY is required/);
  });

  it('turns on TLS for an API key (Temporal Cloud)', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://h/db', SDO_SECRETS_KEY: KEY, TEMPORAL_API_KEY: 'k', TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233' });
    expect(config.temporal.tls).toBeDefined();
    expect(config.temporal.apiKey).toBe('k');
  });
});
