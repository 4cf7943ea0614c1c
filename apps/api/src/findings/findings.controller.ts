import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonResponse, ApiProblems, ApiZodQuery } from '../platform/openapi';
import {
  findingListSchema,
  hostFindingsQuerySchema,
  type HostFindingsQueryInput,
} from './findings.schemas';
import { FindingsService } from './findings.service';

@ApiTags('findings')
@Controller('hosts/:id/findings')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Get()
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiZodQuery(hostFindingsQuerySchema)
  @ApiJsonResponse(
    200,
    'FindingList',
    findingListSchema,
    'Findings active in the range, most severe first',
  )
  @ApiProblems(400, 404)
  list(
    @Param('id') hostId: string,
    @Query(zodPipe(hostFindingsQuerySchema)) query: HostFindingsQueryInput,
  ) {
    return this.findings.listForHost(hostId, query);
  }
}
