import { Controller, Get } from '@nestjs/common';
import { SERVICE_TYPES } from '@sdo/contracts';
import { PathParam } from '../infrastructure/params';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService } from './catalog.service';
import { CatalogServiceDto } from './dtos/catalog-service.dto';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('catalog/services')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'The special services SDO knows, their delivery flows, environment roles and whether they are automated' })
  @ApiOkResponse({ type: [CatalogServiceDto] })
  list() {
    return this.catalog.list();
  }

  @Get(':code')
  @ApiOperation({ summary: 'One catalog service' })
  @ApiOkResponse({ type: CatalogServiceDto })
  get(@PathParam('code', { type: 'string', enum: [...SERVICE_TYPES] }) code: string) {
    return this.catalog.get(code);
  }
}
