import fc from 'fast-check';
import { analyzeZone } from './fragmentation';
import {
  fillContigPageInfo,
  formatFragmentationIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableFreeIndex,
} from './kernel-frag-index';

/** What analyzeZone reports when every step is the BigInt transcription of mm/vmstat.c. */
function byBigInt(freeBlocks: number[]) {
  const total = fillContigPageInfo(freeBlocks, 0);
  return {
    freePages: Number(total.freePages),
    freeBlocksTotal: Number(total.freeBlocksTotal),
    orders: freeBlocks.map((_c, order) => {
      const info = fillContigPageInfo(freeBlocks, order);
      const unusable = unusableFreeIndex(order, info);
      const frag = fragmentationIndex(order, info);
      return {
        order,
        unusableFreeIndex: unusable,
        unusableFreeIndexText: formatUnusableIndex(unusable),
        fragmentationIndex: frag,
        fragmentationIndexText: formatFragmentationIndex(frag),
      };
    }),
  };
}

const zone = (freeBlocks: number[]) => ({ node: 0, zone: 'Normal', freeBlocks });
const pick = (z: ReturnType<typeof analyzeZone>) => ({
  freePages: z.freePages,
  freeBlocksTotal: z.freeBlocksTotal,
  orders: z.orders,
});

describe('analyzeZone number arithmetic', () => {
  it('matches the BigInt kernel arithmetic for any free lists up to 2^40 pages', () => {
    const counts = fc.oneof(
      fc.nat({ max: 20 }),
      fc.nat({ max: 5_000_000 }),
      fc.nat({ max: 2 ** 30 }),
      fc.constant(0),
    );
    fc.assert(
      fc.property(fc.array(counts, { minLength: 1, maxLength: 14 }), (blocks) => {
        expect(pick(analyzeZone(zone(blocks)))).toEqual(byBigInt(blocks));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches it at the edges: no free pages, one block, and past the number limit', () => {
    for (const blocks of [
      [0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [1],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      [2 ** 40, 1],
      [2 ** 40 - 1, 0, 0],
      [Number.MAX_SAFE_INTEGER, 3, 7],
      [3, 5, 2 ** 38, 9, 2 ** 37, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ]) {
      expect([blocks, pick(analyzeZone(zone(blocks)))]).toEqual([blocks, byBigInt(blocks)]);
    }
  });
});
