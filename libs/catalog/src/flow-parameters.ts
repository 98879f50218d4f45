import { SECURITY_ITEMS, type SecurityItem } from '@sdo/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  MaxLength,
  Max,
  Min,
  registerDecorator,
  ValidationOptions,
} from 'class-validator';
import { CONSULTANT_LEVELS, ConsultantLevel, isHalfDaySteps, TaskRole } from '@sdo/contracts';
import { IsNestedObject, IsNotBlank, IsOmittable } from './validators';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` naming a day that exists (`2026-02-30` is refused). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoDate',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a calendar date YYYY-MM-DD that exists, e.g. 2026-12-31', ...options },
      validator: { validate: isIsoDate },
    });
}

/** Person-days come in half-day steps: 0.5, 1, 1.5 … */
export function IsHalfDays(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isHalfDays',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a positive number of days in half-day steps (0.5, 1, 1.5 …)', ...options },
      validator: { validate: isHalfDaySteps },
    });
}

const PERSON = { description: 'Who works tasks of this role (name or login)', example: 'li.wei' };

/** Who works each role's tasks; roles not named go to the manager who starts the delivery. */
export class TaskAssigneesDto implements Partial<Record<TaskRole, string>> {
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) 'delivery-manager'?: string;
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) consultant?: string;
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) engineer?: string;
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) 'security-engineer'?: string;
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) trainer?: string;
  @ApiPropertyOptional(PERSON) @IsOmittable() @IsString() @IsNotBlank() @MaxLength(100) architect?: string;
}

/** `{ stepCode: days }`: positive numbers of days, at most a year. */
export function IsSlaDays(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSlaDays',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must map step codes to days until due (more than 0, at most 365)', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 20 &&
          Object.values(value).every((d) => typeof d === 'number' && Number.isFinite(d) && d > 0 && d <= 365),
      },
    });
}

/** What every catalog-flow product takes: who works the tasks and what was agreed. */
export class CatalogFlowParametersDto {
  @ApiPropertyOptional({
    description: "The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)",
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { design: 5 },
  })
  @IsOmittable()
  @IsSlaDays()
  slaDays?: Record<string, number>;

  @ApiPropertyOptional({ description: 'Assignee per task role', type: TaskAssigneesDto })
  @IsOmittable()
  @IsNestedObject(() => TaskAssigneesDto)
  assignees?: TaskAssigneesDto;

  @ApiPropertyOptional({ description: 'What the contract agrees, in a few words', maxLength: 2000 })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  scope?: string;
}

/** 现场服务包: a package of 12 or 24 person-days, valid until a date. */
export class OnsitePackageParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Person-days the package holds', enum: [12, 24], example: 12 })
  @IsIn([12, 24], { message: 'must be 12 or 24 (the package sizes the catalog sells)' })
  personDays!: 12 | 24;

  @ApiProperty({ description: 'Last day the package may be used; it closes at the end of that day (UTC)', example: '2027-06-30' })
  @IsIsoDate()
  validUntil!: string;
}

/** 现场服务: a consultant on site for an agreed number of person-days, at least one. */
export class OnsiteServiceParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Agreed person-days (at least 1, half-day steps)', minimum: 1, maximum: 365, example: 3 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1, { message: 'must be at least 1 person-day (the catalog minimum)' })
  @Max(365)
  @IsHalfDays()
  personDays!: number;

  @ApiProperty({ description: 'Consultant level agreed', enum: CONSULTANT_LEVELS })
  @IsIn(CONSULTANT_LEVELS)
  level!: ConsultantLevel;

  @ApiPropertyOptional({ description: 'Last day the person-days may be used', example: '2027-06-30' })
  @IsOmittable()
  @IsIsoDate()
  validUntil?: string;
}

/** 驻场服务: a resident consultant, at least one month, priced per person-month. */
export class ResidentServiceParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Contracted months (at least 1)', minimum: 1, maximum: 60, example: 6 })
  @IsInt()
  @Min(1, { message: 'must be at least 1 month (the catalog minimum)' })
  @Max(60)
  months!: number;

  @ApiProperty({ description: 'First day of residence', example: '2027-01-04' })
  @IsIsoDate()
  startsOn!: string;

  @ApiProperty({ description: 'Consultant level agreed', enum: CONSULTANT_LEVELS })
  @IsIn(CONSULTANT_LEVELS)
  level!: ConsultantLevel;
}

/** The protection items 安全防护服务 sells are defined once, with the task plans that carry them out. */
export { SECURITY_ITEMS, type SecurityItem } from '@sdo/contracts';

/** 安全防护服务: the items the customer contracted; each becomes a task of 服务交付. */
export class SecurityProtectionParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Contracted protection items', isArray: true, enum: SECURITY_ITEMS, example: ['vulnerability-scan', 'penetration-test'] })
  @IsArray()
  @ArrayNotEmpty({ message: 'must name at least one contracted item' })
  @ArrayMaxSize(SECURITY_ITEMS.length)
  @ArrayUnique({ message: 'must name each item once' })
  @IsIn(SECURITY_ITEMS, { each: true, message: `each item must be one of ${SECURITY_ITEMS.join(', ')}` })
  items!: SecurityItem[];
}

/** Upper bounds of a contract's case SLAs: a first response within 30 days, a resolution within a year. */
export const MAX_RESPOND_HOURS = 720;
export const MAX_RESOLVE_HOURS = 8760;

/** The contract's support SLAs, counted from a case's opening (minutes are the finest grain: at least 1/60 hour). */
export class CaseSlaDto {
  @ApiProperty({ description: 'Hours until the first response is due', minimum: 1 / 60, maximum: MAX_RESPOND_HOURS, example: 4 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1 / 60, { message: 'must be a positive number of hours (at least one minute, 1/60)' })
  @Max(MAX_RESPOND_HOURS, { message: `must be at most ${MAX_RESPOND_HOURS} hours (30 days)` })
  respondWithinHours!: number;

  @ApiProperty({
    description: 'Hours until the resolution is due (not less than respondWithinHours)',
    minimum: 1 / 60,
    maximum: MAX_RESOLVE_HOURS,
    example: 40,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1 / 60, { message: 'must be a positive number of hours (at least one minute, 1/60)' })
  @Max(MAX_RESOLVE_HOURS, { message: `must be at most ${MAX_RESOLVE_HOURS} hours (a year)` })
  resolveWithinHours!: number;
}

/** Ongoing support (定制开发维护 / 历史版本基础运维): a subscription period. */
export class SubscriptionParametersDto extends CatalogFlowParametersDto {
  @ApiPropertyOptional({
    description: "The contract's case SLAs; without them a first response is due within 1 day (24 h) and a resolution within 5 days (120 h)",
    type: CaseSlaDto,
  })
  @IsOmittable()
  @IsNestedObject(() => CaseSlaDto)
  caseSla?: CaseSlaDto;

  @ApiProperty({ description: 'First day of the subscription', example: '2027-01-01' })
  @IsIsoDate()
  startsOn!: string;

  @ApiProperty({ description: 'Last day of the subscription', example: '2027-12-31' })
  @IsIsoDate()
  endsOn!: string;
}

/** The automated service a step runs as a child (信创, 系统迁移: a database conversion): its environments and parameters, checked as that service's start. */
export class ChildConversionRequestDto {
  @ApiProperty({
    description: 'Environment ID per role of the database conversion: { "source": "<uuid>", "target": "<uuid>" }',
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
  })
  @IsObject()
  environments!: Record<string, string>;

  @ApiProperty({ description: 'Parameters of the database conversion (its own schema)', type: 'object', additionalProperties: true })
  @IsObject()
  parameters!: Record<string, unknown>;
}

/** 信创 / 系统迁移: with `conversion`, the delivery step converts the database as a child delivery and completes when it is accepted. */
export class ChildServiceParametersDto extends CatalogFlowParametersDto {
  @ApiPropertyOptional({
    description: 'The database conversion the delivery step runs as a child delivery; without it the step is a task people do',
    type: ChildConversionRequestDto,
  })
  @IsOmittable()
  @IsNestedObject(() => ChildConversionRequestDto)
  conversion?: ChildConversionRequestDto;
}

/** 私有部署与运维支持: O&M runs until the contract ends. */
export class PrivateDeploymentParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Last day of the O&M contract', example: '2027-12-31' })
  @IsIsoDate()
  operationsUntil!: string;
}

/** 培训服务: courses and how many sessions. */
export class TrainingParametersDto extends CatalogFlowParametersDto {
  @ApiProperty({ description: 'Courses agreed', isArray: true, type: String, example: ['General ledger for accountants'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(200, { each: true })
  courses!: string[];

  @ApiProperty({ description: 'Number of sessions', minimum: 1, maximum: 200, example: 4 })
  @IsInt()
  @Min(1)
  @Max(200)
  sessions!: number;
}
