import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { DEFAULT_PARALLEL_TABLES, type DatabaseConversionParameters, type TargetNaming } from '@sdo/contracts';
import { IsOmittable } from './validators';

/** `table.column` as the source spells them: one dot, neither side empty. */
const COLUMN_PATH = /^[^.]{1,128}\.[^.]{1,128}$/;
/** Target types `columnTypes` may name (CASTING.md: spatial columns). */
export const COLUMN_TYPE_TARGETS = ['point', 'path', 'polygon', 'text'] as const;

/** `{ "table.column": value }` with at most 5000 entries and each value accepted by `valid`. */
function IsColumnMap(valid: (v: unknown) => boolean, what: string, options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isColumnMap',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: `must map "table.column" keys to ${what}`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 5000 &&
          Object.entries(value).every(([k, v]) => COLUMN_PATH.test(k) && valid(v)),
      },
    });
}

/** Parameters of a database conversion (数据库转换服务): MySQL/MariaDB or SQLite → PostgreSQL. */
export class DatabaseConversionParametersDto implements DatabaseConversionParameters {
  @ApiPropertyOptional({ description: 'PostgreSQL schema the converted tables are created in (default `public`); it must not hold them yet', example: 'erp' })
  @IsOmittable()
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)' })
  targetSchema?: string;

  @ApiPropertyOptional({
    description: 'Target naming of tables and columns: `snake` (default, InvoiceLine → invoice_line), `lower`, or `preserve` (quoted as in the source)',
    enum: ['preserve', 'lower', 'snake'],
  })
  @IsOmittable()
  @IsIn(['preserve', 'lower', 'snake'])
  naming?: TargetNaming;

  @ApiPropertyOptional({ description: 'Only these source tables (default: all); checked against the source at assessment', type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  tables?: string[];

  @ApiPropertyOptional({ description: 'Source tables to leave out', type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  exclude?: string[];

  @ApiPropertyOptional({
    description:
      'Source columns to leave out, as `table.column`; checked against the source at assessment. Keys, indexes and foreign keys using them are listed in the plan and not created.',
    type: [String],
    example: ['customer.legacy_blob'],
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @Matches(COLUMN_PATH, { each: true, message: 'each entry must be "table.column"' })
  excludeColumns?: string[];

  @ApiPropertyOptional({
    description: `Target type per \`table.column\`, for the conversions CASTING.md documents: a MySQL spatial column → ${COLUMN_TYPE_TARGETS.join(', ')} (WKT). Default: POINT → point, other spatial types → text (WKT).`,
    type: 'object',
    additionalProperties: { type: 'string', enum: [...COLUMN_TYPE_TARGETS] },
    example: { 'store.area': 'polygon' },
  })
  @IsOmittable()
  @IsColumnMap((v) => (COLUMN_TYPE_TARGETS as readonly unknown[]).includes(v), `one of ${COLUMN_TYPE_TARGETS.join(', ')}`)
  columnTypes?: Record<string, string>;

  @ApiPropertyOptional({
    description: 'Target column name per `table.column` (instead of the naming style)',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'customer.fname': 'first_name' },
  })
  @IsOmittable()
  @IsColumnMap((v) => typeof v === 'string' && v.length > 0 && !v.includes('\0') && Buffer.byteLength(v) <= 63, 'a column name (1 to 63 bytes)')
  rename?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Rows per copy chunk (one transaction and checkpoint each); default the engine default', minimum: 100, maximum: 1000000 })
  @IsOmittable()
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  chunkRows?: number;

  @ApiPropertyOptional({
    description: `Copy and verify activities running at the same time (default ${DEFAULT_PARALLEL_TABLES}, largest tables first); 1 runs them one by one. Small tables share an activity.`,
    minimum: 1,
    maximum: 8,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(8)
  parallelTables?: number;

  @ApiPropertyOptional({
    description: 'Copy throughput measured for this customer (rows/s), used for the estimate; default the data-engine bench figure',
    minimum: 1,
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  throughputRowsPerSecond?: number;
}
