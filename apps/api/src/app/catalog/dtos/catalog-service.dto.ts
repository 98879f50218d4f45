import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_PHASES, SERVICE_TYPES } from '@sdo/contracts';
import { DELIVERY_MODES, ENVIRONMENT_ROLES } from '@sdo/catalog';

export class LocalisedNameDto {
  @ApiProperty({ description: 'Chinese name, as customers and delivery managers use it' }) zh!: string;
  @ApiProperty({ description: 'English name' }) en!: string;
}

export class FlowStepDto extends LocalisedNameDto {
  @ApiProperty({ description: 'Lifecycle phase that carries the step out', enum: DELIVERY_PHASES }) phase!: string;
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
  @ApiProperty({ description: 'Whether SDO can start it today' }) automated!: boolean;
}
