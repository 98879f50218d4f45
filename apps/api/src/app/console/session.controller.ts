import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { API_ROLES, type ApiRole, type SdoConfig } from '@sdo/config';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../auth/roles.decorator';
import { SDO_CONFIG } from '../infrastructure/tokens';

export class SessionDto {
  @ApiProperty({ description: 'Who the token identifies (what the audit trail records)' }) name!: string;
  @ApiProperty({ description: 'viewer reads; manager also steers deliveries; admin also registers environments and packages', enum: API_ROLES })
  role!: ApiRole;
  @ApiPropertyOptional({ description: "Present when the identity is confined to one customer's data" }) customerId?: string;
  @ApiPropertyOptional({ description: 'Temporal Web UI base URL, when configured (SDO_TEMPORAL_UI_URL)' }) temporalUiUrl?: string;
  @ApiProperty({ description: 'Temporal namespace the deliveries run in' }) temporalNamespace!: string;
}

/** Who is signed in: the console shows the actions the role allows and links to the Temporal Web UI. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('session')
export class SessionController {
  constructor(@Inject(SDO_CONFIG) private readonly config: SdoConfig) {}

  @Get()
  @ApiOperation({ summary: 'The identity the bearer token proves, its role and customer' })
  @ApiOkResponse({ type: SessionDto })
  whoAmI(@CurrentActor() actor: Actor): SessionDto {
    return {
      name: actor.name,
      role: actor.role,
      ...(actor.customerId ? { customerId: actor.customerId } : {}),
      ...(this.config.temporalUiUrl ? { temporalUiUrl: this.config.temporalUiUrl } : {}),
      temporalNamespace: this.config.temporal.namespace,
    };
  }
}
