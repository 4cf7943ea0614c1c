import { Inject, Injectable } from '@nestjs/common';
import type { HostRepository, PrismaSeriesRepository } from '@memfleet/db';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import { resolveBucket, resolveRange } from './trend-query';
import type { BucketedQuery, MemorySeriesResponse } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/** Columns a full breakdown would need that snapshot rows do not have (yet). */
const UNAVAILABLE = [
  {
    field: 'buffCacheBytes',
    reason:
      'Buffers and Cached are not stored as columns (only in payloads); columns buffers_bytes ' +
      'and cached_bytes would give it without decoding',
  },
  {
    field: 'unexplainedBytes',
    reason:
      'Coarser than /accounting: shmem, kernel stacks, page tables, vmalloc, percpu and hugetlb ' +
      'have no columns, so they are inside this figure',
  },
];

/** used / available / slab / RSS / gap per bucket, aggregated by SQL over the derived columns. */
@Injectable()
export class MemorySeriesService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async memorySeries(id: string, query: BucketedQuery): Promise<MemorySeriesResponse> {
    const hostId = await requireHost(this.hosts, id);
    const range = resolveRange(query);
    const bucketSeconds = resolveBucket(range, query.bucket, { target: 200, max: 5000 });
    const buckets = await this.series.memoryBuckets(hostId, range, bucketSeconds);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      bucketSeconds,
      buckets: buckets.map((b) => ({ ...b, start: b.start.toISOString(), buffCacheBytes: null })),
      unavailable: UNAVAILABLE,
    };
  }
}
