import { Body, Controller, HttpCode, Inject, Logger, Post, Headers, UnprocessableEntityException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, type SdoConfig } from '@sdo/config';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { SDO_CONFIG } from '../infrastructure/tokens';
import { invalidRequest } from '../infrastructure/validation';
import { CodecPayloadDto, CodecPayloadsDto } from './codec.dto';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Temporal's remote codec protocol (POST {endpoint}/encode and /decode with `{ payloads }`), so
 * engineers read sealed payloads in the Temporal Web UI and CLI. Engineers and admins only: an
 * opened payload may hold any customer's parameters and reports.
 */
@ApiTags('codec')
@ApiBearerAuth()
@Controller({ path: 'codec', version: VERSION_NEUTRAL })
export class CodecController {
  private readonly logger = new Logger(CodecController.name);
  private readonly codec: AesGcmPayloadCodec;

  constructor(@Inject(SDO_CONFIG) private readonly config: SdoConfig) {
    this.codec = new AesGcmPayloadCodec(config.payloadKeys);
  }

  @Post('decode')
  @HttpCode(200)
  @RequiresRole('engineer')
  @ApiOperation({ summary: 'Open sealed Temporal payloads (plaintext ones come back as they are)' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  @ApiUnprocessableEntityResponse({ description: 'A payload is sealed with a key SDO does not have, or does not open with it; `details` names it' })
  async decode(@CurrentActor() actor: Actor, @Body() body: CodecPayloadsDto, @Headers('x-namespace') namespace?: string) {
    const payloads = this.read(body, namespace);
    const opened: Payload[] = [];
    for (const [index, payload] of payloads.entries()) {
      try {
        opened.push(...(await this.codec.decode([payload])));
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new UnprocessableEntityException({ message: `payloads[${index}] ${reason}`, details: [{ field: `payloads[${index}]`, reason }] });
      }
    }
    this.logger.log(`${actor.name} opened ${opened.length} payload(s)`);
    return { payloads: opened.map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  @RequiresRole('engineer')
  @ApiOperation({ summary: 'Seal Temporal payloads with the current payload key' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  async encode(@Body() body: CodecPayloadsDto, @Headers('x-namespace') namespace?: string) {
    return { payloads: (await this.codec.encode(this.read(body, namespace))).map(toJson) };
  }

  private read(body: CodecPayloadsDto, namespace: string | undefined): Payload[] {
    const problems: { field: string; reason: string }[] = [];
    if (namespace !== undefined && namespace !== this.config.temporal.namespace)
      problems.push({ field: 'x-namespace', reason: `must be ${this.config.temporal.namespace}, the namespace SDO's payload keys are for` });
    const payloads = body.payloads.map((p: CodecPayloadDto, i) => {
      const metadata: Record<string, Uint8Array> = {};
      for (const [key, value] of Object.entries(p.metadata)) {
        if (typeof value !== 'string' || !BASE64.test(value)) problems.push({ field: `payloads[${i}].metadata.${key}`, reason: 'must be base64' });
        else metadata[key] = Buffer.from(value, 'base64');
      }
      if (p.data !== undefined && !BASE64.test(p.data)) problems.push({ field: `payloads[${i}].data`, reason: 'must be base64' });
      return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
    });
    if (problems.length) throw invalidRequest(problems);
    return payloads;
  }
}

function toJson(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}
