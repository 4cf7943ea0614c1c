import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonBody, ApiJsonResponse, ApiProblems, ApiZodQuery } from '../platform/openapi';
import {
  ingestBundleSchema,
  snapshotDetailSchema,
  snapshotListQuerySchema,
  snapshotPageSchema,
  snapshotSummarySchema,
  type SnapshotListQueryInput,
} from './snapshot.schemas';
import { SnapshotsService } from './snapshots.service';
import type { SnapshotBundle } from '@memfleet/procfs';

const HostId = () => ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('snapshots')
@Controller('hosts/:id/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Post()
  @HostId()
  @ApiJsonBody('SnapshotBundle', ingestBundleSchema)
  @ApiJsonResponse(201, 'SnapshotSummary', snapshotSummarySchema, 'Stored')
  @ApiJsonResponse(200, 'SnapshotSummary', snapshotSummarySchema, 'Already stored (same id)')
  @ApiProblems(400, 404, 413)
  async ingest(
    @Param('id') hostId: string,
    @Body(zodPipe(ingestBundleSchema)) bundle: SnapshotBundle,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, snapshot } = await this.snapshots.ingest(hostId, bundle);
    res.status(created ? 201 : 200);
    return snapshot;
  }

  @Get()
  @HostId()
  @ApiZodQuery(snapshotListQuerySchema)
  @ApiJsonResponse(200, 'SnapshotPage', snapshotPageSchema, 'Summaries, newest first')
  @ApiProblems(400, 404)
  list(
    @Param('id') hostId: string,
    @Query(zodPipe(snapshotListQuerySchema)) query: SnapshotListQueryInput,
  ) {
    return this.snapshots.list(hostId, query);
  }

  @Get(':snapshotId')
  @HostId()
  @ApiParam({ name: 'snapshotId', schema: { type: 'string' } })
  @ApiJsonResponse(200, 'Snapshot', snapshotDetailSchema, 'The full parsed snapshot')
  @ApiProblems(404)
  get(@Param('id') hostId: string, @Param('snapshotId') snapshotId: string) {
    return this.snapshots.get(hostId, snapshotId);
  }
}
