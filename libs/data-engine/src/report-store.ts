import { PostgresConnector } from './connectors/postgres';
import { quotePg } from './identifiers';
import { CONTROL_SCHEMA, ensureControlSchema } from './checkpoint';

/** Where plans, introspections and verification reports live; activities only pass their IDs around. */
export interface DataReportStore {
  save(jobId: string, kind: string, body: unknown): Promise<string>;
  load<T>(id: string): Promise<T | null>;
}

/** A report store in any PostgreSQL database (the app database, or the target), table `sdo_copy.report`. */
export class PgReportStore implements DataReportStore {
  private readonly conn: PostgresConnector;
  private ready: Promise<void> | null = null;

  constructor(url: string) {
    this.conn = new PostgresConnector(url, 2);
  }

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.conn.pool.connect();
      try {
        await ensureControlSchema(client);
      } finally {
        client.release();
      }
    })().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async save(jobId: string, kind: string, body: unknown): Promise<string> {
    await this.ensure();
    const [r] = await this.conn.query(`INSERT INTO ${quotePg(CONTROL_SCHEMA)}.report (job_id, kind, body) VALUES ($1, $2, $3::jsonb) RETURNING id::text`, [
      jobId,
      kind,
      JSON.stringify(body),
    ]);
    return r![0]!;
  }

  async load<T>(id: string): Promise<T | null> {
    await this.ensure();
    const [r] = await this.conn.query<[string]>(`SELECT body::text FROM ${quotePg(CONTROL_SCHEMA)}.report WHERE id = $1::uuid`, [id]);
    return r ? (JSON.parse(r[0]) as T) : null;
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}
