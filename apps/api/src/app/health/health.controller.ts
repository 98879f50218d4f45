import { Controller, Get, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/roles.decorator';
import { AppDatabaseHealth, TemporalHealth } from './health.indicators';

@ApiTags('health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: AppDatabaseHealth,
    private readonly temporal: TemporalHealth,
  ) {}

  @Get()
  @Public()
  @SkipThrottle()
  @HealthCheck()
  @ApiOperation({ summary: 'Whether the app database (PostgreSQL) and Temporal answer; 503 when one does not' })
  @ApiServiceUnavailableResponse({ description: 'PostgreSQL or Temporal is down; `details` says which' })
  check() {
    return this.health.check([() => this.database.check('postgres'), () => this.temporal.check('temporal')]);
  }
}
