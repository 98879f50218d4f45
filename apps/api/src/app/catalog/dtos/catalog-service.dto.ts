import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_PHASES, FLOW_STEP_KINDS, SERVICE_TYPES, TASK_ROLES } from '@sdo/contracts';
import { DELIVERY_MODES, ENVIRONMENT_ROLES } from '@sdo/catalog';

export class LocalisedNameDto {
  @ApiProperty({ description: 'Chinese name, as customers and delivery managers use it' }) zh!: string;
  @ApiProperty({ description: 'English name' }) en!: string;
}

export class FlowStepDto extends LocalisedNameDto {
  @ApiProperty({ description: 'Step code, unique in the flow' }) code!: string;
  @ApiProperty({ description: 'Lifecycle phase that carries the step out (catalog flows: delivering)', enum: DELIVERY_PHASES }) phase!: string;
  @ApiProperty({ description: 'task: people do it; gate: the customer signs off; automated: SDO does it', enum: FLOW_STEP_KINDS }) kind!: string;
  @ApiProperty({ description: 'Whether SDO does the step itself' }) automated!: boolean;
  @ApiPropertyOptional({ description: 'Catalog flows: who works the task', enum: TASK_ROLES }) role?: string;
  @ApiPropertyOptional({ description: 'Catalog flows: SLA, days from opening until due' }) dueDays?: number;
  @ApiPropertyOptional({ description: 'Catalog flows: what must be ticked to complete it', type: [String] }) checklist?: string[];
}

export class ObligationDto {
  @ApiProperty({ description: 'What the product promises beyond its flow, e.g. person-day-ledger, monthly-sla-assessment, support-cases' }) kind!: string;
  @ApiPropertyOptional({ description: 'Step it belongs to' }) step?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) settings?: Record<string, unknown>;
}

export class EnvironmentRoleDto {
  @ApiProperty({ description: 'Role key used in `environments` of a start request', enum: ENVIRONMENT_ROLES }) role!: string;
  @ApiProperty({ description: 'What the environment is in this role' }) description!: string;
  @ApiProperty({ description: 'Engines supported in this role', isArray: true, enum: ['postgres', 'mysql', 'sqlite'] }) engines!: string[];
}

export class CatalogServiceDto {
  @ApiProperty({ description: 'Service code (serviceType)', enum: SERVICE_TYPES }) code!: string;
  @ApiProperty({ description: 'Service name', type: LocalisedNameDto }) name!: LocalisedNameDto;
  @ApiProperty({ description: 'Catalog section', type: LocalisedNameDto }) category!: LocalisedNameDto;
  @ApiProperty({ description: 'What the service does' }) summary!: string;
  @ApiProperty({ description: 'Delivery flow (交付流程) and the phase of each step', type: [FlowStepDto] }) deliveryFlow!: FlowStepDto[];
  @ApiProperty({ description: 'How it may be delivered', isArray: true, enum: DELIVERY_MODES }) deliveryModes!: string[];
  @ApiProperty({ description: 'Whether a signed contract (服务签约) gates planning' }) contractGate!: boolean;
  @ApiProperty({ description: 'Environments a delivery needs', type: [EnvironmentRoleDto] }) environmentRoles!: EnvironmentRoleDto[];
  @ApiProperty({ description: 'Whether SDO runs it as its own automated workflow (otherwise a catalog flow of human tasks)' }) automated!: boolean;
  @ApiProperty({ description: 'What the product promises beyond its flow', type: [ObligationDto] }) obligations!: ObligationDto[];
  @ApiProperty({ description: 'Name of the parameters schema a start request takes (see /docs)' }) parametersSchema!: string;
}
