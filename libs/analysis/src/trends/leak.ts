import { classifyCacheByName } from '../slab-classify';
import { DEFAULT_LEAK_OPTIONS, type LeakOptions } from './defaults';
import { largestGapSeconds, splitBoots } from './segments';
import type { SeriesPoint } from './series-point';
import { median, theilSenSlope } from './robust-stats';
import { fitSeries, type SeriesFit } from './series-fit';

export type LeakVerdict = 'leaking' | 'growing' | 'stable' | 'insufficient_data';

export interface CacheSlope {
  readonly name: string;
  readonly slopeBytesPerHour: number;
}

/** The same figures for SReclaimable, kept apart: reclaimable growth is a cache, not a leak. */
export interface ReclaimableTrend {
  readonly slopeBytesPerHour: number | null;
  readonly monotonicity: number | null;
  readonly growthBytes: number | null;
  readonly pointCount: number;
  /** Caches classified reclaimable by name (slab-classify.ts), fastest growing first. */
  readonly topGrowingCaches: readonly CacheSlope[];
}

export interface LeakAssessment {
  readonly verdict: LeakVerdict;
  /** Theil–Sen slope of SUnreclaim over the latest boot; null without two timed points. */
  readonly slopeBytesPerHour: number | null;
  /** Spearman rho of SUnreclaim against time: 1 = never fell. */
  readonly monotonicity: number | null;
  /** Last minus first SUnreclaim of the latest boot. */
  readonly growthBytes: number | null;
  /** When MemAvailable would reach 0 at this slope; null unless leaking/growing with MemAvailable. */
  readonly projectedExhaustionAt: Date | null;
  /** Caches not classified reclaimable by name (unreclaimable or unknown), fastest growing first. */
  readonly topGrowingCaches: readonly CacheSlope[];
  readonly reclaimable: ReclaimableTrend;
  /** SUnreclaim points of the latest boot used for the fit. */
  readonly pointCount: number;
  readonly firstAt: Date | null;
  readonly lastAt: Date | null;
  readonly lastSUnreclaimBytes: number | null;
  readonly memTotalBytes: number | null;
  /** Share of all increases that the single largest interval carried (1 = one step). */
  readonly largestStepShare: number | null;
  /**
   * A one-off step (module load, mount) found and taken out before judging: its size beyond the
   * trend, and the time of the point after it. Slope and rho are then those of the rest.
   */
  readonly step: { readonly bytes: number; readonly at: Date } | null;
  readonly reasons: readonly string[];
}

const HOUR = 3600_000;

/**
 * Whether unreclaimable slab (SUnreclaim) is leaking, over the latest boot. A leak is sustained,
 * monotonic growth: most intervals rise, no single step carries the growth, the rank correlation
 * with time is high and the Theil–Sen slope is a meaningful share of RAM per day. The verdict
 * follows what the points show, not how long the range is: a dense hour of steady growth can be
 * as conclusive as a sparse week.
 */
