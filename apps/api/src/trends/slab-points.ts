import type { SeriesPoint } from '@memfleet/analysis';
import type { ColumnPoint, DecodedSnapshot, PrismaSeriesRepository } from '@memfleet/db';
import { autoBucketSeconds, type TimeRange } from './trend-query';
import { mergePoints } from './trend-points';

/** Up to this many snapshots in range, every one is decoded: per-cache figures are then exact. */
export const DECODE_ALL_UP_TO = 400;
/** Beyond it, about this many (one per bucket) carry caches; the rest are columns only. */
export const CACHE_SAMPLES = 60;

/**
 * What drops and leak read of a payload: caches (slabinfo, with MemTotal from meminfo to place
 * the point) and pgfault (reboots). Buddy/zone info, pagetypeinfo, tunables, processes and the
 * other vmstat counters are left undecoded: most of a full rebuild's cost.
 */
export const SLAB_SECTIONS: SectionSelection = {
  sections: ['meminfo', 'slabinfo', 'vmstat'],
  vmstatCounters: ['pgfault', 'drop_slab', 'drop_pagecache', 'compact_stall', 'compact_fail'],
};

/** The codec's SectionSelection, as the repository takes it (libs/db's index does not name it). */
type SectionSelection = NonNullable<Parameters<PrismaSeriesRepository['sampled']>[3]>;

export interface SlabPoints {
  readonly columns: readonly ColumnPoint[];
  readonly points: SeriesPoint[];
  readonly decoded: readonly DecodedSnapshot[];
}

/**
 * The points of a slab trend: every snapshot in range from the columns (SReclaimable,
 * SUnreclaim, the drop and compaction counters: what drop detection and leak fits run on), with
 * per-cache sizes from decoded payloads on a bounded sample. `pick` may name more snapshots to
 * decode once the column-only points are known (both sides of each drop).
 */
export async function loadSlabPoints(
  series: PrismaSeriesRepository,
  hostId: string,
  range: TimeRange,
  pick?: (points: SeriesPoint[], columns: readonly ColumnPoint[]) => number[],
): Promise<SlabPoints> {
  // The sample does not depend on the columns: both queries run at once.
  const sampleBucket = autoBucketSeconds(range, CACHE_SAMPLES);
  const [columns, sampled] = await Promise.all([
    series.columnPoints(hostId, range),
    series.sampled(hostId, range, sampleBucket, SLAB_SECTIONS),
  ]);
  const decodeAll = columns.length <= DECODE_ALL_UP_TO && sampled.length < columns.length;
  const extra = decodeAll || !pick ? [] : pick(mergePoints(columns, []), columns);
  const [sample, edges] = await Promise.all([
    decodeAll ? series.sampled(hostId, range, 0, SLAB_SECTIONS) : sampled,
    series.decodeSeqs(hostId, extra, SLAB_SECTIONS),
  ]);
  const seen = new Set(sample.map((d) => d.seq));
  const decoded = [...sample, ...edges.filter((d) => !seen.has(d.seq))];
  return { columns, points: mergePoints(columns, decoded), decoded };
}

/** The seq of the column point collected at `at` (points and columns share their times). */
export function seqAt(columns: readonly ColumnPoint[], at: Date): number | undefined {
  return columns.find((c) => c.collectedAt.getTime() === at.getTime())?.seq;
}
