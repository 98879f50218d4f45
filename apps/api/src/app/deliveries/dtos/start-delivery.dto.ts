import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, registerDecorator, ValidateIf, ValidationOptions, isUUID } from 'class-validator';
import { HEAVY_WORK_MODES, MAX_HEAVY_WORK_HOLDERS, SERVICE_TYPES, ServiceType } from '@sdo/contracts';
import { CUSTOMER_ID_PATTERN } from '../../environments/dtos/environment.dto';
import { catalogServices, IsIsoInstant, IsNestedObject, IsNotBlank, IsOmittable } from '@sdo/catalog';
import { IsTimeZone } from './time-zone';

const ORDER_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** ISO-8601 instant with an explicit offset: a maintenance window must not depend on a server's time zone. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** `ms`-style durations, as Temporal timers take them. */
export const DURATION = /^\d+(\.\d+)?\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

/** `{ role: environmentId }` with UUID values. */
export function IsEnvironmentMap(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isEnvironmentMap',
      target: object.constructor,
      propertyName,
      options: { message: 'must map each role (e.g. "target") to an environment ID (UUID)', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= 8 && entries.every(([role, id]) => /^[a-z][a-z-]{0,31}$/.test(role) && typeof id === 'string' && isUUID(id));
        },
      },
    });
}

export class CutoverWindowDto {
  @ApiProperty({ description: 'When the maintenance window opens: ISO-8601 with an offset', example: '2026-12-05T22:00:00+08:00' })
  @IsString()
  @IsIsoInstant()
  startsAt!: string;

  @ApiProperty({ description: 'How long the window lasts, in minutes', minimum: 1, maximum: 10080, example: 240 })
  @IsInt()
  @Min(1)
  @Max(10080)
  durationMinutes!: number;
}

export class GatePolicyDto {
  @ApiProperty({ description: 'How often a waiting gate reminds the people it waits for', example: '1 day' })
  @Matches(DURATION, { message: 'must be a duration such as "4 hours" or "1 day"' })
  reminderEvery!: string;

  @ApiProperty({ description: 'How long a gate may wait before it is escalated', example: '3 days' })
  @Matches(DURATION, { message: 'must be a duration such as "2 days"' })
  escalateAfter!: string;
}

export class ConcurrentHeavyWorkDto {
  @ApiProperty({
    description:
      'exclusive (default): no other delivery runs heavy work (copies, verifications, backups) on these environments meanwhile; shared: deliveries that also share may, up to maxHolders at once',
    enum: HEAVY_WORK_MODES,
  })
  @IsIn(HEAVY_WORK_MODES)
  mode!: (typeof HEAVY_WORK_MODES)[number];

  @ApiPropertyOptional({
    description: 'With mode shared: how many deliveries at most run heavy work on one environment at once, this one included (default 2)',
    minimum: 2,
    maximum: MAX_HEAVY_WORK_HOLDERS,
  })
  @ValidateIf((o: ConcurrentHeavyWorkDto) => o.maxHolders !== undefined)
  @IsInt()
  @Min(2)
  @Max(MAX_HEAVY_WORK_HOLDERS)
  maxHolders?: number;
}

/** Every product's parameters DTO, each documented as its own schema. */
const PARAMETER_DTOS = [...new Set(catalogServices().map((s) => s.parameters))];

/** Documented as one schema per service (deliveries/service-openapi.ts); validated as one class, then per service by the catalog. */
@ApiExtraModels(...PARAMETER_DTOS)
export class StartDeliveryDto {
  @ApiProperty({ description: 'Catalog code of the product to deliver (GET /v1/catalog/services)', enum: SERVICE_TYPES })
  @IsIn(SERVICE_TYPES)
  serviceType!: ServiceType;

  @ApiProperty({ description: "The customer's ID; the environments must belong to this customer", example: 'CUST-0042' })
  @Matches(CUSTOMER_ID_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-'" })
  customerId!: string;

  @ApiProperty({ description: 'Sales order number; one delivery per service and order (it is the workflow ID)', example: 'SO-2026-0042' })
  @Matches(ORDER_NO_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit" })
  orderNo!: string;

  @ApiPropertyOptional({
    description: 'Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none',
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    example: { target: '0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55' },
  })
  @IsOmittable()
  @IsEnvironmentMap()
  environments?: Record<string, string>;

  @ApiProperty({
    description: 'Service parameters, validated per service type',
    oneOf: PARAMETER_DTOS.map((dto) => ({ $ref: getSchemaPath(dto) })),
  })
  @IsObject()
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate',
    example: 'CT-2026-118',
  })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  contractRef?: string;

  @ApiPropertyOptional({
    description: "The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants",
    example: 'Asia/Shanghai',
    maxLength: 64,
  })
  @IsOmittable()
  @IsTimeZone()
  customerTimeZone?: string;

  @ApiPropertyOptional({ description: 'The maintenance window cutover waits for (automated services); managers can move it later', type: CutoverWindowDto })
  @IsOmittable()
  @IsNestedObject(() => CutoverWindowDto)
  cutoverWindow?: CutoverWindowDto;

  @ApiPropertyOptional({
    description: 'How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER',
    type: GatePolicyDto,
  })
  @IsOmittable()
  @IsNestedObject(() => GatePolicyDto)
  gatePolicy?: GatePolicyDto;

  @ApiPropertyOptional({
    description: 'Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive)',
    type: ConcurrentHeavyWorkDto,
  })
  @IsOmittable()
  @IsNestedObject(() => ConcurrentHeavyWorkDto)
  concurrentHeavyWork?: ConcurrentHeavyWorkDto;
}
