import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength, registerDecorator, ValidationOptions } from 'class-validator';
import { IsNestedObject, IsNotBlank } from '@sdo/catalog';

export const MAX_SCRIPTS = 1000;
export const MAX_SCRIPT_CHARS = 1_000_000;

/** 'rows' | 'no-rows' | { equals: string } */
function IsVerificationExpectation(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isVerificationExpectation',
      target: object.constructor,
      propertyName,
      options: { message: `must be 'rows', 'no-rows' or { "equals": "<text>" }`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === 'rows' || value === 'no-rows') return true;
          return (
            typeof value === 'object' &&
            value !== null &&
            !Array.isArray(value) &&
            Object.keys(value).length === 1 &&
            typeof (value as { equals?: unknown }).equals === 'string'
          );
        },
      },
    });
}

export class UpgradeScriptDto {
  @ApiProperty({ description: 'Dotted numeric version the script brings the target to', example: '2.1.0' })
  @IsString()
  @IsNotBlank()
  @MaxLength(50)
  version!: string;

  @ApiProperty({ description: 'What the script does', example: 'add invoice due dates' })
  @IsString()
  @MaxLength(200)
  description!: string;

  @ApiProperty({ description: 'The SQL, without transaction control (each script runs in its own transaction)', maxLength: MAX_SCRIPT_CHARS })
  @IsString()
  @MaxLength(MAX_SCRIPT_CHARS)
  sql!: string;
}

export class VerificationDto {
  @ApiProperty({ description: 'Name of the check, shown in reports', example: 'every invoice has a due date' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'A read-only query run on the target after the scripts' })
  @IsString()
  @MaxLength(100_000)
  sql!: string;

  @ApiProperty({
    description: "What the query must return: 'rows' (at least one), 'no-rows' (none), or { equals } (first column of the first row, as text)",
    oneOf: [
      { type: 'string', enum: ['rows', 'no-rows'] },
      { type: 'object', properties: { equals: { type: 'string' } }, required: ['equals'] },
    ],
  })
  @IsVerificationExpectation()
  expect!: 'rows' | 'no-rows' | { equals: string };
}

export class RegisterUpgradePackageDto {
  @ApiProperty({ description: 'Unique package name', example: 'erp-2.1' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'The ERP product the package upgrades', example: 'Galaxy ERP' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  product!: string;

  @ApiProperty({ description: 'Scripts in strictly increasing version order; checksums are computed by the server', type: [UpgradeScriptDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SCRIPTS)
  @IsNestedObject(() => UpgradeScriptDto, { each: true })
  scripts!: UpgradeScriptDto[];

  @ApiProperty({ description: 'Checks run after the scripts, in rehearsal and at cutover', type: [VerificationDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsNestedObject(() => VerificationDto, { each: true })
  verifications!: VerificationDto[];
}

export class StoredScriptDto {
  @ApiProperty({ description: 'Script version' }) version!: string;
  @ApiProperty({ description: 'What the script does' }) description!: string;
  @ApiProperty({ description: 'sha256 (hex) of the script with line endings normalised; an applied script whose checksum changes fails validation' })
  checksum!: string;
  @ApiPropertyOptional({ description: 'The SQL (only when one package is read)' }) sql?: string;
}

export class UpgradePackageViewDto {
  @ApiProperty({ description: 'Package ID, used as `parameters.packageId` of an upgrade delivery', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Unique package name' }) name!: string;
  @ApiProperty({ description: 'The ERP product it upgrades' }) product!: string;
  @ApiProperty({ description: 'The version the package brings a target to' }) targetVersion!: string;
  @ApiProperty({ description: 'Scripts with their checksums', type: [StoredScriptDto] }) scripts!: StoredScriptDto[];
  @ApiProperty({ description: 'Verification checks', type: [VerificationDto] }) verifications!: VerificationDto[];
  @ApiProperty({ description: 'When it was registered', type: String, format: 'date-time' }) createdAt!: Date;
}

export class UpgradePackagePageDto {
  @ApiProperty({ description: 'Packages of this page (scripts without their SQL)', type: [UpgradePackageViewDto] }) items!: UpgradePackageViewDto[];
  @ApiProperty({ description: 'How many packages exist' }) total!: number;
  @ApiProperty({ description: 'Page size used' }) limit!: number;
  @ApiProperty({ description: 'Items skipped' }) offset!: number;
}
