import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { CatalogFlowState } from '@sdo/contracts';
import { DELIVERY_PHASES, DeliveryPhase, GATE_NAMES, GateName, SERVICE_TYPES, ServiceType } from '@sdo/contracts';
import { PagingQuery } from '../../infrastructure/paging';
import { CUSTOMER_ID_PATTERN } from '../../environments/dtos/environment.dto';
import { CutoverWindowDto } from './start-delivery.dto';

const BLOCKED =
  'assessmentBlocked: the assessment found what only a person can fix (lastFailure says what; the assessment report, when written, is listed): amend the parameters (PUT /v1/deliveries/{id}/parameters) or cancel.';
const REPORT_KINDS = ['assessment', 'plan', 'rehearsal', 'cutover', 'acceptance'] as const;

export class ListDeliveriesQuery extends PagingQuery {
  @ApiPropertyOptional({ description: 'Only this service', enum: SERVICE_TYPES })
  @IsOptional()
  @IsIn(SERVICE_TYPES)
  serviceType?: ServiceType;

  @ApiPropertyOptional({ description: 'Only this customer' })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, { message: "must be 1–64 letters, digits, '.', '_' or '-'" })
  customerId?: string;

  @ApiPropertyOptional({ description: 'Only deliveries in this phase', enum: DELIVERY_PHASES })
  @IsOptional()
  @IsIn(DELIVERY_PHASES)
  phase?: DeliveryPhase;

  @ApiPropertyOptional({ description: 'Only deliveries waiting at this gate', enum: GATE_NAMES })
  @IsOptional()
  @IsIn(GATE_NAMES)
  awaiting?: GateName;
}

export class FailureNoteDto {
  @ApiProperty({ description: 'Phase the failure happened in', enum: DELIVERY_PHASES }) phase!: DeliveryPhase;
  @ApiProperty({ description: 'Failure type (DeliveryFailureType)' }) type!: string;
  @ApiProperty({ description: 'What went wrong and what to do about it' }) message!: string;
}

