import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 100;
/** Deeper pages are refused rather than handed to PostgreSQL as an out-of-range OFFSET. */
export const MAX_OFFSET = 1_000_000;

export class PagingQuery {
  @ApiProperty({ description: `How many items to return (1–${MAX_PAGE_SIZE})`, required: false, default: 20, minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  @ApiProperty({ description: `How many items to skip (0–${MAX_OFFSET})`, required: false, default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
