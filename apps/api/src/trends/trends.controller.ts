import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonResponse, ApiProblems, ApiZodQuery } from '../platform/openapi';
import { AccountingService } from './accounting.service';
import { FragmentationService } from './fragmentation.service';
import { MemorySeriesService } from './memory-series.service';
import { SlabDropsService } from './slab-drops.service';
import { SlabLeakService } from './slab-leak.service';
import { SlabSeriesService } from './slab-series.service';
import {
  fragmentationResponseSchema,
  slabDropsResponseSchema,
  slabLeakResponseSchema,
  slabSeriesResponseSchema,
} from './slab-trends.schemas';
import {
  accountingQuerySchema,
  accountingResponseSchema,
  bucketedQuerySchema,
  fragmentationQuerySchema,
  memorySeriesResponseSchema,
  rangeQuerySchema,
  slabSeriesQuerySchema,
  type AccountingQuery,
  type BucketedQuery,
  type FragmentationQuery,
  type RangeQuery,
  type SlabSeriesQuery,
} from './trends.schemas';

const HostId = () => ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } });

/** Per-host trends. `from`/`to` default to the last 24 h. */
@ApiTags('trends')
@Controller('hosts/:id')
export class TrendsController {
  constructor(
    private readonly accountingUseCase: AccountingService,
    private readonly memoryUseCase: MemorySeriesService,
    private readonly slabSeriesUseCase: SlabSeriesService,
    private readonly dropsUseCase: SlabDropsService,
    private readonly leakUseCase: SlabLeakService,
    private readonly fragmentationUseCase: FragmentationService,
  ) {}

  @Get('accounting')
  @HostId()
  @ApiOperation({ summary: 'free vs ps breakdown of the snapshot nearest `at` (default latest)' })
  @ApiZodQuery(accountingQuerySchema)
  @ApiJsonResponse(200, 'HostAccounting', accountingResponseSchema, 'As `memfleet inspect`')
  @ApiProblems(400, 404)
  accounting(@Param('id') id: string, @Query(zodPipe(accountingQuerySchema)) q: AccountingQuery) {
    return this.accountingUseCase.accounting(id, q);
  }

  @Get('memory/series')
  @HostId()
  @ApiOperation({ summary: 'used, available, slab, process RSS and gap per time bucket' })
  @ApiZodQuery(bucketedQuerySchema)
  @ApiJsonResponse(200, 'MemorySeries', memorySeriesResponseSchema, 'Buckets, oldest first')
  @ApiProblems(400, 404)
  memorySeries(@Param('id') id: string, @Query(zodPipe(bucketedQuerySchema)) q: BucketedQuery) {
    return this.memoryUseCase.memorySeries(id, q);
  }

  @Get('slab/series')
  @HostId()
  @ApiOperation({ summary: 'Per-cache slab sizes over time' })
  @ApiZodQuery(slabSeriesQuerySchema)
  @ApiJsonResponse(200, 'SlabSeries', slabSeriesResponseSchema, 'One sample per bucket')
  @ApiProblems(400, 404)
  slabSeries(@Param('id') id: string, @Query(zodPipe(slabSeriesQuerySchema)) q: SlabSeriesQuery) {
    return this.slabSeriesUseCase.slabSeries(id, q);
  }

  @Get('slab/drops')
  @HostId()
  @ApiOperation({ summary: 'Slab drops (drop_caches or inferred) and the regrowth after each' })
  @ApiZodQuery(rangeQuerySchema)
  @ApiJsonResponse(200, 'SlabDrops', slabDropsResponseSchema, 'Drops, oldest first')
  @ApiProblems(400, 404)
  drops(@Param('id') id: string, @Query(zodPipe(rangeQuerySchema)) q: RangeQuery) {
    return this.dropsUseCase.drops(id, q);
  }

  @Get('slab/leak')
  @HostId()
  @ApiOperation({ summary: 'Whether unreclaimable slab is leaking (SReclaimable kept apart)' })
  @ApiZodQuery(rangeQuerySchema)
  @ApiJsonResponse(200, 'SlabLeak', slabLeakResponseSchema, 'Leak verdict over the range')
  @ApiProblems(400, 404)
  leak(@Param('id') id: string, @Query(zodPipe(rangeQuerySchema)) q: RangeQuery) {
    return this.leakUseCase.leak(id, q);
  }

  @Get('fragmentation')
  @HostId()
  @ApiOperation({ summary: 'Per-zone unusable/fragmentation index over time, with a verdict' })
  @ApiZodQuery(fragmentationQuerySchema)
  @ApiJsonResponse(200, 'Fragmentation', fragmentationResponseSchema, 'Zones with their series')
  @ApiProblems(400, 404)
  fragmentation(
    @Param('id') id: string,
    @Query(zodPipe(fragmentationQuerySchema)) q: FragmentationQuery,
  ) {
    return this.fragmentationUseCase.fragmentation(id, q);
  }
}
