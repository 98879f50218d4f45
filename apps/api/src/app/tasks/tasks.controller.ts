import { Body, Controller, Get, HttpCode, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import type { DeliveryStatus, ObligationTask, PersonDayLedger, SupportCaseStatus } from '@sdo/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { DeliveryStatusDto, DecisionPendingDto } from '../deliveries/dtos/delivery-view.dto';
import type { GateAnswer } from '../deliveries/delivery-gates.service';
import type { HttpResponse } from '../infrastructure/http';
import { UuidParam } from '../infrastructure/params';
import {
  EvidenceFileQuery,
  EvidenceViewDto,
  ListTasksQuery,
  NoteEvidenceDto,
  PersonDayEntryDto,
  TaskCompletionDto,
  TaskPageDto,
  TaskReopeningDto,
  TaskViewDto,
} from './dtos/task.dto';
import { EVIDENCE_CONTENT_TYPES, EVIDENCE_MAX_BYTES, evidenceContentType, readEvidenceBody } from './evidence-upload';
import { TasksService } from './tasks.service';

const REFUSED = 'The delivery refused it: the task is not open (or not done, to reopen), its checklist is not ticked, or the delivery is no longer running.';
const PENDING = 'No worker took it in time: it is recorded as pending and takes effect, or is refused, when a worker runs.';

function answer(outcome: GateAnswer, res: HttpResponse): DeliveryStatus | DecisionPendingDto {
  if (outcome.kind === 'decided') return outcome.status;
  res.status(202);
  return { message: PENDING, decision: outcome.decision };
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({
    summary:
      "Everything a person must do: the catalog flows' tasks and their obligations' tasks (SLA assessments, O&M, security items, sessions, milestones); filter by assignee, role, customer, product, delivery, state, overdue, source",
  })
  @ApiOkResponse({ type: TaskPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListTasksQuery) {
    return this.tasks.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task' })
  @ApiOkResponse({ type: TaskViewDto })
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.tasks.get(actor, id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({
    summary:
      "Complete an open task (every checklist item ticked; gates need signedBy, and reference where the step says so). An obligation's task (source obligation) is completed in its obligation: an SLA assessment needs score and comment, a training session its attendance; the answer is then the task",
  })
  @ApiOkResponse({ description: 'The delivery status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: REFUSED })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async complete(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: TaskCompletionDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto | ObligationTask | SupportCaseStatus> {
    const outcome = await this.tasks.complete(actor, id, dto);
    // An obligation's task answers with the task as its obligation holds it.
    if (outcome.kind === 'decided' && 'result' in outcome) return outcome.result;
    return answer(outcome as GateAnswer, res);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Reopen a done task; a task of an earlier step takes the flow back to that step' })
  @ApiOkResponse({ description: 'The delivery status after the change', type: DeliveryStatusDto })
  @ApiConflictResponse({ description: REFUSED })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async reopen(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: TaskReopeningDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.tasks.reopen(actor, id, dto), res);
  }

  @Get(':id/evidence')
  @ApiOperation({ summary: "A task's evidence: notes, links and files (without their content)" })
  @ApiOkResponse({ type: [EvidenceViewDto] })
  evidence(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.tasks.evidence(actor, id);
  }

  @Post(':id/evidence')
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Attach a note or a link to a task' })
  @ApiCreatedResponse({ type: EvidenceViewDto })
  addNote(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: NoteEvidenceDto) {
    return this.tasks.addNote(actor, id, dto);
  }

  @Post(':id/evidence/files')
  @RequiresRole('manager')
  @ApiOperation({ summary: `Upload a file as evidence: the body is the file, Content-Type its type; at most ${EVIDENCE_MAX_BYTES} bytes` })
  @ApiConsumes(...EVIDENCE_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: EvidenceViewDto })
  @ApiPayloadTooLargeResponse({ description: `Larger than ${EVIDENCE_MAX_BYTES} bytes` })
  @ApiUnsupportedMediaTypeResponse({ description: `Not one of ${EVIDENCE_CONTENT_TYPES.join(', ')}` })
  async addFile(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Query() query: EvidenceFileQuery,
    @Req() req: IncomingMessage,
  ): Promise<EvidenceViewDto> {
    const contentType = evidenceContentType(req.headers['content-type']);
    const content = await readEvidenceBody(req);
    return this.tasks.addFile(actor, id, { name: query.name, contentType, content });
  }

  @Get(':id/evidence/:evidenceId/content')
  @ApiOperation({ summary: 'Download an evidence file' })
  async evidenceFile(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @UuidParam('evidenceId') evidenceId: string): Promise<StreamableFile> {
    const file = await this.tasks.evidenceFile(actor, id, evidenceId);
    return new StreamableFile(file.content, {
      type: file.contentType ?? 'application/octet-stream',
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName ?? 'evidence')}`,
    });
  }
}

@ApiTags('deliveries')
@ApiBearerAuth()
@Controller('deliveries')
export class PersonDaysController {
  constructor(private readonly tasks: TasksService) {}

  @Get(':id/person-days')
  @ApiOperation({ summary: 'The person-day ledger of an on-site package or service: entries, used, balance, whether it closed' })
  @ApiOkResponse({ description: 'The ledger', schema: { type: 'object', additionalProperties: true } })
  ledger(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<PersonDayLedger> {
    return this.tasks.ledger(actor, id);
  }

  @Post(':id/person-days')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Log a visit: date, consultant, level, days (half-day steps), what was done. Overdrawing the package is a 409 and records nothing' })
  @ApiOkResponse({ description: 'The delivery status after the change (flow.ledger)', type: DeliveryStatusDto })
  @ApiConflictResponse({
    description: 'It would overdraw the package (details.type PersonDaysOverdrawn), the package is closed, or the date is outside its validity',
  })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async record(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() dto: PersonDayEntryDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<DeliveryStatus | DecisionPendingDto> {
    return answer(await this.tasks.recordPersonDays(actor, id, dto), res);
  }
}
