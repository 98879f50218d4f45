import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsIsoInstant, IsNestedObject, IsNotBlank, IsOmittable } from '@sdo/catalog';

export class CaseOpeningDto {
  @ApiProperty({ description: 'What the customer reports', example: 'Voucher import fails after the customised approval step' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ description: 'Details, steps to reproduce' })
  @IsOmittable()
  @IsString()
  @MaxLength(4000)
  description?: string;
}

export class CaseAnswerDto {
  @ApiProperty({ description: 'What was done or said (response, resolution, or the customer’s confirmation)', example: 'Patched the approval plug-in' })
  @IsString()
  @IsNotBlank()
  @MaxLength(4000)
  note!: string;
}

export class SubscriptionRenewalDto {
  @ApiProperty({ description: 'The new end of the subscription: ISO-8601 with an offset, after the current end', example: '2027-12-31T23:59:59Z' })
  @IsString()
  @IsIsoInstant()
  endsAt!: string;
}

export class AttendanceDto {
  @ApiProperty({ description: 'Who was expected at the session', example: 'Li Wei' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  attendee!: string;

  @ApiProperty({ description: 'Whether they attended' })
  @IsBoolean()
  present!: boolean;
}

export class ObligationTaskCompletionDto {
  @ApiPropertyOptional({ description: 'Remarks; required for an SLA assessment', example: 'Responsive, month-end close on time' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(4000)
  remarks?: string;

  @ApiPropertyOptional({ description: 'SLA assessments only: 0–100', minimum: 0, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ description: 'Training sessions: who attended', type: [AttendanceDto] })
  @IsOmittable()
  @ArrayMaxSize(500)
  @IsNestedObject(() => AttendanceDto, { each: true })
  attendance?: AttendanceDto[];
}
