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
  /**
   * The largest excess of one interval over what the slope predicts for its duration, as a share
   * of all increases; null when nothing increased. Near 1 for a one-off step; near 0 for steady
   * growth, even across a collection gap (a 2-day gap is expected to carry 2 days of growth).
   */
  readonly largestStepShare: number | null;
  /** The interval with that excess: the index of its later point, and the excess itself. */
  readonly largestStep: { readonly index: number; readonly excess: number } | null;
  /** Share of intervals that rose. */
  readonly risingShare: number | null;
}

/** Fits `value` over `points` (sorted by time, one boot). */
export function fitSeries<T extends { readonly at: Date }>(
  points: readonly T[],
  value: (p: T, index: number) => number,
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
      largestStep: null,
      risingShare: null,
    };
  const t0 = first.at.getTime();
  const xs = points.map((p) => (p.at.getTime() - t0) / 3_600_000);
  const ys = points.map(value);
  const slope = theilSenSlope(xs, ys, { maxPairs });
  let rises = 0;
  let sumUp = 0;
  let maxExcess = 0;
  let stepIndex = -1;
  for (let i = 1; i < n; i++) {
    const d = (ys[i] as number) - (ys[i - 1] as number);
    const expected = (slope ?? 0) * ((xs[i] as number) - (xs[i - 1] as number));
    if (d - Math.max(0, expected) > maxExcess) {
      maxExcess = d - Math.max(0, expected);
      stepIndex = i;
    }
    if (d > 0) {
      rises++;
      sumUp += d;
    }
  }
  return {
    pointCount: n,
    slope,
    rho: spearmanRho(xs, ys),
    growth: (ys[n - 1] as number) - (ys[0] as number),
    largestStepShare: sumUp > 0 ? Math.min(1, maxExcess / sumUp) : null,
    largestStep: stepIndex > 0 ? { index: stepIndex, excess: maxExcess } : null,
    risingShare: n > 1 ? rises / (n - 1) : null,
  };
}
