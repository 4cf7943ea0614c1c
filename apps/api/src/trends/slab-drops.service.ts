import { Inject, Injectable } from '@nestjs/common';
import { detectSlabDrops, type SlabDrop } from '@memfleet/analysis';
import type { HostRepository, PrismaSeriesRepository } from '@memfleet/db';
import { HOST_REPOSITORY } from '../platform/tokens';
import { requireHost } from './host-guard';
import { loadSlabPoints, seqAt } from './slab-points';
import type { SlabDropsResponse } from './slab-trends.schemas';
import { resolveRange } from './trend-query';
import type { RangeQuery } from './trends.schemas';
import { SERIES_REPOSITORY } from './trends.tokens';

/** Both sides of at most this many drops (the latest) are decoded: the work stays bounded. */
export const MAX_DECODED_DROPS = 50;

/**
 * Slab drops (drop_caches or inferred) and the regrowth after each. Detection runs on every
 * snapshot's columns; the snapshots on both sides of each drop are decoded, so per-cache freed
 * figures are exact, while per-cache regrowth peaks come from the decoded sample.
 */
@Injectable()
export class SlabDropsService {
  constructor(
    @Inject(HOST_REPOSITORY) private readonly hosts: HostRepository,
    @Inject(SERIES_REPOSITORY) private readonly series: PrismaSeriesRepository,
  ) {}

  async drops(id: string, query: RangeQuery): Promise<SlabDropsResponse> {
    const hostId = await requireHost(this.hosts, id);
    const range = resolveRange(query);
    let edgeDrops = 0;
    const { points, decoded } = await loadSlabPoints(
      this.series,
      hostId,
      range,
      (columnOnly, columns) => {
        const found = detectSlabDrops(columnOnly).drops;
        edgeDrops = found.length;
        return found
          .slice(-MAX_DECODED_DROPS)
          .flatMap((d) =>
            [seqAt(columns, d.beforeAt), seqAt(columns, d.at)].filter(
              (s): s is number => s !== undefined,
            ),
          );
      },
    );
    const analysis = detectSlabDrops(points);
    const reasons = [...analysis.reasons];
    if (edgeDrops > MAX_DECODED_DROPS)
      reasons.push(
        `${edgeDrops} drops: per-cache figures are exact for the latest ${MAX_DECODED_DROPS}, ` +
          'sampled for the others',
      );
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      measure: analysis.measure,
      pointCount: points.length,
      decodedCount: decoded.length,
      reasons,
      drops: analysis.drops.map(dropJson),
    };
  }
}

const round = (n: number): number => Math.round(n);

function dropJson(d: SlabDrop): SlabDropsResponse['drops'][number] {
  const r = d.regrowth;
  return {
    at: d.at.toISOString(),
    beforeAt: d.beforeAt.toISOString(),
    trigger: d.trigger,
    dropSlabCount: d.dropSlabCount,
    dropPagecacheCount: d.dropPagecacheCount,
    beforeBytes: round(d.beforeBytes),
    afterBytes: round(d.afterBytes),
    freedBytes: round(d.freedBytes),
    perCacheFreed: d.perCacheFreed.map((c) => ({ name: c.name, bytes: round(c.bytes) })),
    survivors: d.survivors.map((s) => ({
      ...s,
      beforeBytes: round(s.beforeBytes),
      afterBytes: round(s.afterBytes),
    })),
    survivorsNote: d.survivorsNote,
    regrowth: r && {
      untilAt: r.untilAt.toISOString(),
      peakBytes: round(r.peakBytes),
      peakAt: r.peakAt.toISOString(),
      ratio: r.ratio,
      timeTo50PctSeconds: r.timeTo50PctSeconds,
      timeTo90PctSeconds: r.timeTo90PctSeconds,
      rateBytesPerHour: r.rateBytesPerHour,
      perCache: r.perCache.map((c) => ({
        name: c.name,
        freedBytes: round(c.freedBytes),
        regrownBytes: round(c.regrownBytes),
        ratio: c.ratio,
      })),
    },
    topRegrowingCaches: d.topRegrowingCaches.map((c) => ({ name: c.name, bytes: round(c.bytes) })),
  };
}
