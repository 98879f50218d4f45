import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, RequiresRole } from '../auth/roles.decorator';
import { PagingQuery } from '../infrastructure/paging';
import { UuidParam } from '../infrastructure/params';
import { RegisterUpgradePackageDto, UpgradePackagePageDto, UpgradePackageViewDto } from './dtos/upgrade-package.dto';
import { UpgradePackagesService } from './upgrade-packages.service';

/** The choice made for customer-confined identities (issue #8), stated where callers read it. */
const PACKAGES_ARE_GLOBAL =
  "Upgrade packages are global: they are a product's versioned upgrade scripts, not any customer's data, and hold no customer's details. " +
  'Every identity, customer-confined ones included, reads every package; only admins register them. Whose database a package is applied to is decided by the delivery, which stays confined.';

@ApiTags('upgrade-packages')
@ApiBearerAuth()
@Controller('upgrade-packages')
export class UpgradePackagesController {
  constructor(private readonly packages: UpgradePackagesService) {}

  @Post()
  @HttpCode(201)
  @RequiresRole('admin')
  @ApiOperation({ summary: 'Register an upgrade package: versioned SQL scripts (checksummed by the server) and verification queries' })
  @ApiCreatedResponse({ type: UpgradePackageViewDto })
  @ApiBadRequestResponse({ description: 'The package is invalid; the message names each script and what is wrong with it' })
  @ApiConflictResponse({ description: 'A package with that name exists' })
  register(@CurrentActor() actor: Actor, @Body() dto: RegisterUpgradePackageDto) {
    return this.packages.register(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List upgrade packages, newest first (scripts without their SQL)', description: PACKAGES_ARE_GLOBAL })
  @ApiOkResponse({ type: UpgradePackagePageDto })
  list(@Query() query: PagingQuery) {
    return this.packages.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one upgrade package with its scripts and checksums', description: PACKAGES_ARE_GLOBAL })
  @ApiOkResponse({ type: UpgradePackageViewDto })
  get(@UuidParam('id') id: string) {
    return this.packages.get(id);
  }
}
