import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsString, Max, MaxLength, Min } from 'class-validator';
import { REOPENABLE_PHASES, ReopenablePhase } from '@sdo/contracts';
import { IsIsoInstant, IsNotBlank, IsOmittable } from '@sdo/catalog';
import { IsEnvironmentMap } from './start-delivery.dto';

export class ContractSignatureDto {
  @ApiProperty({ description: 'Reference of the signed service contract', example: 'CT-2026-118' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  contractRef!: string;
}

export class PlanApprovalDto {
  @ApiProperty({ description: 'The plan revision that was reviewed; approving a superseded revision is refused (409)', minimum: 1 })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiPropertyOptional({ description: 'Remark recorded with the decision' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({
    description:
      "Confirms that the objects the plan does not create because of exclusions (foreign keys, indexes, views, triggers: the plan version's `confirmationRequired`, " +
      "listed in the plan report's `dependents`) are lost. Required when the revision has `confirmationRequired`: without it the approval is refused (409) " +
      'and the delivery keeps waiting; recorded in the audit trail with the decision',
  })
  @IsOmittable()
  @IsBoolean()
  confirmDependents?: boolean;
}

export class PlanRejectionDto {
  @ApiProperty({ description: 'The plan revision that was reviewed', minimum: 1 })
  @IsInt()
  @Min(1)
  revision!: number;

  @ApiProperty({ description: 'What must change; the next revision is drafted with it' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  comment!: string;
}

export class AcceptanceConfirmationDto {
  @ApiPropertyOptional({ description: "The customer's remark on acceptance" })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class AcceptanceRejectionDto {
  @ApiProperty({ description: 'Why the delivery is not accepted' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'Phase the delivery goes back to (default: test, a new rehearsal)', enum: REOPENABLE_PHASES })
  @IsOmittable()
  @IsIn(REOPENABLE_PHASES)
  reopen?: ReopenablePhase;
}

export class CutoverWindowChangeDto {
  @ApiProperty({ description: 'New opening of the maintenance window: ISO-8601 with an offset', example: '2026-12-12T22:00:00+08:00' })
  @IsString()
  @IsIsoInstant()
  startsAt!: string;

  @ApiPropertyOptional({ description: 'New length in minutes (unchanged when absent)', minimum: 1, maximum: 10080 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10080)
  durationMinutes?: number;
}

export class ParameterAmendmentDto {
  @ApiProperty({
    description:
      "The service's parameters in full, as at start (they replace the current ones) and validated the same way against the delivery's service; the delivery is assessed again with them",
    type: 'object',
    additionalProperties: true,
    example: { packageId: '3d0c6a52-5f1e-4b7c-9a43-6c8f2b1d7e55' },
  })
  @IsObject()
  parameters!: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Environments to use instead, per role (the roles not named keep theirs); checked as at start',
    type: 'object',
    additionalProperties: { type: 'string', format: 'uuid' },
    example: { target: '0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55' },
  })
  @IsOmittable()
  @IsEnvironmentMap()
  environments?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Why the parameters change (recorded with the decision)' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class CancellationDto {
  @ApiProperty({ description: 'Why the delivery is cancelled (recorded in the delivery and the audit trail)' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}
