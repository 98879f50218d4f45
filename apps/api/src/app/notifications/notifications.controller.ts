import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { UuidParam } from '../infrastructure/params';
import {
  AttemptsQuery,
  CreatedWebhookDto,
  CreateGateContactDto,
  CreateWebhookDto,
  GateContactDto,
  GateContactListDto,
  ListByCustomerQuery,
  MailAttemptPageDto,
  WebhookAttemptPageDto,
  WebhookListDto,
  WebhookViewDto,
} from './dtos/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @HttpCode(201)
  @RequiresRole('manager')
  @ApiOperation({ summary: "Subscribe a customer's webhook to delivery events (signed; the secret is shown once, in this answer)" })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  subscribe(@CurrentActor() actor: Actor, @Body() dto: CreateWebhookDto) {
    return this.notifications.subscribe(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook subscriptions (never their secrets)' })
  @ApiOkResponse({ type: WebhookListDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListByCustomerQuery) {
    return this.notifications.list(actor, query.customerId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one webhook subscription' })
  @ApiOkResponse({ type: WebhookViewDto })
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.notifications.get(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Delete a webhook subscription; events not yet delivered to it are dropped' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<void> {
    await this.notifications.unsubscribe(actor, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Attempts at calling this webhook, newest first: event, attempt, status code, time' })
  @ApiOkResponse({ type: WebhookAttemptPageDto })
  attempts(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Query() query: AttemptsQuery) {
    return this.notifications.attempts(actor, id, query);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('gate-contacts')
export class GateContactsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @HttpCode(201)
  @RequiresRole('manager')
  @ApiOperation({ summary: "Someone a customer's gates wait for: mailed on their reminders and escalations (when SMTP is configured)" })
  @ApiCreatedResponse({ type: GateContactDto })
  add(@CurrentActor() actor: Actor, @Body() dto: CreateGateContactDto) {
    return this.notifications.addContact(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List gate contacts' })
  @ApiOkResponse({ type: GateContactListDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListByCustomerQuery) {
    return this.notifications.contacts(actor, query.customerId);
  }

  @Get(':id/mails')
  @ApiOperation({ summary: 'Attempts at mailing this contact, newest first: event, gate, attempt, sent or failed and why, time (the address masked)' })
  @ApiOkResponse({ type: MailAttemptPageDto })
  mails(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Query() query: AttemptsQuery) {
    return this.notifications.mailAttempts(actor, id, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresRole('manager')
  @ApiOperation({ summary: 'Remove a gate contact; mails not yet sent to it are dropped, with their attempts' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<void> {
    await this.notifications.removeContact(actor, id);
  }
}
