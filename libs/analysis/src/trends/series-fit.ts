import { spearmanRho, theilSenSlope } from './robust-stats';

/** A robust trend of one quantity over time. */
export interface SeriesFit {
  readonly pointCount: number;
  /** Theil–Sen slope, units per hour; null with fewer than two distinct times. */
  readonly slope: number | null;
  /** Spearman rho against time; null when either side is constant or n < 3. */
  readonly rho: number | null;
  /** Last minus first value. */
  readonly growth: number | null;
  /** Largest single increase / sum of all increases; null when nothing increased. */
  readonly largestStepShare: number | null;
  /** Share of intervals that rose. */
  readonly risingShare: number | null;
}

/** Fits `value` over `points` (sorted by time, one boot). */
export function fitSeries<T extends { readonly at: Date }>(
  points: readonly T[],
  value: (p: T) => number,
  maxPairs: number,
): SeriesFit {
  const n = points.length;
  const first = points[0];
  if (!first)
    return {
      pointCount: 0,
      slope: null,
      rho: null,
      growth: null,
      largestStepShare: null,
      risingShare: null,
    };
  const t0 = first.at.getTime();
  const xs = points.map((p) => (p.at.getTime() - t0) / 3_600_000);
  const ys = points.map(value);
  let rises = 0;
  let sumUp = 0;
  let maxUp = 0;
  for (let i = 1; i < n; i++) {
    const d = (ys[i] as number) - (ys[i - 1] as number);
    if (d > 0) {
      rises++;
      sumUp += d;
      maxUp = Math.max(maxUp, d);
    }
  }
  return {
    pointCount: n,
    slope: theilSenSlope(xs, ys, { maxPairs }),
    rho: spearmanRho(xs, ys),
    growth: (ys[n - 1] as number) - (ys[0] as number),
    largestStepShare: sumUp > 0 ? maxUp / sumUp : null,
    risingShare: n > 1 ? rises / (n - 1) : null,
  };
}
