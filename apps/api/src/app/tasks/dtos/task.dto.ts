import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { CONSULTANT_LEVELS, ConsultantLevel, FLOW_STEP_KINDS, SERVICE_TYPES, TASK_ROLES, TASK_STATUSES, TaskRole, TaskStatus } from '@sdo/contracts';
import { IsHalfDays, IsIsoDate, IsNestedObject, IsNotBlank, IsOmittable } from '@sdo/catalog';
import { AttendanceDto } from '../../obligations/obligations.dto';
import { PagingQuery } from '../../infrastructure/paging';
import { CUSTOMER_ID_PATTERN } from '../../environments/dtos/environment.dto';

export const TASK_SOURCES = ['flow', 'obligation'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];

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

  @ApiPropertyOptional({
    description:
      "flow: only the steps' own tasks; obligation: only tasks of the steps' obligations (SLA assessments, O&M, security items, sessions, milestones)",
    enum: TASK_SOURCES,
  })
  @IsOptional()
  @IsIn(TASK_SOURCES)
  source?: TaskSource;
}

export class ChecklistItemDto {
  @ApiProperty({ description: 'What must be done' }) item!: string;
  @ApiProperty({ description: 'Whether it was ticked' }) done!: boolean;
}

export class TaskViewDto {
  @ApiProperty({ description: 'Task ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Delivery the task belongs to', format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: "The customer's ID" }) customerId!: string;
  @ApiProperty({ description: 'Product (catalog code)', enum: SERVICE_TYPES }) serviceType!: string;
  @ApiProperty({ description: 'Position of the step in the flow (0-based)' }) stepIndex!: number;
  @ApiProperty({ description: 'Step code, e.g. contract' }) stepCode!: string;
  @ApiProperty({ description: 'Contracted item the task is for (security items)', nullable: true, type: String }) itemCode!: string | null;
  @ApiProperty({ description: 'Name as the catalog gives it' }) nameZh!: string;
  @ApiProperty({ description: 'English name' }) nameEn!: string;
  @ApiProperty({ description: 'task, gate (signed for the customer) or automated (done by SDO)', enum: FLOW_STEP_KINDS }) kind!: string;
  @ApiProperty({ description: 'Who works it', enum: TASK_ROLES }) role!: string;
  @ApiProperty({ description: 'Person assigned' }) assignee!: string;
  @ApiProperty({ description: 'pending (its step is not reached), open or done', enum: TASK_STATUSES }) status!: string;
  @ApiProperty({ description: 'Open and past its due date' }) overdue!: boolean;
  @ApiProperty({ description: 'When it was opened', type: String, format: 'date-time', nullable: true }) openedAt!: Date | null;
  @ApiProperty({ description: 'When it is due (SLA)', type: String, format: 'date-time', nullable: true }) dueAt!: Date | null;
  @ApiProperty({ description: 'What must be ticked to complete it', type: [ChecklistItemDto] }) checklist!: ChecklistItemDto[];
  @ApiProperty({ description: 'When it was completed', type: String, format: 'date-time', nullable: true }) completedAt!: Date | null;
  @ApiProperty({ description: 'Who completed it', type: String, nullable: true }) completedBy!: string | null;
  @ApiProperty({ description: 'Gates: who signed for the customer', type: String, nullable: true }) signedBy!: string | null;
  @ApiProperty({ description: 'Gates: contract / order reference', type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ description: 'How often it was reopened' }) reopened!: number;
  @ApiProperty({ description: 'Whether it was escalated as overdue' }) escalated!: boolean;
  @ApiProperty({ description: "flow: a step's own task; obligation: a task of the step's obligation, completed through the same route", enum: TASK_SOURCES })
  source!: string;
  @ApiProperty({ description: 'Obligation tasks: the task in its obligation (e.g. sla-assessment-3, session-1)', type: String, nullable: true })
  obligationTaskId!: string | null;
  @ApiProperty({ description: 'Obligation tasks: sla-assessment, patch, security-item, training-session, milestone …', type: String, nullable: true })
  obligationKind!: string | null;
}

export class TaskPageDto {
  @ApiProperty({ description: 'This page', type: [TaskViewDto] }) items!: TaskViewDto[];
  @ApiProperty({ description: 'How many match' }) total!: number;
  @ApiProperty({ description: 'Page size' }) limit!: number;
  @ApiProperty({ description: 'Skipped' }) offset!: number;
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

  @ApiPropertyOptional({ description: 'Remark recorded with the completion (an SLA assessment needs one: its remarks)' })
  @IsOmittable()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ description: 'SLA assessments only: 0–100', minimum: 0, maximum: 100 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ description: 'Training sessions: who was expected and whether they attended', type: [AttendanceDto] })
  @IsOmittable()
  @ArrayMaxSize(500)
  @IsNestedObject(() => AttendanceDto, { each: true })
  attendance?: AttendanceDto[];
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
  @ApiProperty({ description: 'Evidence ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Task it documents', format: 'uuid' }) taskId!: string;
  @ApiProperty({ description: 'note, link or file', enum: ['note', 'link', 'file'] }) kind!: string;
  @ApiProperty({ description: 'The note', type: String, nullable: true }) note!: string | null;
  @ApiProperty({ description: 'The link', type: String, nullable: true }) url!: string | null;
  @ApiProperty({ description: 'File name', type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ description: 'File type', type: String, nullable: true }) contentType!: string | null;
  @ApiProperty({ description: 'File size in bytes', type: Number, nullable: true }) size!: number | null;
  @ApiProperty({ description: 'Who attached it' }) createdBy!: string;
  @ApiProperty({ description: 'When', type: String, format: 'date-time' }) createdAt!: Date;
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
