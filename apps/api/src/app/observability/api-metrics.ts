import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { SdoConfig } from '@sdo/config';
import { SERVICE_TYPES } from '@sdo/contracts';
import type { HttpRequest } from '../infrastructure/http';
import { SDO_CONFIG } from '../infrastructure/tokens';

interface FinishingResponse {
  statusCode: number;
  once(event: 'finish', listener: () => void): void;
}

/**
 * The API's Prometheus series, served on their own port (`SDO_API_METRICS_PORT`) so the control
 * API's authentication does not stand in a scraper's way and the API port shows no internals.
 * Delivery counts come from the app database at scrape time: it is the record, whichever API
 * instance started the delivery and whichever worker finished it.
 */
@Injectable()
export class ApiMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiMetrics.name);
  readonly registry = new Registry();
  private server: Server | undefined;
  readonly httpDuration = new Histogram({
    name: 'sdo_http_request_duration_seconds',
    help: 'Control API request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(
    @Inject(SDO_CONFIG) private readonly config: SdoConfig,
    dataSource: DataSource,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'sdo_api_' });
    const deliveries = (name: string, help: string, where: string) =>
      new Counter({
        name,
        help,
        labelNames: ['service'] as const,
        registers: [this.registry],
        collect: async function (this: Counter<'service'>) {
          const rows: { service: string; n: number }[] = await dataSource.query(
            `SELECT service_type AS service, count(*)::int AS n FROM deliveries WHERE ${where} GROUP BY 1`,
          );
          this.reset();
          for (const service of SERVICE_TYPES) this.inc({ service }, 0);
          for (const r of rows) this.inc({ service: r.service }, r.n);
        },
      });
    deliveries('sdo_deliveries_started_total', 'Deliveries whose workflow was started, per service (product)', 'started_at IS NOT NULL');
    deliveries('sdo_deliveries_completed_total', 'Deliveries accepted and completed, per service', "phase = 'completed'");
    deliveries('sdo_deliveries_failed_total', 'Deliveries that failed, per service', "phase = 'failed'");
    const waiting = new Gauge({
      name: 'sdo_gate_waiting_deliveries',
      help: 'Deliveries waiting at each gate now',
      labelNames: ['gate'] as const,
      registers: [this.registry],
    });
    new Gauge({
      name: 'sdo_gate_waiting_seconds',
      help: 'Longest current wait at each gate (since the delivery last moved)',
      labelNames: ['gate'] as const,
      registers: [this.registry],
      collect: async function (this: Gauge<'gate'>) {
        const rows: { gate: string; n: number; longest: number }[] = await dataSource.query(
          `SELECT awaiting AS gate, count(*)::int AS n, EXTRACT(EPOCH FROM max(now() - updated_at))::float8 AS longest
             FROM deliveries WHERE awaiting IS NOT NULL GROUP BY 1`,
        );
        this.reset();
        waiting.reset();
        for (const r of rows) {
          this.set({ gate: r.gate }, r.longest);
          waiting.set({ gate: r.gate }, r.n);
        }
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { host, apiPort } = this.config.metrics;
    if (apiPort === undefined) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        (err: unknown) => {
          this.logger.warn(`metrics scrape failed: ${err instanceof Error ? err.message : String(err)}`);
          res.writeHead(503).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(apiPort, host, resolve));
    this.logger.log(`metrics on http://${host}:${this.port()}/metrics`);
  }

  /** The bound port (a test configures 0 and asks). */
  port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Times every request; the route is Express' pattern (`/v1/deliveries/:id`), never the raw URL with its IDs. */
export function httpMetrics(metrics: ApiMetrics) {
  return (request: HttpRequest & { route?: { path?: string }; baseUrl?: string }, response: FinishingResponse, next: () => void): void => {
    const end = metrics.httpDuration.startTimer({ method: request.method });
    response.once('finish', () => {
      const route = request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched';
      end({ route, status: String(response.statusCode) });
    });
    next();
  };
}