export function assessLeak(
  points: readonly SeriesPoint[],
  options: Partial<LeakOptions> = {},
): LeakAssessment {
  const opts = { ...DEFAULT_LEAK_OPTIONS, ...options };
  const reasons: string[] = [];
  const { segments, reboots } = splitBoots(points);
  const boot = segments[segments.length - 1] ?? [];
  if (reboots.length > 0)
    reasons.push(
      `${reboots.length} reboot(s) in range (${reboots[reboots.length - 1]?.evidence}); only the ` +
        `latest boot (${boot.length} points) is assessed`,
    );
  const unrecl = boot.filter((p) => p.sUnreclaimBytes !== undefined);
  const raw = fitSeries(unrecl, (p) => p.sUnreclaimBytes as number, opts.maxPairs);
  const step = unrecl.length >= opts.minPoints ? oneOffStep(raw, unrecl, opts, reasons) : null;
  const fit = step
    ? fitSeries(
        unrecl,
        (p, i) => (p.sUnreclaimBytes as number) - (i >= step.index ? step.bytes : 0),
        opts.maxPairs,
      )
    : raw;
  const recl = boot.filter((p) => p.sReclaimableBytes !== undefined);
  const reclFit = fitSeries(recl, (p) => p.sReclaimableBytes as number, opts.maxPairs);
  const slopes = cacheSlopes(boot, opts);
  const last = unrecl[unrecl.length - 1];
  const memTotal = last?.memTotalBytes ?? boot[boot.length - 1]?.memTotalBytes ?? null;
  const gap = largestGapSeconds(unrecl);
  if (gap > opts.gapWarnSeconds)
    reasons.push(`a gap of ${(gap / 3600).toFixed(1)} h between points; the fit spans it`);
  const verdict = decide(fit, memTotal, opts, reasons);
  let projectedExhaustionAt: Date | null = null;
  if ((verdict === 'leaking' || verdict === 'growing') && fit.slope !== null && fit.slope > 0) {
    const avail = [...boot].reverse().find((p) => p.memAvailableBytes !== undefined);
    if (avail?.memAvailableBytes !== undefined) {
      const ms = avail.at.getTime() + (avail.memAvailableBytes / fit.slope) * HOUR;
      // Beyond what a Date holds (±8.64e15 ms) is "never" for any operator.
      if (Math.abs(ms) <= 8.64e15) projectedExhaustionAt = new Date(ms);
    } else reasons.push('no MemAvailable (kernel < 3.14?): no exhaustion projection');
  }
  return {
    verdict,
    slopeBytesPerHour: fit.slope,
    monotonicity: fit.rho,
    growthBytes: raw.growth,
    projectedExhaustionAt,
    topGrowingCaches: pick(slopes, (c) => c.cls !== 'reclaimable', opts.topCaches),
    reclaimable: {
      slopeBytesPerHour: reclFit.slope,
      monotonicity: reclFit.rho,
      growthBytes: reclFit.growth,
      pointCount: recl.length,
      topGrowingCaches: pick(slopes, (c) => c.cls === 'reclaimable', opts.topCaches),
    },
    pointCount: unrecl.length,
    firstAt: unrecl[0]?.at ?? null,
    lastAt: last?.at ?? null,
    lastSUnreclaimBytes: last?.sUnreclaimBytes ?? null,
    memTotalBytes: memTotal,
    largestStepShare: raw.largestStepShare,
    step: step ? { bytes: step.bytes, at: step.at } : null,
    reasons,
  };
}

function decide(
  fit: SeriesFit,
  memTotal: number | null,
  opts: LeakOptions,
  reasons: string[],
): LeakVerdict {
  const n = fit.pointCount;
  if (n < opts.minPoints || fit.slope === null || memTotal === null || memTotal <= 0) {
    reasons.push(`${n} SUnreclaim point(s) in the latest boot; at least ${opts.minPoints} needed`);
    return 'insufficient_data';
  }
  const perDay = (fit.slope * 24) / memTotal;
  const rho = fit.rho ?? 0;
  const steep = perDay >= opts.minSlopeFractionOfMemTotalPerDay;
  const slopeText = `slope ${(perDay * 100).toFixed(3)} % of MemTotal per day`;
  if (!steep || rho < opts.growingMinRho) {
    reasons.push(
      `${slopeText} (floor ${(opts.minSlopeFractionOfMemTotalPerDay * 100).toFixed(2)} %), ` +
        `rho ${rho.toFixed(2)}: no sustained growth`,
    );
    return 'stable';
  }
  const step = fit.largestStepShare ?? 1;
  if (step > opts.maxSingleStepShare) {
    reasons.push(`${(step * 100).toFixed(0)} % of the growth is in a second step: not a leak`);
    return 'stable';
  }
  const rising = fit.risingShare ?? 0;
  const missing: string[] = [];
  if (n < opts.minPointsForLeak) missing.push(`${n} points < ${opts.minPointsForLeak}`);
  if (rho < opts.leakMinRho) missing.push(`rho ${rho.toFixed(2)} < ${opts.leakMinRho}`);
  if (rising < opts.minRisingIntervalShare)
    missing.push(`${(rising * 100).toFixed(0)} % of intervals rise`);
  if (missing.length > 0) {
    reasons.push(`${slopeText}, growing but not conclusively: ${missing.join(', ')}`);
    return 'growing';
  }
  reasons.push(
    `${slopeText}, rho ${rho.toFixed(2)}, ${(rising * 100).toFixed(0)} % of ${n - 1} intervals ` +
      `rise, largest step ${(step * 100).toFixed(0)} % of the growth`,
  );
  return 'leaking';
}

