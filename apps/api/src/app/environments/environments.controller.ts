import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { EnvironmentCheckDto, EnvironmentPageDto, EnvironmentViewDto, ListEnvironmentsQuery, RegisterEnvironmentDto } from './dtos/environment.dto';
import { EnvironmentsService } from './environments.service';
import { UuidParam } from '../infrastructure/params';

@ApiTags('environments')
@ApiBearerAuth()
@Controller('environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Post()
  @HttpCode(201)
  @RequiresRole('admin')
  @ApiOperation({ summary: "Register a customer's database (the password is stored encrypted and never returned)" })
  @ApiCreatedResponse({ type: EnvironmentViewDto })
  @ApiConflictResponse({ description: 'The customer already has an environment with that name' })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterEnvironmentDto) {
    return this.environments.register(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List environments, newest first' })
  @ApiOkResponse({ type: EnvironmentPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListEnvironmentsQuery) {
    return this.environments.list(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one environment' })
  @ApiOkResponse({ type: EnvironmentViewDto })
  get(@CurrentActor() actor: Actor, @UuidParam('id') id: string) {
    return this.environments.get(actor, id);
  }

  @Post(':id/check')
  @HttpCode(200)
  @RequiresRole('manager')
  @ApiOperation({
    summary:
      'Check an environment before any delivery: connects (to the address the environment policy checked, a few seconds at most) and says whether it is reachable, which engine and version it runs and which rights the account lacks. An unreachable server is a 200 with reachable: false and the reason.',
  })
  @ApiOkResponse({ type: EnvironmentCheckDto })
  check(@CurrentActor() actor: Actor, @UuidParam('id') id: string): Promise<EnvironmentCheckDto> {
    return this.environments.check(actor, id);
  }
}
