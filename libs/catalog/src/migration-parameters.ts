import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { MAX_SOURCE_QUERY_LENGTH, queryProblem } from '@sdo/contracts';
import type { DataMigrationParameters, MigrationColumnRule, MigrationFilter, MigrationFilterOp, MigrationMapping, MigrationSource } from '@sdo/contracts';
import { IsNestedObject, IsNotBlank, IsOmittable, IsScalar, IsTextMap } from './validators';

const FILTER_OPS: MigrationFilterOp[] = ['=', '<>', '>', '>=', '<', '<=', 'in', 'not in', 'is null', 'is not null'];

export class MigrationFilterDto implements MigrationFilter {
  @ApiProperty({ description: 'Source column the condition tests' })
  @IsString()
  @MaxLength(128)
  column!: string;

  @ApiProperty({ description: 'Comparison', enum: FILTER_OPS })
  @IsIn(FILTER_OPS)
  op!: MigrationFilterOp;

  @ApiPropertyOptional({
    description: 'Value compared with (a list for in / not in); compared as numbers when both sides are numeric',
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', maxItems: 1000, items: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
    ],
  })
  @IsOmittable()
  @IsScalar({ list: true })
  value?: string | number | boolean | (string | number)[];
}

/** Holds when `sibling` is (`given`) or is not given next to the decorated property. */
function SiblingGiven(sibling: string, given: boolean, message: string, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'siblingGiven',
      target: object.constructor,
      propertyName,
      options: { message, ...options },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => ((args.object as Record<string, unknown>)[sibling] !== undefined) === given,
      },
    });
}

/** A query source the engines will read as a derived table (see `queryProblem`). */
function IsSourceQuery(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isSourceQuery',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && queryProblem(value) === undefined,
        defaultMessage: (args?: ValidationArguments) => `${queryProblem(String(args?.value)) ?? 'is not a query'}`,
      },
    });
}

export class MigrationSourceDto {
  @ApiPropertyOptional({ description: 'Source table (as the old product spells it); it needs a primary or NOT NULL unique key. Give `table` or `query`.' })
  @ValidateIf((o: MigrationSourceDto) => o.query === undefined || o.table !== undefined)
  @IsString()
  @MaxLength(128)
  table?: string;

  @ApiPropertyOptional({
    description:
      'Instead of a table: one SELECT (or WITH … SELECT) over the old product, read in chunks as a derived table, each read in a READ ONLY transaction with a statement timeout. ' +
      'No ";", no $ or backslash, parentheses balanced. Parsed at start by PostgreSQL\'s parser whatever the source engine (MySQL backtick names are read): no INTO, FOR UPDATE/SHARE or data-modifying WITH, ' +
      'and only side-effect-free built-in functions (text, number, date/time, conditional, aggregate, window, JSON reading, casts); checked against the source at assessment.',
    maxLength: MAX_SOURCE_QUERY_LENGTH,
    example: 'SELECT t.TrackId, t.Name, g.Name AS Genre FROM Track t LEFT JOIN Genre g ON g.GenreId = t.GenreId',
  })
  @ValidateIf((o: MigrationSourceDto) => o.query !== undefined)
  @IsString()
  @IsSourceQuery()
  @SiblingGiven('table', false, 'give either table or query, not both')
  query?: string;

  @ApiPropertyOptional({
    description: 'Result columns of `query` that are unique and never null: they order and checkpoint the load (required with query)',
    type: [String],
  })
  @ValidateIf((o: MigrationSourceDto) => o.query !== undefined || o.key !== undefined)
  @SiblingGiven('query', true, 'is only used with a query source')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  key?: string[];

