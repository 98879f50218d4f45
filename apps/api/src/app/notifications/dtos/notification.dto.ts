import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEmail, IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { GATE_NAMES, GateName, WEBHOOK_EVENT_TYPES, WebhookEventType } from '@sdo/contracts';
import { MAX_WEBHOOK_URL_LENGTH } from '@sdo/persistence';
import { IsOmittable } from '@sdo/catalog';
import { PagingQuery } from '../../infrastructure/paging';
import { CUSTOMER_ID_PATTERN } from '../../environments/dtos/environment.dto';

const CUSTOMER_MESSAGE = { message: "must be 1–64 letters, digits, '.', '_' or '-'" };

export class CreateWebhookDto {
  @ApiProperty({ description: "The customer whose deliveries' events are sent", example: 'CUST-0042' })
  @Matches(CUSTOMER_ID_PATTERN, CUSTOMER_MESSAGE)
  customerId!: string;

  @ApiProperty({
    description: 'Where events are POSTed: https (plain http only where SDO_WEBHOOK_ALLOW_HTTP), no internal address unless allow-listed',
    example: 'https://hooks.customer.example/sdo',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
  })
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiProperty({ description: 'Which events to send', enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes!: WebhookEventType[];

  @ApiPropertyOptional({
    description: 'Signing secret (24–128 printable ASCII characters); generated when absent. Shown once, in the answer to this request.',
    format: 'password',
    writeOnly: true,
  })
  @IsOmittable()
  @IsString()
  @MinLength(24)
  @MaxLength(128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' })
  secret?: string;
}

export class WebhookViewDto {
  @ApiProperty({ description: 'Subscription ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: "The customer whose deliveries' events are sent" }) customerId!: string;
  @ApiProperty({ description: 'Where events are POSTed' }) url!: string;
  @ApiProperty({ description: 'Which events are sent', enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes!: WebhookEventType[];
  @ApiProperty({ description: 'Who subscribed' }) createdBy!: string;
  @ApiProperty({ description: 'When it was subscribed', type: String, format: 'date-time' }) createdAt!: Date;
}

export class CreatedWebhookDto extends WebhookViewDto {
  @ApiProperty({ description: 'The signing secret: shown here once, never again' }) secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ description: 'The subscriptions, newest first', type: [WebhookViewDto] }) items!: WebhookViewDto[];
}

export class ListByCustomerQuery {
  @ApiPropertyOptional({ description: 'Only this customer' })
  @IsOmittable()
  @Matches(CUSTOMER_ID_PATTERN, CUSTOMER_MESSAGE)
  customerId?: string;
}

export class WebhookAttemptDto {
  @ApiProperty({ description: 'The outbox row (one per event and subscription)', format: 'uuid' }) notificationId!: string;
  @ApiProperty({ description: 'The event ID receivers deduplicate on (header sdo-event-id)' }) eventId!: string;
  @ApiProperty({ description: 'The event type', enum: WEBHOOK_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ description: 'Attempt number of this event, from 1' }) attempt!: number;
  @ApiProperty({ description: "The receiver's HTTP status; null when it was not reached", type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty({ description: 'Why it was not reached', type: String, nullable: true }) error!: string | null;
  @ApiProperty({ description: 'How long the attempt took' }) durationMs!: number;
  @ApiProperty({ description: 'When it was made', type: String, format: 'date-time' }) at!: Date;
}

export class WebhookAttemptPageDto {
  @ApiProperty({ description: 'The attempts of this page, newest first', type: [WebhookAttemptDto] }) items!: WebhookAttemptDto[];
  @ApiProperty({ description: 'How many attempts there are in all' }) total!: number;
  @ApiProperty({ description: 'Page size used' }) limit!: number;
  @ApiProperty({ description: 'Items skipped' }) offset!: number;
}

export class AttemptsQuery extends PagingQuery {}

export class CreateGateContactDto {
  @ApiProperty({ description: 'The customer whose gates wait for this person', example: 'CUST-0042' })
  @Matches(CUSTOMER_ID_PATTERN, CUSTOMER_MESSAGE)
  customerId!: string;

  @ApiProperty({ description: 'Where reminders and escalations are mailed', example: 'pm@customer.example' })
  @IsString()
  @MaxLength(254)
  @IsEmail({ allow_display_name: false, allow_ip_domain: false, require_tld: false })
  email!: string;

  @ApiProperty({ description: 'The gates that wait for this person', enum: GATE_NAMES, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(GATE_NAMES.length)
  @ArrayUnique()
  @IsIn(GATE_NAMES, { each: true })
  gates!: GateName[];
}

export class GateContactDto {
  @ApiProperty({ description: 'Contact ID', format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The customer whose gates wait for this person' }) customerId!: string;
  @ApiProperty({ description: 'Where reminders and escalations are mailed' }) email!: string;
  @ApiProperty({ description: 'The gates that wait for this person', enum: GATE_NAMES, isArray: true }) gates!: GateName[];
  @ApiProperty({ description: 'Who added the contact' }) createdBy!: string;
  @ApiProperty({ description: 'When it was added', type: String, format: 'date-time' }) createdAt!: Date;
}

export class GateContactListDto {
  @ApiProperty({ description: 'The contacts, newest first', type: [GateContactDto] }) items!: GateContactDto[];
}

export class MailAttemptDto {
  @ApiProperty({ description: 'The outbox row (one per event and contact)', format: 'uuid' }) notificationId!: string;
  @ApiProperty({ description: 'The event the mail is about (the ID webhooks carry as sdo-event-id)' }) eventId!: string;
  @ApiProperty({ description: 'The event type: a gate reminder or escalation', enum: WEBHOOK_EVENT_TYPES }) eventType!: string;
  @ApiProperty({ description: 'The delivery whose gate waits', type: String, format: 'uuid', nullable: true }) deliveryId!: string | null;
  @ApiProperty({ description: 'The gate that waits', enum: GATE_NAMES, type: String, nullable: true }) gate!: string | null;
  @ApiProperty({ description: 'The gate contact mailed', format: 'uuid' }) contactId!: string;
  @ApiProperty({ description: "The contact's address, masked", example: 's•••y@customer.example' }) recipient!: string;
  @ApiProperty({ description: 'Attempt number of this mail, from 1' }) attempt!: number;
  @ApiProperty({ description: 'sent: the SMTP server took it; failed: it did not (retried with backoff)', enum: ['sent', 'failed'] }) status!:
    'sent' | 'failed';
  @ApiProperty({ description: 'Why it failed, as the SMTP server or connection said it (the address masked)', type: String, nullable: true })
  error!: string | null;
  @ApiProperty({ description: 'How long the attempt took' }) durationMs!: number;
  @ApiProperty({ description: 'When it was made', type: String, format: 'date-time' }) at!: Date;
}

export class MailAttemptPageDto {
  @ApiProperty({ description: 'The attempts of this page, newest first', type: [MailAttemptDto] }) items!: MailAttemptDto[];
  @ApiProperty({ description: 'How many attempts there are in all' }) total!: number;
  @ApiProperty({ description: 'Page size used' }) limit!: number;
  @ApiProperty({ description: 'Items skipped' }) offset!: number;
}
