import fc from 'fast-check';
import {
  extfragForOrder,
  fillContigPageInfo,
  formatFragmentationIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableFreeIndex,
} from './kernel-frag-index';

const freeLists = fc.array(fc.nat({ max: 5_000_000 }), { minLength: 1, maxLength: 14 });

/** Parses what the kernel printed back into thousandths (for non-negative or -1.000 values). */
const parsePrinted = (s: string): number => Math.round(Number(s.trim()) * 1000);

describe('kernel fragmentation arithmetic (properties)', () => {
  it('unusable index stays in [0, 1000] and never falls as the order rises', () => {
    fc.assert(
      fc.property(freeLists, (blocks) => {
        const idx = blocks.map((_b, o) => unusableFreeIndex(o, fillContigPageInfo(blocks, o)));
        idx.forEach((v, o) => {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1000);
          if (o > 0) expect(v).toBeGreaterThanOrEqual(idx[o - 1]!);
        });
      }),
    );
  });

  it('fragmentation index is -1000 exactly when a block of the order is free', () => {
    fc.assert(
      fc.property(freeLists, fc.nat({ max: 13 }), (blocks, raw) => {
        const order = raw % blocks.length;
        const info = fillContigPageInfo(blocks, order);
        const hasSuitable = blocks.slice(order).some((b) => b > 0);
        const idx = fragmentationIndex(order, info);
        if (hasSuitable) expect(idx).toBe(-1000);
        else if (info.freeBlocksTotal === 0n) expect(idx).toBe(0);
        else expect(idx).toBeLessThan(1000);
      }),
    );
  });

  it('extfrag_for_order is the unusable index in percent, truncated', () => {
    fc.assert(
      fc.property(freeLists, fc.nat({ max: 13 }), (blocks, raw) => {
        const order = raw % blocks.length;
        const info = fillContigPageInfo(blocks, order);
        if (info.freePages === 0n) return;
        const permille = unusableFreeIndex(order, info);
        const percent = extfragForOrder(blocks, order);
        // floor(floor(1000x) / 10) = floor(100x): the two agree exactly.
        expect(percent).toBe(Math.floor(permille / 10));
      }),
    );
  });

  it('printed forms read back as the same thousandths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (i) => {
        expect(parsePrinted(formatUnusableIndex(i))).toBe(i);
        expect(parsePrinted(formatFragmentationIndex(i))).toBe(i);
      }),
    );
    expect(parsePrinted(formatFragmentationIndex(-1000))).toBe(-1000);
  });
});
