import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TERMINAL_PHASES } from '@sdo/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/roles.decorator';
import { ApiOptions, DEFAULT_API_OPTIONS } from '../infrastructure/api-options';
import { UuidParam } from '../infrastructure/params';
import { API_OPTIONS } from '../infrastructure/tokens';
import { DeliveriesService } from './deliveries.service';

interface EventStream {
  status(code: number): unknown;
  setHeader(name: string, value: string): void;
  flushHeaders(): void;
  write(chunk: string): boolean;
  end(): void;
  writableEnded: boolean;
}
interface ClosableRequest {
  on(event: 'close', listener: () => void): unknown;
}

const KEEP_ALIVE_MS = 15_000;

/**
 * Live progress for the console as server-sent events: the delivery as `GET /v1/deliveries/{id}`
 * shows it, sent when it changes, until it ends or the client goes. Authenticated and confined like
 * that read (a delivery the caller may not see is a 404 before any event). Read with fetch and the
 * Authorization header: EventSource cannot send one, and a token never goes in a URL.
 */
@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveryEventsController {
  constructor(
    private readonly deliveries: DeliveriesService,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  @Get(':id/events')
  @ApiOperation({
    summary: 'Follow a delivery: server-sent events (`event: delivery`, data as GET /v1/deliveries/{id}) each time it changes, until it ends',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream; a comment line every 15 s keeps idle connections open' })
  async follow(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: ClosableRequest, @Res() res: EventStream): Promise<void> {
    let detail = await this.deliveries.get(actor, id); // 404 before the stream starts
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let open = true;
    req.on('close', () => (open = false));
    const everyMs = this.options.eventsEveryMs ?? DEFAULT_API_OPTIONS.eventsEveryMs;
    let sent = '';
    let seq = 0;
    let quietSince = Date.now();
    try {
      while (open) {
        const data = JSON.stringify(detail);
        if (data !== sent) {
          res.write(`id: ${++seq}\nevent: delivery\ndata: ${data}\n\n`);
          sent = data;
          quietSince = Date.now();
        } else if (Date.now() - quietSince >= KEEP_ALIVE_MS) {
          res.write(': still here\n\n');
          quietSince = Date.now();
        }
        if (TERMINAL_PHASES.includes(detail.phase) && (detail.live === null || TERMINAL_PHASES.includes(detail.live.phase))) break;
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        if (open) detail = await this.deliveries.get(actor, id);
      }
    } catch (err) {
      if (open) res.write(`event: failure\ndata: ${JSON.stringify({ message: err instanceof Error ? err.message : String(err) })}\n\n`);
    } finally {
      if (!res.writableEnded) res.end();
    }
  }
}
