import type { ConnectionSettings } from '../model';
import type { SourceConnector, SourceSessionOptions } from './connector';
import { MysqlConnector } from './mysql';
import { PostgresConnector } from './postgres';
import { SqliteConnector } from './sqlite';

export * from './connector';
export { MysqlConnector, canonicalExprMysql } from './mysql';
export { PostgresConnector, canonicalExprPg, createPgPool } from './postgres';
export { SqliteConnector } from './sqlite';

/** The one place that knows which class serves which engine. */
export function openSource(settings: ConnectionSettings, session: SourceSessionOptions = {}): SourceConnector {
  switch (settings.engine) {
    case 'postgres':
      return new PostgresConnector(settings, 4, session);
    case 'mysql':
      return new MysqlConnector(settings.url, 4, session);
    case 'sqlite':
      return new SqliteConnector(settings.path);
  }
}
