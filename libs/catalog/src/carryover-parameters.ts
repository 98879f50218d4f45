import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import type { CarryoverParameters, DatedTable, LedgerDeclaration } from '@sdo/contracts';
import { IsNestedObject, IsNotBlank, IsOmittable } from './validators';

const IDENTIFIER = /^[^\0"]{1,63}$/;
const IDENTIFIER_MESSAGE = { message: 'must be a table or column name (1–63 characters, no quotes)' };

export class DatedTableDto implements DatedTable {
  @ApiProperty({ description: 'Document (header) table; its lines move with it, found through their foreign keys', example: 'sales_orders' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  table!: string;

  @ApiProperty({ description: 'Date or timestamp column deciding whether a document is historical', example: 'order_date' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  dateColumn!: string;
}

export class LedgerDeclarationDto implements LedgerDeclaration {
  @ApiProperty({ description: 'Voucher header table (also listed in `tables`)', example: 'vouchers' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  voucherTable!: string;

  @ApiProperty({ description: 'Voucher entry table, a child of the voucher table', example: 'voucher_entries' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  entryTable!: string;

  @ApiProperty({ description: 'Entry column holding the account', example: 'account_id' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  accountColumn!: string;

  @ApiProperty({ description: 'Entry debit amount column', example: 'debit' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  debitColumn!: string;

  @ApiProperty({ description: 'Entry credit amount column', example: 'credit' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  creditColumn!: string;

  @ApiPropertyOptional({
    description: 'Voucher columns balances are kept apart by (one opening voucher per value), e.g. the organisation',
    type: [String],
    example: ['org_id'],
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(IDENTIFIER, { each: true, ...IDENTIFIER_MESSAGE })
  partitionColumns?: string[];
}

/** Parameters of a data carryover (数据结转服务). Environments: `source` (live database), `target` (archive). */
export class CarryoverParametersDto implements CarryoverParameters {
  @ApiProperty({ description: 'First period (YYYY-MM) that stays live; documents dated before it are archived and purged', example: '2024-01' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a period YYYY-MM' })
  cutoffPeriod!: string;

  @ApiProperty({ description: 'Document tables and their date columns', type: [DatedTableDto] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1000)
  @IsNestedObject(() => DatedTableDto, { each: true })
  tables!: DatedTableDto[];

  @ApiPropertyOptional({ description: 'The general ledger whose balances are carried forward', type: LedgerDeclarationDto })
  @IsOmittable()
  @IsNestedObject(() => LedgerDeclarationDto)
  ledger?: LedgerDeclarationDto;

  @ApiPropertyOptional({ description: 'Rows deleted per purge transaction (default 5000)', minimum: 100, maximum: 1000000 })
  @IsOmittable()
  @IsInt()
  @Min(100)
  @Max(1_000_000)
  batchSize?: number;

  @ApiPropertyOptional({ description: 'PostgreSQL schema of the live data (default `public`)' })
  @IsOmittable()
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  schema?: string;
}
