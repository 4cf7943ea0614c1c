import { fillContigPageInfo, unusableFreeIndex } from '../kernel-frag-index';
import { DEFAULT_FRAGMENTATION_SERIES_OPTIONS, type FragmentationSeriesOptions } from './defaults';
import { DEFAULT_THEIL_SEN_MAX_PAIRS, median } from './robust-stats';
import { splitBoots, type RebootMark } from './segments';
import type { SeriesPoint, ZonePoint } from './series-point';
import { fitSeries } from './series-fit';
import { compactionRates, freeOutsideBuddy, type FreeOutsideBuddy } from './fragmentation-counters';

export type FragmentationVerdict = 'fragmented' | 'fragmenting' | 'ok' | 'insufficient_data';

export interface ZoneSample {
  readonly at: Date;
  /** Unusable free index at the assessed order, thousandths (1000 = no usable block). */
  readonly unusableIndex: number;
  readonly freePages: number;
  readonly freeBytes: number;
  /** Free memory at or below the high watermark, or below minZoneFreeBytes: a shortage. */
  readonly lowFreeMemory: boolean;
}

export interface ZoneFragmentationTrend {
  readonly subject: string;
  readonly node: number;
  readonly zone: string;
  readonly verdict: FragmentationVerdict;
  /** Points of the latest boot that carried this zone. */
  readonly pointCount: number;
  readonly latest: ZoneSample | null;
  /** Over the points judged (those not short of free memory). */
  readonly minUnusableIndex: number | null;
  readonly maxUnusableIndex: number | null;
  readonly medianUnusableIndex: number | null;
  /** Theil–Sen slope of the unusable index, thousandths per day. */
  readonly unusableIndexSlopePerDay: number | null;
  readonly monotonicity: number | null;
  /** Start of the run of fragmented points that reaches the latest judged point. */
  readonly fragmentedSince: Date | null;
  /** latest - fragmentedSince: a lower bound on how long the zone has been fragmented. */
  readonly fragmentedForSeconds: number | null;
  /** Share of judged points that were fragmented. */
  readonly fragmentedShare: number | null;
  /** Points left out of the fragmentation verdict because the zone was short of free memory. */
  readonly lowFreeMemoryPoints: number;
  readonly reasons: readonly string[];
}

export interface FragmentationSeriesAssessment {
  readonly order: number;
  readonly zones: readonly ZoneFragmentationTrend[];
  /** vmstat compact_stall / compact_fail per hour, summed over boots (deltas never span a reboot). */
  readonly compactStallPerHour: number | null;
  readonly compactFailPerHour: number | null;
  /** Seconds of intervals the rates were measured over. */
  readonly compactionObservedSeconds: number;
  readonly freeOutsideBuddy: FreeOutsideBuddy | null;
  readonly pointCount: number;
  readonly reboots: readonly RebootMark[];
  readonly reasons: readonly string[];
}

const subjectOf = (z: { node: number; zone: string }): string => `node${z.node}/${z.zone}`;

/**
 * Fragmentation over time, per zone, for the latest boot (a reboot starts with unfragmented free
 * lists). A zone short of free memory is not judged fragmented: that needs freeing memory, not
 * compaction, and the two are kept apart.
 */
export function assessFragmentationSeries(
  points: readonly SeriesPoint[],
  options: Partial<FragmentationSeriesOptions> = {},
): FragmentationSeriesAssessment {
  const opts = { ...DEFAULT_FRAGMENTATION_SERIES_OPTIONS, ...options };
  const reasons: string[] = [];
  const { segments, reboots } = splitBoots(points);
  const boot = segments[segments.length - 1] ?? [];
  if (reboots.length > 0)
    reasons.push(`${reboots.length} reboot(s); zones are judged over the latest boot only`);
  const samples = new Map<string, { zone: ZonePoint; samples: ZoneSample[] }>();
  for (const p of boot) {
    const pageSize = p.pageSize ?? opts.pageSize;
    for (const z of p.zones ?? []) {
      const key = subjectOf(z);
      const entry = samples.get(key) ?? { zone: z, samples: [] };
      entry.samples.push(sampleOf(p, z, pageSize, opts));
      samples.set(key, entry);
    }
  }
  if (samples.size === 0) reasons.push('no buddyinfo in the latest boot');
  const zones = [...samples.values()].map(({ zone, samples: s }) => zoneTrend(zone, s, opts));
  const rates = compactionRates(segments);
  if (rates.observedSeconds === 0) reasons.push('no compact_stall/compact_fail deltas');
  return {
    order: opts.order,
    zones,
    compactStallPerHour: rates.stallPerHour,
    compactFailPerHour: rates.failPerHour,
    compactionObservedSeconds: rates.observedSeconds,
    freeOutsideBuddy: freeOutsideBuddy(boot, opts.pageSize),
    pointCount: boot.length,
    reboots,
    reasons,
  };
}

