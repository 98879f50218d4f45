import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DecisionPendingDto } from '../deliveries/dtos/delivery-view.dto';
import type { HttpResponse } from '../infrastructure/http';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { IntParam, PathParam, UuidParam } from '../infrastructure/params';
import { invalidRequest } from '../infrastructure/validation';
import { CaseAnswerDto, CaseOpeningDto, SubscriptionRenewalDto, ObligationTaskCompletionDto } from './obligations.dto';
import { ObligationAnswer, ObligationsService } from './obligations.service';

const TASK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const OUT_OF_ORDER =
  'The case or task is not in the state this action needs (e.g. resolving a case nobody responded to), or it has closed; the message says why.';

const PENDING =
  'No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then.';

/** The obligation's answer (200/201), or 202 with the pending decision. */
function answer<R>(outcome: ObligationAnswer<R>, res: HttpResponse): R | DecisionPendingDto {
  if (outcome.kind === 'decided') return outcome.result;
  res.status(202);
  return { message: PENDING, decision: outcome.decision };
}

function taskIdOf(taskId: string): string {
  if (!TASK_ID.test(taskId)) throw invalidRequest([{ field: 'taskId', reason: "must be lower-case letters, digits and '-'" }]);
  return taskId;
}

/**
 * Support cases (定制开发维护, 历史版本基础运维) and the tasks of long-running services (驻场服务
 * assessments, O&M, security items, training, PaaS lab) of a delivery.
 */
@ApiTags('obligations')
@ApiBearerAuth()
@Controller('deliveries/:id')
export class ObligationsController {
  constructor(private readonly obligations: ObligationsService) {}

  @Get('cases')
  @ApiOperation({ summary: "The delivery's support subscription: its period, renewals and every case with its state and escalations" })
  @ApiNotFoundResponse({ description: 'No such delivery, or it has no support subscription' })
  subscription(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.obligations.subscription(actor, id);
  }

  @Post('cases')
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Open a support case: it runs with the subscription’s response and resolution SLAs and is escalated when one is missed' })
  @ApiCreatedResponse({ description: 'The case, numbered within the subscription' })
  @ApiConflictResponse({ description: 'The subscription has ended' })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async openCase(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: CaseOpeningDto, @Res({ passthrough: true }) res: HttpResponse) {
    return answer(await this.obligations.openCase(actor, id, dto), res);
  }

  @Get('cases/:caseNo')
  @ApiOperation({ summary: 'One case: state, SLA deadlines, escalations, history' })
  supportCase(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @IntParam('caseNo') caseNo: number) {
    return this.obligations.supportCase(actor, id, caseNo);
  }

  @Post('cases/:caseNo/response')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Record the first response to an opened case' })
  @ApiOkResponse({ description: 'The case after the change' })
  @ApiConflictResponse({ description: OUT_OF_ORDER })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async respond(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @IntParam('caseNo') caseNo: number,
    @Body() dto: CaseAnswerDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return answer(await this.obligations.answerCase(actor, id, caseNo, 'response', dto), res);
  }

  @Post('cases/:caseNo/resolution')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Record the resolution of a case that was responded to' })
  @ApiOkResponse({ description: 'The case after the change' })
  @ApiConflictResponse({ description: OUT_OF_ORDER })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async resolve(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @IntParam('caseNo') caseNo: number,
    @Body() dto: CaseAnswerDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return answer(await this.obligations.answerCase(actor, id, caseNo, 'resolution', dto), res);
  }

  @Post('cases/:caseNo/confirmation')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Record the customer’s confirmation of a resolved case; the case closes' })
  @ApiOkResponse({ description: 'The case after the change' })
  @ApiConflictResponse({ description: OUT_OF_ORDER })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async confirm(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @IntParam('caseNo') caseNo: number,
    @Body() dto: CaseAnswerDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return answer(await this.obligations.answerCase(actor, id, caseNo, 'confirmation', dto), res);
  }

  @Post('subscription-renewal')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Renew the support subscription to a later end date' })
  @ApiConflictResponse({ description: 'The subscription has ended, or the date is not after its current end' })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async renew(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Body() dto: SubscriptionRenewalDto, @Res({ passthrough: true }) res: HttpResponse) {
    return answer(await this.obligations.renewSubscription(actor, id, dto), res);
  }

  @Get('child-services')
  @ApiOperation({
    summary:
      'The automated services the delivery’s steps run as child deliveries (信创: a database conversion), with their phase and progress; steer them by their own delivery ID',
  })
  childServices(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.obligations.childServices(actor, id);
  }

  @Get('obligation-tasks')
  @ApiOperation({ summary: 'Tasks of the delivery’s long-running obligation: monthly SLA assessments, O&M, security items, training sessions, milestones' })
  tasks(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.obligations.tasks(actor, id);
  }

  @Post('obligation-tasks/:taskId/completion')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Complete an open task (an SLA assessment needs a score 0–100 and remarks; a training session its attendance)' })
  @ApiOkResponse({ description: 'The task after the change' })
  @ApiConflictResponse({ description: 'The task is not open (done, or closed by its time box) or the completion lacks what its kind needs' })
  @ApiAcceptedResponse({ description: PENDING, type: DecisionPendingDto })
  async complete(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @PathParam('taskId', { type: 'string', pattern: TASK_ID.source }) taskId: string,
    @Body() dto: ObligationTaskCompletionDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return answer(await this.obligations.completeTask(actor, id, taskIdOf(taskId), dto), res);
  }
}
