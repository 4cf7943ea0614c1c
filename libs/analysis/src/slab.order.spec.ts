import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSlabinfo, type SlabCache } from '@memfleet/procfs';
import { cacheUsage, computeSlab, type SlabCacheUsage } from './slab';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'slabinfo');

const sizeOf = (c: SlabCacheUsage): number => c.sizeBytes ?? c.totalObjBytes;
/** The order computeSlab promises, as the plain comparator sort gives it. */
const reference = (caches: readonly SlabCache[], pageSize: number): string[] =>
  caches
    .map((c) => cacheUsage(c, pageSize))
    .sort((a, b) => sizeOf(b) - sizeOf(a) || b.totalObjBytes - a.totalObjBytes)
    .map((c) => c.name);

const cache = (name: string, numObjs: number, objSize: number, numSlabs?: number): SlabCache => ({
  name,
  activeObjs: numObjs,
  numObjs,
  objSize,
  objPerSlab: 1,
  pagesPerSlab: 1,
  numSlabs,
  activeSlabs: numSlabs,
});

describe('computeSlab order', () => {
  it('lists every capture largest first exactly as a stable comparator sort does', () => {
    let checked = 0;
    for (const f of readdirSync(FIXTURES)) {
      const p = parseSlabinfo(readFileSync(join(FIXTURES, f), 'utf8'));
      if (p.kind !== 'ok') continue;
      const got = computeSlab(p.value, 4096).caches.map((c) => c.name);
      expect([f, got]).toEqual([f, reference(p.value.caches, 4096)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('breaks size ties by total object bytes, then keeps slabinfo order', () => {
    const caches = [
      cache('a', 10, 8, 2),
      cache('b', 20, 8, 2),
      cache('c', 10, 8, 2),
      cache('d', 1, 8192, undefined),
      cache('e', 5, 8, 3),
      cache('f', 20, 8, 2),
      cache('g', 1, 8192, undefined),
    ];
    const got = computeSlab({ version: '2.1', caches }, 4096).caches.map((c) => c.name);
    expect(got).toEqual(['e', 'd', 'g', 'b', 'f', 'a', 'c']);
    expect(got).toEqual(reference(caches, 4096));
  });

  it('orders 0 to 1,500 caches alike (small runs, quicksort, the native sort past 1,024)', () => {
    for (const n of [0, 1, 2, 3, 17, 300, 1500]) {
      const caches = Array.from({ length: n }, (_, i) =>
        cache(`c${i}`, (i * 7919) % 13, 64, (i * 104729) % 5),
      );
      const got = computeSlab({ version: '2.1', caches }, 4096).caches.map((c) => c.name);
      expect(got).toEqual(reference(caches, 4096));
    }
  });

  it('orders caches too large to pack into one double the same way (petabyte sizes)', () => {
    const caches = [
      cache('small', 10, 8, 2),
      cache('huge', 1, 8, 2 ** 45),
      cache('huge-tie', 5, 8, 2 ** 45),
      cache('big-total', 2 ** 50, 64, undefined),
      cache('zero', 0, 8, 0),
    ];
    const got = computeSlab({ version: '2.1', caches }, 4096).caches.map((c) => c.name);
    expect(got).toEqual(reference(caches, 4096));
    expect(got).toEqual(['huge-tie', 'huge', 'big-total', 'small', 'zero']);
  });
});