/**
 * A step that carries most of the growth: reported, then taken out (the points after it are
 * lowered by its excess), so a one-off allocation neither makes nor hides a leak around it. The
 * excess is measured against the median rate of the other intervals: the Theil–Sen slope of the
 * raw series is itself pulled up by the step.
 */
function oneOffStep(
  fit: SeriesFit,
  points: readonly SeriesPoint[],
  opts: LeakOptions,
  reasons: string[],
): { index: number; bytes: number; at: Date } | null {
  const share = fit.largestStepShare;
  const k = fit.largestStep?.index;
  if (share === null || share <= opts.maxSingleStepShare || k === undefined) return null;
  const y = (i: number) => (points[i] as SeriesPoint).sUnreclaimBytes as number;
  const t = (i: number) => (points[i] as SeriesPoint).at.getTime() / HOUR;
  const rates: number[] = [];
  for (let i = 1; i < points.length; i++)
    if (i !== k && t(i) > t(i - 1)) rates.push((y(i) - y(i - 1)) / (t(i) - t(i - 1)));
  const expected = rates.length ? Math.max(0, median(rates)) * (t(k) - t(k - 1)) : 0;
  const bytes = y(k) - y(k - 1) - expected;
  const after = points[k] as SeriesPoint;
  reasons.push(
    `${(share * 100).toFixed(0)} % of the growth (+${Math.round(bytes)} bytes) came in one ` +
      `interval ending ${after.at.toISOString()}: a one-off step (a module load or mount ` +
      'allocates once), not a leak; the rest of the series is judged without it',
  );
  return { index: k, bytes, at: after.at };
}

interface ClassedSlope extends CacheSlope {
  readonly cls: ReturnType<typeof classifyCacheByName>;
}

/** Theil–Sen slope per cache (pair-sampled), growing caches only, fastest first. */
function cacheSlopes(boot: readonly SeriesPoint[], opts: LeakOptions): ClassedSlope[] {
  const withCaches = boot.filter((p) => p.caches !== undefined);
  const first = withCaches[0];
  const last = withCaches[withCaches.length - 1];
  if (!first?.caches || !last?.caches || withCaches.length < 3) return [];
  const names = new Set<string>();
  for (const m of [first.caches, last.caches])
    for (const [name, size] of m) if (size >= opts.minCacheBytes) names.add(name);
  const t0 = first.at.getTime();
  const xs = withCaches.map((p) => (p.at.getTime() - t0) / HOUR);
  const out: ClassedSlope[] = [];
  for (const name of names) {
    const ys = withCaches.map((p) => p.caches?.get(name) ?? 0);
    const slope = theilSenSlope(xs, ys, { maxPairs: opts.maxPairsPerCache });
    if (slope !== null && slope > 0)
      out.push({ name, slopeBytesPerHour: slope, cls: classifyCacheByName(name) });
  }
  return out.sort(
    (a, b) => b.slopeBytesPerHour - a.slopeBytesPerHour || a.name.localeCompare(b.name),
  );
}

const pick = (
  slopes: readonly ClassedSlope[],
  keep: (c: ClassedSlope) => boolean,
  n: number,
): CacheSlope[] =>
  slopes
    .filter(keep)
    .slice(0, n)
    .map((c) => ({ name: c.name, slopeBytesPerHour: c.slopeBytesPerHour }));
