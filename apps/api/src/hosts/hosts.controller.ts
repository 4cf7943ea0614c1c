import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestId } from '../common/request-id.decorator';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonBody, ApiJsonResponse, ApiProblems, ApiZodQuery } from '../platform/openapi';
import {
  collectJobSchema,
  createHostSchema,
  hostListQuerySchema,
  hostPageSchema,
  hostResponseSchema,
  updateHostSchema,
  type CreateHostInput,
  type UpdateHostInput,
} from './host.schemas';
import { HostsService } from './hosts.service';

const HostId = () => ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('hosts')
@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Post()
  @ApiJsonBody('CreateHost', createHostSchema)
  @ApiJsonResponse(201, 'Host', hostResponseSchema, 'The registered host')
  @ApiProblems(400, 409, 413)
  create(@Body(zodPipe(createHostSchema)) body: CreateHostInput) {
    return this.hosts.create(body);
  }

  @Get()
  @ApiZodQuery(hostListQuerySchema)
  @ApiJsonResponse(200, 'HostPage', hostPageSchema, 'One page of hosts, ordered by name')
  @ApiProblems(400)
  list(@Query() query: Record<string, unknown>) {
    return this.hosts.list(query);
  }

  @Get(':id')
  @HostId()
  @ApiJsonResponse(200, 'Host', hostResponseSchema, 'The host')
  @ApiProblems(404)
  get(@Param('id') id: string) {
    return this.hosts.get(id);
  }

  @Patch(':id')
  @HostId()
  @ApiJsonBody('UpdateHost', updateHostSchema)
  @ApiJsonResponse(200, 'Host', hostResponseSchema, 'The updated host')
  @ApiProblems(400, 404, 409, 413)
  update(@Param('id') id: string, @Body(zodPipe(updateHostSchema)) body: UpdateHostInput) {
    return this.hosts.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @HostId()
  @ApiResponse({ status: 204, description: 'Deleted, with its snapshots' })
  @ApiProblems(404)
  delete(@Param('id') id: string) {
    return this.hosts.delete(id);
  }

  @Post(':id/collect')
  @HttpCode(202)
  @HostId()
  @ApiJsonResponse(202, 'CollectJob', collectJobSchema, 'Collection queued; repeats dedupe')
  @ApiProblems(404, 409, 503)
  collect(@Param('id') id: string, @RequestId() requestId?: string) {
    return this.hosts.collectNow(id, requestId);
  }

  @Post(':id/trust-host-key')
  @HttpCode(200)
  @HostId()
  @ApiJsonResponse(200, 'Host', hostResponseSchema, 'The host, now trusting the presented key')
  @ApiProblems(404, 409)
  trustHostKey(@Param('id') id: string) {
    return this.hosts.trustHostKey(id);
  }
}
