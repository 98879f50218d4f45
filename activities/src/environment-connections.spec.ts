import { openSource } from '@sdo/data-engine';
import type { ConnectionSettings } from '@sdo/persistence';
import { testStack } from '@sdo/testing';
import { toEngineConnection } from './environment-connections';

const settings = (overrides: Partial<ConnectionSettings>): ConnectionSettings => ({
  environmentId: 'e1',
  engine: 'postgres',
  host: '10.0.0.5',
  port: 5432,
  database: 'erp',
  user: 'u@x',
  password: 'p:w',
  ssl: false,
  ...overrides,
});

describe('toEngineConnection', () => {
  it('brackets IPv6 addresses, so the URL parses and names the right host', () => {
    const pg = toEngineConnection(settings({ host: '::1' }));
    expect(pg).toEqual({ engine: 'postgres', url: 'postgres://u%40x:p%3Aw@[::1]:5432/erp' });
    expect(new URL((pg as { url: string }).url).hostname).toBe('[::1]');
    const my = toEngineConnection(settings({ engine: 'mysql', host: 'fd12::7', port: 3306 }));
    expect(new URL((my as { url: string }).url)).toMatchObject({ hostname: '[fd12::7]', port: '3306' });
  });

  it('verifies TLS against the registered name while connecting to the checked address', () => {
    expect(toEngineConnection(settings({ ssl: true, tlsServerName: 'erp-db.acme.example' }))).toEqual({
      engine: 'postgres',
      url: 'postgres://u%40x:p%3Aw@10.0.0.5:5432/erp',
      tlsServerName: 'erp-db.acme.example',
    });
    expect(toEngineConnection(settings({ ssl: true }))).toEqual({ engine: 'postgres', url: 'postgres://u%40x:p%3Aw@10.0.0.5:5432/erp?sslmode=require' });
  });

  it.each(['postgres', 'mysql'] as const)(
    'connects to %s over an IPv6 address (IPv4-mapped loopback: the test servers listen on 127.0.0.1)',
    async (engine) => {
      const server = engine === 'postgres' ? testStack().postgresUrl : testStack().mysqlUrl;
      if (!server) return; // a run without MariaDB
      const url = new URL(server);
      const source = openSource(
        toEngineConnection(
          settings({
            engine,
            host: '::ffff:127.0.0.1',
            port: Number(url.port),
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password),
            database: engine === 'postgres' ? 'postgres' : 'information_schema',
          }),
        ),
      );
      try {
        expect(
          await source.countRows(engine === 'postgres' ? { schema: 'pg_catalog', name: 'pg_database' } : { schema: 'information_schema', name: 'ENGINES' }),
        ).toBeGreaterThan(0);
      } finally {
        await source.close();
      }
    },
  );
});
