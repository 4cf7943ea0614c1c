import fc from 'fast-check';
import { assessFragmentationSeries } from './fragmentation-series';
import { assessLeak } from './leak';
import { splitBoots } from './segments';
import { T0 } from './series-builders';
import type { SeriesPoint } from './series-point';
import { measureOf } from './slab-measure';
import { detectSlabDrops } from './slab-drops';
import { fragmentationTrendFindings, leakFindings, slabRegrowthFindings } from './trend-findings';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const bytes = fc.integer({ min: 0, max: 2 ** 40 });
const counter = fc.bigInt({ min: 0n, max: 20n });

const arbPoint: fc.Arbitrary<SeriesPoint> = fc.record({
  at: fc.integer({ min: 0, max: 10 * 86400 }).map((s) => new Date(T0 + s * 1000)),
  memTotalBytes: fc.integer({ min: 1, max: 2 ** 42 }),
  memAvailableBytes: opt(bytes),
  memFreeBytes: opt(bytes),
  sReclaimableBytes: opt(bytes),
  sUnreclaimBytes: opt(bytes),
  slabBytes: opt(bytes),
  caches: opt(
    fc
      .dictionary(fc.constantFrom('dentry', 'kmalloc-64', 'ext4_inode_cache', 'x'), bytes)
      .map((d) => new Map(Object.entries(d))),
  ),
  dropSlab: opt(counter),
  dropPagecache: opt(counter),
  compactStall: opt(counter),
  compactFail: opt(counter),
  pgfault: opt(counter),
  uptimeSeconds: opt(fc.integer({ min: 0, max: 1e6 })),
  bootId: opt(fc.constantFrom('a', 'b')),
  zones: opt(
    fc.array(
      fc.record({
        node: fc.integer({ min: 0, max: 1 }),
        zone: fc.constantFrom('DMA32', 'Normal'),
        freeBlocks: fc.array(fc.nat({ max: 1e6 }), { maxLength: 12 }),
        highPages: opt(fc.nat({ max: 1e6 })),
      }),
      { maxLength: 3 },
    ),
  ),
});

const series = fc.array(arbPoint, { maxLength: 40 });

describe('trend functions on arbitrary series (properties)', () => {
  it('detectSlabDrops never throws and keeps its arithmetic and triggers honest', () => {
    fc.assert(
      fc.property(series, (pts) => {
        const r = detectSlabDrops(pts);
        const { reboots } = splitBoots(
          pts.filter((p) => r.measure && measureOf(p, r.measure) !== undefined),
        );
        for (const d of r.drops) {
          expect(d.freedBytes).toBe(d.beforeBytes - d.afterBytes);
          expect(d.beforeAt.getTime()).toBeLessThan(d.at.getTime());
          if (d.trigger === 'drop_caches')
            expect(d.dropSlabCount + d.dropPagecacheCount).toBeGreaterThan(0);
          else {
            expect(d.dropSlabCount + d.dropPagecacheCount).toBe(0);
            expect(d.freedBytes).toBeGreaterThan(0);
          }
          // A drop never spans a reboot.
          expect(reboots.some((b) => b.at > d.beforeAt && b.at <= d.at)).toBe(false);
          if (d.regrowth) {
            expect(d.regrowth.ratio).toBeGreaterThanOrEqual(0);
            expect(d.regrowth.peakBytes).toBeGreaterThanOrEqual(d.afterBytes);
            expect(d.regrowth.ratio).toBeCloseTo(
              (d.regrowth.peakBytes - d.afterBytes) / d.freedBytes,
              9,
            );
            for (const c of d.regrowth.perCache) expect(c.ratio).toBeGreaterThanOrEqual(0);
          }
        }
        for (const f of slabRegrowthFindings(r)) expect(f.kind).toBe('slab_regrowth');
      }),
    );
  });

  it('assessLeak never throws and gives bounded figures', () => {
    fc.assert(
      fc.property(series, (pts) => {
        const a = assessLeak(pts);
        expect(['leaking', 'growing', 'stable', 'insufficient_data']).toContain(a.verdict);
        if (a.monotonicity !== null) expect(Math.abs(a.monotonicity)).toBeLessThanOrEqual(1);
        if (a.verdict === 'leaking') expect(a.pointCount).toBeGreaterThanOrEqual(8);
        if (a.projectedExhaustionAt)
          expect(Number.isNaN(a.projectedExhaustionAt.getTime())).toBe(false);
        for (const f of leakFindings(a)) expect(f.kind).toBe('sunreclaim_leak');
      }),
    );
  });

  it('assessLeak with every floor at 0 still gives valid dates and findings', () => {
    fc.assert(
      fc.property(series, (pts) => {
        const a = assessLeak(pts, {
          minPoints: 2,
          minPointsForLeak: 2,
          leakMinRho: -1,
          growingMinRho: -1,
          minSlopeFractionOfMemTotalPerDay: 0,
          minRisingIntervalShare: 0,
        });
        for (const f of leakFindings(a)) expect(typeof f.summary).toBe('string');
      }),
    );
  });

  it('assessFragmentationSeries never throws and keeps indexes in [0, 1000]', () => {
    fc.assert(
      fc.property(series, (pts) => {
        const a = assessFragmentationSeries(pts);
        for (const z of a.zones) {
          const idx = z.latest?.unusableIndex;
          if (idx !== undefined) {
            expect(idx).toBeGreaterThanOrEqual(0);
            expect(idx).toBeLessThanOrEqual(1000);
          }
          if (z.fragmentedForSeconds !== null)
            expect(z.fragmentedForSeconds).toBeGreaterThanOrEqual(0);
        }
        if (a.compactStallPerHour !== null) expect(a.compactStallPerHour).toBeGreaterThanOrEqual(0);
        for (const f of fragmentationTrendFindings(a)) expect(f.kind).toBe('fragmentation');
      }),
    );
  });
});
