import { allFixtures, errorOf, okValue, readFixture } from '../testing/fixtures';
import { parsePagetypeinfo } from './pagetypeinfo.parser';
import type { Pagetypeinfo } from './types';

const pti = (name: string): Pagetypeinfo =>
  okValue(parsePagetypeinfo(readFixture('pagetypeinfo', name), name));
const counts = (p: Pagetypeinfo, node: number, zone: string, type: string): number[] | undefined =>
  p.free
    .find((f) => f.node === node && f.zone === zone && f.type === type)
    ?.counts.map((c) => c.value);

describe('parsePagetypeinfo on every real capture', () => {
  it.each(allFixtures('pagetypeinfo').filter(([n]) => !n.includes('EMPTY')))(
    'parses %s',
    (_name, text) => {
      const p = okValue(parsePagetypeinfo(text));
      expect(p.free).toHaveLength(text.match(/, type /g)?.length ?? -1);
      expect(p.pagesPerBlock).toBe(2 ** p.pageBlockOrder);
      expect(p.blocks.length).toBeGreaterThan(0);
      for (const f of p.free) expect(f.counts).toHaveLength(11);
    },
  );

  it('reports the empty non-root read as unavailable (root-only since 5.4)', () => {
    const r = parsePagetypeinfo(
      readFixture('pagetypeinfo', 'debian11-5.10-2g-vm-EMPTY-nonroot.txt'),
    );
    expect(r.kind).toBe('unavailable');
    expect(r.kind === 'unavailable' && r.reason).toMatch(/root-only/);
  });
});

describe('parsePagetypeinfo: values and edge cases', () => {
  it('matches sp-endurance (order 10, 1024 pages per block, Reserve type)', () => {
    const p = pti('sp-endurance-nokia-arm-order10-trailing-space.txt');
    expect(p.pageBlockOrder).toBe(10);
    expect(p.pagesPerBlock).toBe(1024);
    expect(counts(p, 0, 'Normal', 'Unmovable')).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(counts(p, 0, 'Normal', 'Reclaimable')).toEqual([1532, 43, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(counts(p, 0, 'Normal', 'Movable')).toEqual([1813, 1881, 393, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(counts(p, 0, 'Normal', 'Reserve')).toEqual([2, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(counts(p, 0, 'Normal', 'Isolate')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(p.blocks).toEqual([
      {
        node: 0,
        zone: 'Normal',
        blocks: { Unmovable: 13, Reclaimable: 5, Movable: 105, Reserve: 1, Isolate: 0 },
      },
    ]);
  });

  it('keeps >100000 as value 100000 with overflow, across 8 repeated per-node header blocks', () => {
    const p = pti('plantegg-hygon-8node-overflow-100000.txt');
    const capped = p.free.flatMap((f) => f.counts.filter((c) => c.overflow));
    expect(capped).toHaveLength(23);
    expect(capped.every((c) => c.value === 100000)).toBe(true);
    const movable = p.free.find((f) => f.node === 0 && f.zone === 'Normal' && f.type === 'Movable');
    expect(movable?.counts.slice(0, 6)).toEqual([
      { value: 21088, overflow: false },
      { value: 100000, overflow: true },
      { value: 100000, overflow: true },
      { value: 100000, overflow: true },
      { value: 100000, overflow: true },
      { value: 90231, overflow: false },
    ]);
    expect([...new Set(p.free.map((f) => f.node))]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.blocks.find((b) => b.node === 0 && b.zone === 'Normal')?.blocks).toEqual({
      Unmovable: 856,
      Movable: 30173,
      Reclaimable: 709,
      HighAtomic: 0,
      Isolate: 0,
    });
  });

  it.each([
    [
      'ubuntu1204-3.2.0-58-x86-8g.txt',
      ['Unmovable', 'Reclaimable', 'Movable', 'Reserve', 'Isolate'],
    ],
    ['rhcos-4.18-el8-master.txt', ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate']],
    [
      'centos-stream9-5.14.0-325-do-vm.txt',
      ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate'],
    ],
    [
      'zte-router-4.1.25-armv7-94m-lowmem.txt',
      ['Unmovable', 'Reclaimable', 'Movable', 'Reserve', 'CMA', 'Isolate'],
    ],
  ])('takes migrate types and their order from the file (%s)', (name, types) => {
    const p = pti(name);
    expect(Object.keys(p.blocks[0]?.blocks ?? {})).toEqual(types);
    expect([...new Set(p.free.map((f) => f.type))]).toEqual(types);
  });

  it('reads non-zero HighAtomic free pages', () => {
    expect(
      counts(pti('ubuntu-5.4.0-170-vm-cma-highatomic.txt'), 0, 'DMA32', 'HighAtomic')?.slice(0, 4),
    ).toEqual([34, 31, 24, 10]);
  });

  it('reads the Normal + HighMem zones of 32-bit ARM with page block order 10', () => {
    const p = pti('goclever-insignia5-android-3.4.5-armv7-highmem.txt');
    expect(p.pageBlockOrder).toBe(10);
    expect(new Set(p.free.map((f) => f.zone))).toEqual(new Set(['Normal', 'HighMem']));
  });

  it('skips the CONFIG_PAGE_OWNER mixed-blocks table', () => {
    const text =
      readFixture('pagetypeinfo', 'rhcos-4.18-el8-master.txt') +
      '\nNumber of mixed blocks     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \nNode 0, zone      DMA            0            1            0            0            0 \n';
    expect(okValue(parsePagetypeinfo(text))).toEqual(pti('rhcos-4.18-el8-master.txt'));
  });

  it.each([
    [
      'a row with fewer counts than orders',
      'Page block order: 9\nPages per block: 512\n\nFree pages count per migrate type at order 0 1 2\nNode 0, zone DMA, type Movable 1 2\n',
      5,
    ],
    [
      'a blocks row with too many counts',
      'Page block order: 9\nPages per block: 512\n\nNumber of blocks type Unmovable Movable\nNode 0, zone DMA 1 2 3\n',
      5,
    ],
    [
      'nodes that disagree on the block order',
      'Page block order: 9\nPages per block: 512\nPage block order: 10\n',
      3,
    ],
    ['a missing header', 'Node 0, zone DMA, type Movable 1 2\n', 1],
  ])('rejects %s, naming the line', (_why, text, line) => {
    expect(errorOf(parsePagetypeinfo(text)).line).toBe(line);
  });
});
