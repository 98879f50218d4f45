import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsString, Matches, MaxLength } from 'class-validator';
import type { OrganisationColumn, OrgSplitParameters } from '@sdo/contracts';
import { IsNestedObject, IsNotBlank, IsOmittable } from './validators';

const IDENTIFIER = /^[^\0"]{1,63}$/;
const IDENTIFIER_MESSAGE = { message: 'must be a table or column name (1–63 characters, no quotes)' };

export class OrganisationColumnDto implements OrganisationColumn {
  @ApiProperty({ description: 'Table of the source schema', example: 'sales_orders' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  table!: string;

  @ApiProperty({ description: 'Its column holding the organisation key', example: 'org_id' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  column!: string;
}

/** Parameters of an org split (组织拆分服务). Environments: `source` (account set), `target` (new, empty database). */
export class OrgSplitParametersDto implements OrgSplitParameters {
  @ApiProperty({
    description: 'Key values of the organisation(s) to split out, as text; checked against the organisation table at assessment',
    type: [String],
    example: ['2'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsNotBlank({ each: true })
  @MaxLength(200, { each: true })
  organisations!: string[];

  @ApiProperty({ description: 'The organisation master table; its single-column primary key identifies an organisation', example: 'organisations' })
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  organisationTable!: string;

  @ApiPropertyOptional({
    description: 'Organisation column per table, where it cannot be discovered through the one foreign key to the organisation table',
    type: [OrganisationColumnDto],
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsNestedObject(() => OrganisationColumnDto, { each: true })
  organisationColumns?: OrganisationColumnDto[];

  @ApiPropertyOptional({
    description: 'PostgreSQL schema of the account set (default `public`); the target receives a schema of the same name',
    example: 'public',
  })
  @IsOmittable()
  @IsString()
  @Matches(IDENTIFIER, IDENTIFIER_MESSAGE)
  @IsNotBlank()
  schema?: string;

  @ApiProperty({
    description:
      'At cutover, once the new database is verified: back up the source database, then delete the organisation’s own rows from it (rows of its organisation column and their document lines, children first, in batches; shared master data is kept), and verify the source. A failure restores the source from the backup; the backup is dropped after acceptance. Default false: the source is only read.',
    required: false,
    default: false,
    example: false,
  })
  @IsOmittable()
  @IsBoolean()
  removeFromSource?: boolean;
}