  @ApiPropertyOptional({ description: 'Conditions every selected row meets (AND); rows that do not are counted as filtered out', type: [MigrationFilterDto] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsNestedObject(() => MigrationFilterDto, { each: true })
  filter?: MigrationFilterDto[];
}

export class MigrationValueMapDto {
  @ApiProperty({ description: 'Old value → new value (null allowed)', type: 'object', additionalProperties: { type: 'string', nullable: true } })
  @IsTextMap()
  map!: Record<string, string | null>;

  @ApiPropertyOptional({
    description: 'Value for an old value missing from the map; without it such a row is rejected with the reason',
    type: String,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  otherwise?: string | null;
}

export class MigrationLookupDto {
  @ApiProperty({ description: 'Target table loaded by an earlier mapping' })
  @IsString()
  @MaxLength(128)
  table!: string;

  @ApiProperty({ description: 'Column of that table matched with the value' })
  @IsString()
  @MaxLength(128)
  match!: string;

  @ApiProperty({ description: 'Column of that table whose value is used' })
  @IsString()
  @MaxLength(128)
  returns!: string;

  @ApiPropertyOptional({ description: 'When true a missing match gives null instead of rejecting the row' })
  @IsOmittable()
  @IsBoolean()
  optional?: boolean;
}

export class MigrationColumnRuleDto implements MigrationColumnRule {
  @ApiProperty({ description: 'Target column' })
  @IsString()
  @MaxLength(128)
  target!: string;

  @ApiPropertyOptional({
    description:
      "Expression over source columns: a column, a literal ('text', 42, null) or concat/upper/lower/trim/coalesce/substr/nullif(...); parsed, never pasted into SQL",
    example: "concat(FirstName, ' ', LastName)",
  })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  expr?: string;

  @ApiPropertyOptional({ description: 'Replaces the value through a table of old → new values', type: MigrationValueMapDto })
  @IsOmittable()
  @IsNestedObject(() => MigrationValueMapDto)
  valueMap?: MigrationValueMapDto;

  @ApiPropertyOptional({
    description: 'Replaces the value by a column of a row already loaded into the target (e.g. a new surrogate key)',
    type: MigrationLookupDto,
  })
  @IsOmittable()
  @IsNestedObject(() => MigrationLookupDto)
  lookup?: MigrationLookupDto;

  @ApiPropertyOptional({
    description: 'Value used when the expression gives null, or when there is no expression',
    oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
  })
  @IsOmittable()
  @IsScalar({ nullable: true })
  default?: string | number | boolean | null;
}

export class MigrationMappingDto implements MigrationMapping {
  @ApiProperty({ description: 'Name of the mapping in reports and errors' })
  @IsString()
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, { message: 'must be 1–64 letters, digits, spaces, _ . or -' })
  @IsNotBlank()
  name!: string;

  @ApiProperty({ description: 'Target table in targetSchema (must exist and be empty at cutover)' })
  @IsString()
  @MaxLength(128)
  target!: string;

  @ApiProperty({ description: 'Where the rows come from: a table or a query', type: MigrationSourceDto })
  @IsNestedObject(() => MigrationSourceDto)
  // Validated as MigrationSourceDto: exactly one of table / query (with its key) passes.
  source!: MigrationSource;

  @ApiProperty({ description: 'One rule per target column filled', type: [MigrationColumnRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsNestedObject(() => MigrationColumnRuleDto, { each: true })
  columns!: MigrationColumnRuleDto[];
}

/** Parameters of a data migration (数据迁移服务): mappings are checked against both schemas again at assessment. */
export class DataMigrationParametersDto implements DataMigrationParameters {
  @ApiPropertyOptional({ description: 'PostgreSQL schema of the new product in the target (default `public`)' })
  @IsOmittable()
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)' })
  targetSchema?: string;

  @ApiProperty({ description: 'Mappings, run in order (a look-up may use tables loaded by earlier ones)', type: [MigrationMappingDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsNestedObject(() => MigrationMappingDto, { each: true })
  mappings!: MigrationMappingDto[];

  @ApiPropertyOptional({ description: 'Rejected rows a rehearsal and a cutover may have (default 0)', minimum: 0 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  maxRejectedRows?: number;

  @ApiPropertyOptional({ description: 'Source rows per load chunk (one transaction and checkpoint each)', minimum: 1, maximum: 100000 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(100_000)
  chunkRows?: number;

  @ApiPropertyOptional({
    description: 'Longest one read of the source may run, in seconds (default 300); a query source that takes longer fails the delivery instead of retrying',
    minimum: 1,
    maximum: 86400,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(86_400)
  sourceStatementTimeoutSeconds?: number;
}
