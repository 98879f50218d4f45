import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { DeliveryStatus } from '@sdo/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import type { HttpResponse } from '../infrastructure/http';
import { UuidParam } from '../infrastructure/params';
import { invalidRequest } from '../infrastructure/validation';
import { DeliveriesService } from './deliveries.service';
import { DeliveryGatesService, GateAnswer } from './delivery-gates.service';
import {
  AuditEntryDto,
  CancellationAcceptedDto,
  DecisionPendingDto,
  DeliveryDetailDto,
  DeliveryPageDto,
  DeliveryStatusDto,
  DeliveryViewDto,
  ListDeliveriesQuery,
  ReportFormatQuery,
  ReportViewDto,
} from './dtos/delivery-view.dto';
import {
  AcceptanceConfirmationDto,
  AcceptanceRejectionDto,
  CancellationDto,
  ContractSignatureDto,
  CutoverWindowChangeDto,
  ParameterAmendmentDto,
  PlanApprovalDto,
  PlanRejectionDto,
} from './dtos/gates.dto';
import { StartDeliveryDto } from './dtos/start-delivery.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:~-]{1,200}$/;
const GATE_REFUSED = 'The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why.';
const DECISION_PENDING =
  'No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then.';

/** 200 with the status the decision led to, or 202 with the pending decision. */
function answer(outcome: GateAnswer, res: HttpResponse): DeliveryStatus | DecisionPendingDto {
  if (outcome.kind === 'decided') return outcome.status;
  res.status(202);
  return { message: DECISION_PENDING, decision: outcome.decision };
}

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class DeliveriesController {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly gates: DeliveryGatesService,
  ) {}

  @Post()
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Start a delivery: validates the request, claims the Idempotency-Key and starts its workflow' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per start request; repeating the same request with the same key returns the same delivery',
  })
  @ApiAcceptedResponse({ description: 'Delivery started; Location names it', type: DeliveryViewDto })
  @ApiOkResponse({ description: 'The same request was made before with this key: the existing delivery', type: DeliveryViewDto })
  @ApiConflictResponse({ description: 'The key was used for a different request, or the order already has a delivery' })
  async start(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() dto: StartDeliveryDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryViewDto> {
    if (!idempotencyKey) throw invalidRequest([{ field: 'Idempotency-Key', reason: 'header is required' }]);
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalidRequest([{ field: 'Idempotency-Key', reason: "must be 1–200 letters, digits, '.', '_', ':', '~' or '-'" }]);
    }
    const outcome = await this.deliveries.start(actor, idempotencyKey, dto);
    res.status(outcome.created ? 202 : 200).location(`/v1/deliveries/${outcome.delivery.id}`);
    return outcome.delivery;
  }

  @Get()
  @ApiOperation({ summary: 'List deliveries from the app database, newest first' })
  @ApiOkResponse({ type: DeliveryPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListDeliveriesQuery) {
    return this.deliveries.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: "Read a delivery: the app database's record plus the workflow's live status" })
  @ApiOkResponse({ type: DeliveryDetailDto })
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.deliveries.get(actor, id);
  }

  @Get(':id/reports')
  @ApiOperation({ summary: "List a delivery's reports (without their bodies)" })
  @ApiOkResponse({ type: [ReportViewDto] })
  reports(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.deliveries.listReports(actor, id);
  }

  @Get(':id/reports/:reportId')
  @ApiOperation({ summary: 'Read one report: JSON, or with ?format=markdown a rendering for the customer' })
  @ApiProduces('application/json', 'text/markdown')
  @ApiOkResponse({ type: ReportViewDto })
  async report(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @UuidParam('reportId') reportId: string,
    @Query() query: ReportFormatQuery,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<ReportViewDto | string> {
    if (query.format === 'markdown') {
      const markdown = await this.deliveries.getReportMarkdown(actor, id, reportId);
      res.type('text/markdown; charset=utf-8');
      return markdown;
    }
    return this.deliveries.getReport(actor, id, reportId);
  }

  @Get(':id/audit')
  @ApiOperation({ summary: 'The audit trail of a delivery: every action, who took it and when' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  audit(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.deliveries.auditTrail(actor, id);
  }

  @Post(':id/contract-signature')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Record the signed service contract (服务签约); the delivery moves on to planning' })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: GATE_REFUSED })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async signContract(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: ContractSignatureDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.signContract(actor, id, dto), res);
  }

  @Post(':id/plan-approval')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({
    summary: 'Approve the proposed plan revision',
    description:
      'A revision with `confirmationRequired` (exclusions drop foreign keys, indexes, views or triggers that depend on what is excluded) is approved only with `confirmDependents: true`; without it the answer is 409 (`details.type` DependentsNotConfirmed) naming what is lost, and the delivery keeps waiting.',
  })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: `${GATE_REFUSED} Also when the plan loses dependent objects and \`confirmDependents\` is not true.` })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async approvePlan(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: PlanApprovalDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.approvePlan(actor, id, dto), res);
  }

  @Post(':id/plan-rejection')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Reject the proposed plan revision with what must change; a revised plan follows' })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: GATE_REFUSED })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async rejectPlan(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: PlanRejectionDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.rejectPlan(actor, id, dto), res);
  }

  @Post(':id/acceptance-confirmation')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Confirm acceptance (验收确认); the delivery completes' })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: GATE_REFUSED })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async confirmAcceptance(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: AcceptanceConfirmationDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.confirmAcceptance(actor, id, dto), res);
  }

  @Post(':id/acceptance-rejection')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Reject acceptance with the reason; the delivery goes back to plan, test or cutover' })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: GATE_REFUSED })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async rejectAcceptance(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: AcceptanceRejectionDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.rejectAcceptance(actor, id, dto), res);
  }

  @Put(':id/cutover-window')
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Move the maintenance window cutover waits for' })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: GATE_REFUSED })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async moveCutoverWindow(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: CutoverWindowChangeDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.moveCutoverWindow(actor, id, dto), res);
  }

  @Put(':id/parameters')
  @RequiresRole('manager')
  @ApiOperation({
    summary:
      'Amend the parameters (and environments) of a delivery blocked at assessment or awaiting plan approval: validated as at start, audited; the delivery is assessed again and drafts a new plan revision',
  })
  @ApiOkResponse({ description: 'The status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: 'The delivery is not waiting at a blocked assessment or for plan approval' })
  @ApiAcceptedResponse({ description: DECISION_PENDING, type: DecisionPendingDto })
  async amendParameters(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: ParameterAmendmentDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.gates.amendParameters(actor, id, dto), res);
  }

  @Post(':id/cancellation')
  @HttpCode(202)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Cancel a running delivery: records why, then cancels its workflow, which undoes what applies' })
  @ApiAcceptedResponse({ type: CancellationAcceptedDto })
  @ApiConflictResponse({ description: 'The delivery is no longer running' })
  cancel(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: CancellationDto) {
    return this.gates.cancel(actor, id, dto);
  }
}
