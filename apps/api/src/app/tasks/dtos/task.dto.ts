import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { CONSULTANT_LEVELS, ConsultantLevel, FLOW_STEP_KINDS, SERVICE_TYPES, TASK_ROLES, TASK_STATUSES, TaskRole, TaskStatus } from '@sdo/contracts';
import { IsHalfDays, IsIsoDate, IsNotBlank, IsOmittable } from '@sdo/catalog';
import { PagingQuery } from '../../infrastructure/paging';
import { CUSTOMER_ID_PATTERN } from '../../environments/dtos/environment.dto';

export class ListTasksQuery extends PagingQuery {
  @ApiPropertyOptional({ description: 'Only tasks assigned to this person' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  assignee?: string;

  @ApiPropertyOptional({ description: 'Only tasks of this role', enum: TASK_ROLES })
  @IsOptional()
  @IsIn(TASK_ROLES)
  role?: TaskRole;

  @ApiPropertyOptional({ description: "Only this customer's tasks" })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-'" })
  customerId?: string;

  @ApiPropertyOptional({ description: 'Only tasks of this product (catalog code)', enum: SERVICE_TYPES })
  @IsOptional()
  @IsIn(SERVICE_TYPES)
  serviceType?: string;

  @ApiPropertyOptional({ description: 'Only tasks of this delivery', format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' })
  deliveryId?: string;

  @ApiPropertyOptional({ description: 'Only tasks in this state', enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional({ description: 'true: only open tasks past their due date; false: the others', type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

export class ChecklistItemDto {
  @ApiProperty() item!: string;
  @ApiProperty() done!: boolean;
}

export class TaskViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ description: 'Product (catalog code)', enum: SERVICE_TYPES }) serviceType!: string;
  @ApiProperty({ description: 'Position of the step in the flow (0-based)' }) stepIndex!: number;
  @ApiProperty({ description: 'Step code, e.g. contract' }) stepCode!: string;
  @ApiProperty({ description: 'Contracted item the task is for (security items)', nullable: true, type: String }) itemCode!: string | null;
  @ApiProperty({ description: 'Name as the catalog gives it' }) nameZh!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty({ enum: FLOW_STEP_KINDS }) kind!: string;
  @ApiProperty({ enum: TASK_ROLES }) role!: string;
  @ApiProperty() assignee!: string;
  @ApiProperty({ enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ description: 'Open and past its due date' }) overdue!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: Date | null;
  @ApiProperty({ type: [ChecklistItemDto] }) checklist!: ChecklistItemDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true }) completedBy!: string | null;
  @ApiProperty({ description: 'Gates: who signed for the customer', type: String, nullable: true }) signedBy!: string | null;
  @ApiProperty({ description: 'Gates: contract / order reference', type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ description: 'How often it was reopened' }) reopened!: number;
  @ApiProperty() escalated!: boolean;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskViewDto] }) items!: TaskViewDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class TaskCompletionDto {
  @ApiPropertyOptional({ description: 'Checklist items ticked (their text); every item must be ticked to complete', type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  checked?: string[];

  @ApiPropertyOptional({ description: 'Gates: who signed for the customer (required for gates)', example: 'Wang Fang, CFO' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  signedBy?: string;

  @ApiPropertyOptional({ description: 'Gates that need it (contract, subscription, purchase): the reference', example: 'CT-2026-118' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  reference?: string;

  @ApiPropertyOptional({ description: 'Remark recorded with the completion' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class TaskReopeningDto {
  @ApiProperty({ description: 'Why the task must be worked again' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}

export class NoteEvidenceDto {
  @ApiPropertyOptional({ description: 'A note (what was done, what was found)', maxLength: 10000 })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(10000)
  note?: string;

  @ApiPropertyOptional({ description: 'A link (http or https) to a document kept elsewhere', example: 'https://wiki.example.com/acme/visit-3' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  url?: string;
}

export class EvidenceFileQuery {
  @ApiProperty({ description: 'File name as the customer named it', example: 'penetration-test-report.pdf' })
  @IsString()
  @Matches(/^[^/\\\p{Cc}]{1,200}$/u, { message: 'must be 1–200 characters, no slashes or control characters' })
  @IsNotBlank()
  name!: string;
}

export class EvidenceViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ enum: ['note', 'link', 'file'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ type: String, nullable: true }) contentType!: string | null;
  @ApiProperty({ type: Number, nullable: true }) size!: number | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class PersonDayEntryDto {
  @ApiProperty({ description: 'Day of the visit', example: '2026-12-07' })
  @IsIsoDate()
  date!: string;

  @ApiProperty({ description: 'Consultant on site', example: 'Li Wei' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  consultant!: string;

  @ApiProperty({ description: 'Consultant level', enum: CONSULTANT_LEVELS })
  @IsIn(CONSULTANT_LEVELS)
  level!: ConsultantLevel;

  @ApiProperty({ description: 'Person-days used, in half-day steps', example: 1.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsHalfDays()
  days!: number;

  @ApiProperty({ description: 'What was done', example: 'Month-end close support, GL reconciliation' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  work!: string;
}
