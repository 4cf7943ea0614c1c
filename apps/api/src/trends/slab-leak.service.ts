import { Inject, Injectable } from '@nestjs/common';
import { assessLeak } from '@memfleet/analysis';
import type { HostRepository, PrismaSeriesRepository } from '@memfleet/db';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import { loadSlabPoints } from './slab-points';
import type { SlabLeakResponse } from './slab-trends.schemas';
import { resolveRange } from './trend-query';
import type { RangeQuery } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/**
 * Whether SUnreclaim is leaking over the range (latest boot). The SUnreclaim and SReclaimable
 * fits use every snapshot's columns; per-cache slopes use the decoded sample.
 */
@Injectable()
export class SlabLeakService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async leak(id: string, query: RangeQuery): Promise<SlabLeakResponse> {
    const hostId = await requireHost(this.hosts, id);
    const range = resolveRange(query);
    const { points, decoded } = await loadSlabPoints(this.series, hostId, range);
    const a = assessLeak(points);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      verdict: a.verdict,
      slopeBytesPerHour: a.slopeBytesPerHour,
      monotonicity: a.monotonicity,
      growthBytes: a.growthBytes,
      projectedExhaustionAt: a.projectedExhaustionAt?.toISOString() ?? null,
      topGrowingCaches: a.topGrowingCaches.map((c) => ({ ...c })),
      reclaimable: {
        ...a.reclaimable,
        topGrowingCaches: a.reclaimable.topGrowingCaches.map((c) => ({ ...c })),
      },
      largestStepShare: a.largestStepShare,
      step: a.step && { bytes: Math.round(a.step.bytes), at: a.step.at.toISOString() },
      pointCount: points.length,
      decodedCount: decoded.length,
      reasons: [...a.reasons],
    };
  }
}