/** A delivery as the app database knows it (lists and filters read from here). */
export class DeliveryViewDto {
  @ApiProperty({ description: 'Delivery ID', format: 'uuid' }) id!: string;
  @ApiProperty({
    description:
      'Temporal workflow ID: `<serviceType>:<customerId>:<orderNo>` (`<serviceType>:<orderNo>` for deliveries started before order numbers were per customer)',
    example: 'upgrade:CUST-0042:SO-2026-0042',
  })
  workflowId!: string;
  @ApiProperty({ description: 'Catalog service code', enum: SERVICE_TYPES }) serviceType!: ServiceType;
  @ApiProperty({ description: "The service's name as customers know it", example: '升级服务 (Upgrade)' }) serviceName!: string;
  @ApiProperty({ description: "The customer's ID" }) customerId!: string;
  @ApiProperty({ description: 'Sales order number' }) orderNo!: string;
  @ApiProperty({ description: 'Environment ID per role', type: 'object', additionalProperties: { type: 'string', format: 'uuid' } }) environments!: Record<
    string,
    string
  >;
  @ApiProperty({ description: 'Service parameters', type: 'object', additionalProperties: true }) parameters!: Record<string, unknown>;
  @ApiProperty({
    description: 'Maintenance window requested at start (the live status has the current one); null for catalog flows',
    type: CutoverWindowDto,
    nullable: true,
  })
  cutoverWindow!: CutoverWindowDto | null;
  @ApiProperty({ description: 'Signed contract reference, when given at start', type: String, nullable: true }) contractRef!: string | null;
  @ApiProperty({ description: "The customer's time zone (IANA), when given at start", type: String, nullable: true, example: 'Asia/Shanghai' })
  customerTimeZone!: string | null;
  @ApiProperty({ description: 'Lifecycle phase', enum: DELIVERY_PHASES }) phase!: DeliveryPhase;
  @ApiProperty({ description: 'Current step within the phase' }) step!: string;
  @ApiProperty({ description: 'Progress, 0–100' }) progress!: number;
  @ApiProperty({ description: `Gate the delivery waits at. ${BLOCKED}`, enum: GATE_NAMES, nullable: true }) awaiting!: GateName | null;
  @ApiProperty({ description: 'Last failure, if any', type: FailureNoteDto, nullable: true }) lastFailure!: FailureNoteDto | null;
  @ApiProperty({ description: 'Why it was cancelled, once cancellation was requested', type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({ description: 'Who started it' }) createdBy!: string;
  @ApiProperty({ description: 'When it was started', type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ description: 'When the app database last heard of it', type: String, format: 'date-time' }) updatedAt!: Date;
}

export class DeliveryPageDto {
  @ApiProperty({ description: 'Deliveries of this page, newest first', type: [DeliveryViewDto] }) items!: DeliveryViewDto[];
  @ApiProperty({ description: 'How many deliveries match in all' }) total!: number;
  @ApiProperty({ description: 'Page size used' }) limit!: number;
  @ApiProperty({ description: 'Items skipped' }) offset!: number;
}

export class PlanConfirmationDto {
  @ApiProperty({ description: 'How many dependent objects (foreign keys, indexes, views, triggers) are not created' }) dependents!: number;
  @ApiProperty({ description: 'Which (the first ten; the plan report lists every one under `dependents`)' }) summary!: string;
}

export class PlanVersionDto {
  @ApiProperty({ description: 'Plan revision, from 1' }) revision!: number;
  @ApiProperty({ description: 'Plan report ID', format: 'uuid' }) reportId!: string;
  @ApiProperty({ description: 'One-line summary' }) summary!: string;
  @ApiProperty({ description: 'Status of this revision', enum: ['proposed', 'approved', 'rejected', 'superseded'] }) status!: string;
  @ApiPropertyOptional({ description: 'Who approved or rejected it' }) decidedBy?: string;
  @ApiPropertyOptional({ description: 'Remark given with the decision' }) comment?: string;
  @ApiPropertyOptional({
    description: 'Present when the plan does not create objects that depend on something excluded: approving it needs `confirmDependents: true`',
    type: PlanConfirmationDto,
  })
  confirmationRequired?: PlanConfirmationDto;
  @ApiPropertyOptional({ description: 'The approval confirmed that those dependent objects are not created' }) dependentsConfirmed?: boolean;
}

export class ReportRefDto {
  @ApiProperty({ description: 'Report kind', enum: REPORT_KINDS }) kind!: string;
  @ApiProperty({ description: 'Report ID (GET /v1/deliveries/{id}/reports/{reportId})', format: 'uuid' }) reportId!: string;
  @ApiProperty({ description: 'One-line summary' }) summary!: string;
}

export class DeliveryEventDto {
  @ApiProperty({ description: 'When', type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'Phase at the time', enum: DELIVERY_PHASES }) phase!: DeliveryPhase;
  @ApiProperty({ description: 'What happened' }) note!: string;
}

/** What the running workflow answers (the `deliveryStatus` query). */
export class DeliveryStatusDto {
  @ApiProperty({ description: 'Delivery ID', format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'Catalog service code', enum: SERVICE_TYPES }) serviceType!: ServiceType;
  @ApiProperty({ description: 'Lifecycle phase', enum: DELIVERY_PHASES }) phase!: DeliveryPhase;
  @ApiProperty({ description: 'Current step' }) step!: string;
  @ApiProperty({ description: 'Progress, 0–100' }) progress!: number;
  @ApiPropertyOptional({ description: `Gate the delivery waits at. ${BLOCKED}`, enum: GATE_NAMES }) awaiting?: GateName;
  @ApiPropertyOptional({ description: 'Signed contract reference' }) contractRef?: string;
  @ApiProperty({ description: 'Every plan revision and its decision', type: [PlanVersionDto] }) plans!: PlanVersionDto[];
  @ApiProperty({ description: 'Reports written so far', type: [ReportRefDto] }) reports!: ReportRefDto[];
  @ApiPropertyOptional({ description: 'Current maintenance window (automated services)', type: CutoverWindowDto }) cutoverWindow?: CutoverWindowDto;
  @ApiPropertyOptional({
    description: 'Catalog flows: current step, every task (role, assignee, due date, checklist), the person-day ledger and obligations',
    type: 'object',
    additionalProperties: true,
  })
  flow?: CatalogFlowState;
  @ApiProperty({ description: 'Reminders sent for the current gate' }) reminders!: number;
  @ApiProperty({ description: 'Whether the current gate was escalated' }) escalated!: boolean;
  @ApiPropertyOptional({ description: 'Last failure', type: FailureNoteDto }) lastFailure?: FailureNoteDto;
  @ApiProperty({ description: 'What happened, in order', type: [DeliveryEventDto] }) events!: DeliveryEventDto[];
}

/** A gate decision sent to the workflow that it has not taken (or refused) yet: no worker ran when it was sent. */
export class PendingDecisionDto {
  @ApiProperty({ description: 'ID of the Workflow Update carrying the decision; the audit entry records it once the workflow answers', format: 'uuid' })
  updateId!: string;
  @ApiProperty({ description: 'Gate the decision is for', enum: GATE_NAMES }) gate!: string;
  @ApiProperty({ description: 'What it records once taken, e.g. plan.approved' }) action!: string;
  @ApiProperty({ description: 'What was asked (the decision as sent)', type: 'object', additionalProperties: true }) arg!: Record<string, unknown>;
  @ApiProperty({ description: 'Who sent it' }) requestedBy!: string;
  @ApiProperty({ description: 'When it was sent', type: String, format: 'date-time' }) requestedAt!: Date;
}

export class DecisionPendingDto {
  @ApiProperty({ description: 'What happens next' }) message!: string;
  @ApiProperty({
    description: 'The decision, as GET /v1/deliveries/{id} shows it under pendingDecisions until the delivery takes or refuses it',
    type: PendingDecisionDto,
  })
  decision!: PendingDecisionDto;
}

export class DeliveryDetailDto extends DeliveryViewDto {
  @ApiProperty({
    description: "The workflow's live status; null when it cannot answer right now (see liveUnavailable)",
    type: DeliveryStatusDto,
    nullable: true,
  })
  live!: DeliveryStatusDto | null;

  @ApiPropertyOptional({ description: 'Why the live status is missing' })
  liveUnavailable?: string;

  @ApiPropertyOptional({
    description:
      'Set when the workflow did not answer this read in time and `live` is its earlier answer, given at this time; nothing the workflow records (phase, step, gate) has changed since',
    format: 'date-time',
  })
  liveAsOf?: string;

  @ApiProperty({
    description: 'Decisions sent while no worker ran, not yet taken or refused by the delivery (each is audited once it is)',
    type: [PendingDecisionDto],
  })
  pendingDecisions!: PendingDecisionDto[];
}

export class CancellationAcceptedDto {
  @ApiProperty({ description: 'Delivery ID', format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'Recorded reason' }) reason!: string;
  @ApiProperty({ description: 'What happens next' }) message!: string;
}

export class ReportViewDto {
  @ApiProperty({ description: 'Report ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Delivery ID', format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ description: 'Report kind', enum: REPORT_KINDS }) kind!: string;
  @ApiProperty({ description: 'Revision (plans are revised)' }) revision!: number;
  @ApiProperty({ description: 'One-line summary' }) summary!: string;
  @ApiPropertyOptional({ description: 'The report itself (only when one report is read)', type: 'object', additionalProperties: true }) body?: Record<
    string,
    unknown
  >;
  @ApiProperty({ description: 'When it was written', type: String, format: 'date-time' }) createdAt!: Date;
}

export class ReportFormatQuery {
  @ApiPropertyOptional({ description: 'json (default) or markdown, a rendering to hand to the customer', enum: ['json', 'markdown'] })
  @IsOptional()
  @IsIn(['json', 'markdown'])
  format?: 'json' | 'markdown';
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Sequence number' }) id!: string;
  @ApiProperty({ description: 'Who acted (API identity, or "workflow")' }) actor!: string;
  @ApiProperty({ description: 'What happened, e.g. plan.approved' }) action!: string;
  @ApiProperty({ description: 'Details of the action', type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
  @ApiProperty({ description: 'When', type: String, format: 'date-time' }) at!: Date;
}
