import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PARALLEL_TABLES, type DatabaseConversionParameters, type TargetNaming } from '@sdo/contracts';
import { IsOmittable } from './validators';

/** Parameters of a database conversion (数据库转换服务): MySQL/MariaDB or SQLite → PostgreSQL. */
export class DatabaseConversionParametersDto implements DatabaseConversionParameters {
  @ApiPropertyOptional({ description: 'PostgreSQL schema the converted tables are created in (default `public`); it must not hold them yet', example: 'erp' })
  @IsOmittable()
  @IsString()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)' })
  targetSchema?: string;

  @ApiPropertyOptional({ description: 'Target naming of tables and columns: `snake` (default, InvoiceLine → invoice_line), `lower`, or `preserve` (quoted as in the source)', enum: ['preserve', 'lower', 'snake'] })
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

  @ApiPropertyOptional({ description: 'Rows per copy chunk (one transaction and checkpoint each); default the engine default', minimum: 100, maximum: 1000000 })
  @IsOmittable()
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  chunkRows?: number;

  @ApiPropertyOptional({ description: `Copy and verify activities running at the same time (default ${DEFAULT_PARALLEL_TABLES}, largest tables first); 1 runs them one by one. Small tables share an activity.`, minimum: 1, maximum: 8 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(8)
  parallelTables?: number;

  @ApiPropertyOptional({ description: 'Copy throughput measured for this customer (rows/s), used for the estimate; default the data-engine bench figure', minimum: 1 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  throughputRowsPerSecond?: number;
}
