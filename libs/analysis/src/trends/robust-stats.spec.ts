import fc from 'fast-check';
import { median, quickselect, ranks, spearmanRho, theilSenSlope } from './robust-stats';

const ints = fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 });

describe('median and quickselect', () => {
  it('agree with sorting', () => {
    fc.assert(
      fc.property(ints, (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const n = sorted.length;
        const expected =
          n % 2 ? sorted[n >> 1] : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
        expect(median(xs)).toBe(expected);
        const k = n >> 1;
        expect(quickselect([...xs], k)).toBe(sorted[k]);
      }),
    );
  });

  it('is NaN for nothing', () => {
    expect(median([])).toBeNaN();
  });
});

describe('theilSenSlope', () => {
  it('recovers an exact integer line', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    expect(
      theilSenSlope(
        xs,
        xs.map((x) => 7 * x - 3),
      ),
    ).toBe(7);
  });

  it('ignores up to a fifth of arbitrary outliers on a line (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 60 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { maxLength: 12 }),
        (n, m, b, junk) => {
          const xs = Array.from({ length: n }, (_v, i) => i);
          const ys = xs.map((x) => m * x + b);
          const outliers = junk.slice(0, Math.floor(n / 5));
          // Replace every fifth point by junk: fewer than half of all pairs touch an outlier.
          outliers.forEach((v, k) => (ys[k * 5] = v));
          expect(theilSenSlope(xs, ys)).toBe(m);
        },
      ),
    );
  });

  it('scales with y and is unchanged by shifting y (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 3, maxLength: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (ys, a, c) => {
          const xs = ys.map((_v, i) => i);
          const s = theilSenSlope(xs, ys) as number;
          expect(
            theilSenSlope(
              xs,
              ys.map((y) => a * y),
            ),
          ).toBeCloseTo(a * s, 6);
          expect(
            theilSenSlope(
              xs,
              ys.map((y) => y + c),
            ),
          ).toBeCloseTo(s, 6);
        },
      ),
    );
  });

  it('samples pairs above the budget and stays close to the exact slope', () => {
    const xs = Array.from({ length: 2000 }, (_v, i) => i);
    let seed = 1;
    const ys = xs.map((x) => {
      seed = (seed * 48271) % 2147483647;
      return 3 * x + (seed / 2147483647 - 0.5) * 400;
    });
    const exact = theilSenSlope(xs, ys, { maxPairs: Infinity }) as number;
    const sampled = theilSenSlope(xs, ys) as number;
    expect(sampled).toBeCloseTo(exact, 1);
    expect(theilSenSlope(xs, ys)).toBe(sampled); // seeded: the same on every run
  });

  it('has no slope without two distinct times, and skips non-finite values', () => {
    expect(theilSenSlope([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(theilSenSlope([], [])).toBeNull();
    expect(theilSenSlope([0, 1, 2, 3], [0, NaN, 2, 3])).toBe(1);
  });
});

describe('spearmanRho', () => {
  it('is 1 for any strictly increasing series, -1 for decreasing', () => {
    const xs = [1, 2, 3, 4, 5];
    expect(spearmanRho(xs, [1, 10, 100, 1000, 1e6])).toBeCloseTo(1, 12);
    expect(spearmanRho(xs, [5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('stays in [-1, 1] and ignores monotone transforms (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 80 }),
        (ys) => {
          const xs = ys.map((_v, i) => i);
          const r = spearmanRho(xs, ys);
          if (r === null) return;
          expect(Math.abs(r)).toBeLessThanOrEqual(1);
          expect(
            spearmanRho(
              xs,
              ys.map((y) => y * y * y + 5),
            ),
          ).toBeCloseTo(r, 9);
        },
      ),
    );
  });

  it('gives tied values their mean rank, and null for a flat series', () => {
    expect(ranks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(spearmanRho([1, 2, 3], [5, 5, 5])).toBeNull();
  });
});