function sampleOf(
  p: SeriesPoint,
  z: ZonePoint,
  pageSize: number,
  opts: FragmentationSeriesOptions,
): ZoneSample {
  const order = Math.min(opts.order, Math.max(0, z.freeBlocks.length - 1));
  const info = fillContigPageInfo(z.freeBlocks, order);
  const freePages = Number(info.freePages);
  const freeBytes = freePages * pageSize;
  const belowHigh = z.highPages !== undefined && freePages <= z.highPages;
  return {
    at: p.at,
    unusableIndex: unusableFreeIndex(order, info),
    freePages,
    freeBytes,
    lowFreeMemory: belowHigh || freeBytes < opts.minZoneFreeBytes,
  };
}

function zoneTrend(
  z: ZonePoint,
  all: readonly ZoneSample[],
  opts: FragmentationSeriesOptions,
): ZoneFragmentationTrend {
  const reasons: string[] = [];
  const judged = all.filter((s) => !s.lowFreeMemory);
  const low = all.length - judged.length;
  if (low > 0)
    reasons.push(
      `${low} point(s) with free memory at/below the high watermark or under ` +
        `${opts.minZoneFreeBytes} bytes: a shortage of free memory, not fragmentation`,
    );
  const idx = judged.map((s) => s.unusableIndex);
  const isFrag = (s: ZoneSample): boolean => s.unusableIndex >= opts.fragmentedIndex;
  let since: ZoneSample | null = null;
  for (let i = judged.length - 1; i >= 0 && isFrag(judged[i] as ZoneSample); i--)
    since = judged[i] as ZoneSample;
  const latestJudged = judged[judged.length - 1];
  const trend = indexTrend(judged);
  let verdict: FragmentationVerdict;
  if (judged.length < opts.minPoints) {
    verdict = 'insufficient_data';
    reasons.push(`${judged.length} judged point(s); at least ${opts.minPoints} needed`);
  } else if (since && latestJudged) {
    verdict = 'fragmented';
    reasons.push(
      `unusable index at order ${opts.order} >= ${opts.fragmentedIndex / 1000} since ` +
        since.at.toISOString(),
    );
  } else if (
    trend.rise !== null &&
    trend.rise >= opts.minIndexRise &&
    (trend.rho ?? 0) >= opts.minRho &&
    (latestJudged?.unusableIndex ?? 0) >= opts.fragmentingMinIndex
  ) {
    verdict = 'fragmenting';
    reasons.push(
      `unusable index rose ${(trend.rise / 1000).toFixed(3)} over the range (rho ` +
        `${(trend.rho ?? 0).toFixed(2)}), now ${((latestJudged?.unusableIndex ?? 0) / 1000).toFixed(3)}`,
    );
  } else verdict = 'ok';
  if (all[all.length - 1]?.lowFreeMemory && judged.length > 0)
    reasons.push('the latest point is short of free memory: judged on the earlier points');
  return {
    subject: subjectOf(z),
    node: z.node,
    zone: z.zone,
    verdict,
    pointCount: all.length,
    latest: all[all.length - 1] ?? null,
    // reduce, not Math.min(...idx): spreading 100k+ points overflows the call stack.
    minUnusableIndex: idx.length ? idx.reduce((a, b) => Math.min(a, b)) : null,
    maxUnusableIndex: idx.length ? idx.reduce((a, b) => Math.max(a, b)) : null,
    medianUnusableIndex: idx.length ? median(idx) : null,
    unusableIndexSlopePerDay: trend.slopePerDay,
    monotonicity: trend.rho,
    fragmentedSince: since?.at ?? null,
    fragmentedForSeconds:
      since && latestJudged ? (latestJudged.at.getTime() - since.at.getTime()) / 1000 : null,
    fragmentedShare: judged.length ? judged.filter(isFrag).length / judged.length : null,
    lowFreeMemoryPoints: low,
    reasons,
  };
}

/** Theil–Sen slope of the index (per day) and the rise it implies over the judged span. */
function indexTrend(judged: readonly ZoneSample[]): {
  slopePerDay: number | null;
  rise: number | null;
  rho: number | null;
} {
  const fit = fitSeries(judged, (s) => s.unusableIndex, DEFAULT_THEIL_SEN_MAX_PAIRS);
  const first = judged[0];
  const last = judged[judged.length - 1];
  const hours = first && last ? (last.at.getTime() - first.at.getTime()) / 3_600_000 : 0;
  return {
    slopePerDay: fit.slope === null ? null : fit.slope * 24,
    rise: fit.slope === null ? null : fit.slope * hours,
    rho: fit.rho,
  };
}
