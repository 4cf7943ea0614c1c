import { Inject, Injectable } from '@nestjs/common';
import type { HostRepository, PrismaSeriesRepository } from '@memfleet/db';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import type { SlabSeriesResponse } from './slab-trends.schemas';
import { pointOfDecoded } from './trend-points';
import { resolveBucket, resolveRange } from './trend-query';
import type { SlabSeriesQuery } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/** Caches shown when none are asked for: the largest at the end of the range. */
export const DEFAULT_TOP_CACHES = 8;
/** Per-cache sizes need decoded payloads: one per bucket, at most this many. */
export const MAX_SLAB_POINTS = 500;

/** Per-cache sizes over time, one decoded snapshot per bucket. */
@Injectable()
export class SlabSeriesService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async slabSeries(id: string, query: SlabSeriesQuery): Promise<SlabSeriesResponse> {
    const hostId = await requireHost(this.hosts, id);
    const range = resolveRange(query);
    const bucketSeconds = resolveBucket(range, query.bucket, {
      target: 100,
      max: MAX_SLAB_POINTS,
    });
    const decoded = await this.series.sampled(hostId, range, bucketSeconds);
    const points = decoded.flatMap((d) => {
      const p = pointOfDecoded(d);
      return p ? [{ at: d.collectedAt, caches: p.caches }] : [];
    });
    const names = query.caches ?? largestAtEnd(points.map((p) => p.caches));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      bucketSeconds,
      at: points.map((p) => p.at.toISOString()),
      caches: names.map((name) => ({
        name,
        bytes: points.map((p) => {
          const v = p.caches?.get(name);
          return v === undefined ? null : Math.round(v);
        }),
      })),
    };
  }
}

function largestAtEnd(caches: readonly (ReadonlyMap<string, number> | undefined)[]): string[] {
  const last = [...caches].reverse().find((c) => c !== undefined);
  if (!last) return [];
  return [...last]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, DEFAULT_TOP_CACHES)
    .map(([name]) => name);
}
