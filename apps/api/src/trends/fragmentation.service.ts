import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_FRAGMENTATION_SERIES_OPTIONS,
  assessFragmentationSeries,
  fillContigPageInfo,
  fragmentationIndex,
  unusableFreeIndex,
  type SeriesPoint,
  type ZonePoint,
} from '@memfleet/analysis';
import type { HostRepository, PrismaSeriesRepository } from '@memfleet/db';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import type { FragmentationResponse } from './slab-trends.schemas';
import { pointOfDecoded } from './trend-points';
import { resolveBucket, resolveRange } from './trend-query';
import type { FragmentationQuery } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/** Zones' free lists live in payloads: one decoded snapshot per bucket, at most this many. */
export const MAX_FRAGMENTATION_POINTS = 500;

type ZoneSeries = FragmentationResponse['zones'][number]['series'];

/**
 * Per zone: the kernel's unusable and fragmentation indexes at `order` over time (mm/vmstat.c
 * arithmetic, printed as debugfs prints them), the verdict of assessFragmentationSeries, and the
 * host's compaction stall/fail rates.
 */
@Injectable()
export class FragmentationService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async fragmentation(id: string, query: FragmentationQuery): Promise<FragmentationResponse> {
    const hostId = await requireHost(this.hosts, id);
    const range = resolveRange(query);
    const bucketSeconds = resolveBucket(range, query.bucket, {
      target: 100,
      max: MAX_FRAGMENTATION_POINTS,
    });
    const order = query.order ?? DEFAULT_FRAGMENTATION_SERIES_OPTIONS.order;
    const decoded = await this.series.sampled(hostId, range, bucketSeconds);
    const points = decoded.flatMap((d) => pointOfDecoded(d) ?? []);
    const assessment = assessFragmentationSeries(points, { order });
    const series = zoneSeries(points, order);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      order,
      bucketSeconds,
      compactStallPerHour: assessment.compactStallPerHour,
      compactFailPerHour: assessment.compactFailPerHour,
      zones: [...series].map(([key, s]) => {
        const trend = assessment.zones.find((z) => `${z.node}/${z.zone}` === key);
        return {
          node: s.node,
          zone: s.zone,
          verdict: trend?.verdict ?? 'insufficient_data',
          compactStallPerHour: assessment.compactStallPerHour,
          compactFailPerHour: assessment.compactFailPerHour,
          fragmentedSince: trend?.fragmentedSince?.toISOString() ?? null,
          reasons: trend ? [...trend.reasons] : ['zone absent from the latest boot'],
          series: s.series,
        };
      }),
      reasons: [...assessment.reasons],
    };
  }
}

function zoneSeries(
  points: readonly SeriesPoint[],
  order: number,
): Map<string, { node: number; zone: string; series: ZoneSeries }> {
  const out = new Map<string, { node: number; zone: string; series: ZoneSeries }>();
  for (const p of points) {
    for (const z of p.zones ?? []) {
      const key = `${z.node}/${z.zone}`;
      const entry = out.get(key) ?? { node: z.node, zone: z.zone, series: [] };
      entry.series.push(sampleOf(p, z, order));
      out.set(key, entry);
    }
  }
  return out;
}

function sampleOf(p: SeriesPoint, z: ZonePoint, order: number): ZoneSeries[number] {
  // As assessFragmentationSeries: a zone listing fewer orders is read at its highest one.
  const o = Math.min(order, Math.max(0, z.freeBlocks.length - 1));
  const info = fillContigPageInfo(z.freeBlocks, o);
  let highest = -1;
  z.freeBlocks.forEach((n, k) => {
    if (n > 0) highest = k;
  });
  return {
    at: p.at.toISOString(),
    unusableIndex: unusableFreeIndex(o, info) / 1000,
    fragmentationIndex: fragmentationIndex(o, info) / 1000,
    highestFreeOrder: highest,
    freeBytes: Number(info.freePages) * (p.pageSize ?? 4096),
  };
}
