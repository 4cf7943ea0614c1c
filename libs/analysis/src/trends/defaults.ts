import { DEFAULT_FRAGMENTATION_THRESHOLDS } from '../diagnose-fragmentation';

const MiB = 1024 * 1024;

/** Every threshold of detectSlabDrops. Override any of them per call. */
export interface SlabDropOptions {
  /** A fall between two points counts only above max(noiseBytes, noiseFraction * level). */
  readonly noiseBytes: number;
  readonly noiseFraction: number;
  /**
   * How far back from a drop counter's increment the fall may have begun. drop_caches walks
   * every superblock and shrinker; on big hosts that takes seconds to minutes, not hours.
   */
  readonly maxDropSeconds: number;
  /** A fall without a counter change is reported (`inferred`) at or above both of these... */
  readonly minInferredBytes: number;
  readonly minInferredFraction: number;
  /** ...when it completed within this many seconds (a slow decline is not a drop). */
  readonly maxInferredFallSeconds: number;
  /** Below this freed amount a drop has no regrowth ratio (the division would be noise). */
  readonly minFreedForRegrowthBytes: number;
  /** Per-cache figures only for caches that freed / regrew at least this much. */
  readonly minCacheBytes: number;
  /** A cache of at least survivorMinBytes that kept >= survivorKeptRatio of its size survived. */
  readonly survivorMinBytes: number;
  readonly survivorKeptRatio: number;
  /** How many caches the per-cache lists keep. */
  readonly topCaches: number;
}

export const DEFAULT_SLAB_DROP_OPTIONS: SlabDropOptions = {
  noiseBytes: 1 * MiB,
  noiseFraction: 0.002,
  maxDropSeconds: 600,
  minInferredBytes: 32 * MiB,
  minInferredFraction: 0.2,
  maxInferredFallSeconds: 3600,
  minFreedForRegrowthBytes: 4 * MiB,
  minCacheBytes: 1 * MiB,
  survivorMinBytes: 16 * MiB,
  survivorKeptRatio: 0.8,
  topCaches: 5,
};

/** Every threshold of assessLeak. */
export interface LeakOptions {
  /** Fewer points than this (in the latest boot): insufficient_data. */
  readonly minPoints: number;
  /** `leaking` needs at least this many points... */
  readonly minPointsForLeak: number;
  /** ...a Spearman rho of at least this (growth that almost never reverses)... */
  readonly leakMinRho: number;
  /** ...and a slope of at least this share of MemTotal per day (0.005 = 0.5 %/day). */
  readonly minSlopeFractionOfMemTotalPerDay: number;
  /** `growing`: rho at least this, slope over the same floor. */
  readonly growingMinRho: number;
  /**
   * Growth must be spread: if one interval carries more than this share of all the increases
   * beyond what the slope predicts for its duration, it is a one-off step (a module load, a
   * mount), not a leak.
   */
  readonly maxSingleStepShare: number;
  /**
   * `leaking` also needs at least this share of intervals to rise. Below 0.5 on purpose: in dense
   * noisy data (5-min samples, ±20 MiB jitter on a 1 %/day leak) only ~52 % of intervals rise;
   * rho and the step rule carry the weight, this only rejects staircases of flat intervals.
   */
  readonly minRisingIntervalShare: number;
  /** A gap longer than this (seconds) is reported in the reasons. */
  readonly gapWarnSeconds: number;
  readonly topCaches: number;
  /** Caches smaller than this at both ends are not fitted (hundreds of tiny caches cost time). */
  readonly minCacheBytes: number;
  /** Theil–Sen pair budget for the SUnreclaim / SReclaimable fits and for each cache's fit. */
  readonly maxPairs: number;
  readonly maxPairsPerCache: number;
}

export const DEFAULT_LEAK_OPTIONS: LeakOptions = {
  minPoints: 6,
  minPointsForLeak: 8,
  leakMinRho: 0.9,
  minSlopeFractionOfMemTotalPerDay: 0.005,
  growingMinRho: 0.6,
  maxSingleStepShare: 0.5,
  minRisingIntervalShare: 0.4,
  gapWarnSeconds: 6 * 3600,
  topCaches: 5,
  minCacheBytes: 1 * MiB,
  maxPairs: 20_000,
  maxPairsPerCache: 2_000,
};

/** Every threshold of assessFragmentationSeries. */
export interface FragmentationSeriesOptions {
  /** The order whose unusable free index is followed (same default as the snapshot diagnosis). */
  readonly order: number;
  /** Unusable index (thousandths) at or above which a point is fragmented. */
  readonly fragmentedIndex: number;
  /** A zone with less free than this is too small to call fragmented. */
  readonly minZoneFreeBytes: number;
  readonly minPoints: number;
  /**
   * `fragmenting`: the fitted index rose by at least this many thousandths over the judged points,
   * with rho >= minRho, and the latest index is at least fragmentingMinIndex. A rise, not a
   * per-day slope: extrapolating minutes of data to a day would call any blip a trend.
   */
  readonly minIndexRise: number;
  readonly minRho: number;
  readonly fragmentingMinIndex: number;
  readonly pageSize: number;
}

export const DEFAULT_FRAGMENTATION_SERIES_OPTIONS: FragmentationSeriesOptions = {
  order: DEFAULT_FRAGMENTATION_THRESHOLDS.order,
  fragmentedIndex: DEFAULT_FRAGMENTATION_THRESHOLDS.unusableWarning,
  minZoneFreeBytes: DEFAULT_FRAGMENTATION_THRESHOLDS.minZoneFreeBytes,
  minPoints: 3,
  minIndexRise: 150,
  minRho: 0.7,
  fragmentingMinIndex: DEFAULT_FRAGMENTATION_THRESHOLDS.unusableWarning / 2,
  pageSize: 4096,
};

/** Thresholds that turn trend results into findings. */
export interface TrendFindingThresholds {
  /** A drop_caches drop whose regrowth ratio reaches this gets a slab_regrowth warning. */
  readonly regrowthWarningRatio: number;
  /** Below the warning ratio but at least this: info. */
  readonly regrowthInfoRatio: number;
  /** The summary names caches that freed at least this share of the drop. */
  readonly regrowthCacheMinShare: number;
  /** A leak projected to exhaust MemAvailable within this many seconds is critical. */
  readonly leakCriticalWithinSeconds: number;
  /** A zone fragmented for at least this long is critical. */
  readonly fragmentedCriticalSeconds: number;
}

export const DEFAULT_TREND_FINDING_THRESHOLDS: TrendFindingThresholds = {
  regrowthWarningRatio: 0.5,
  regrowthInfoRatio: 0.25,
  regrowthCacheMinShare: 0.1,
  leakCriticalWithinSeconds: 7 * 24 * 3600,
  fragmentedCriticalSeconds: 24 * 3600,
};
