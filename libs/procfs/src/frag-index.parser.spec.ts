import { errorOf, okValue, readTimeline, timelineSnapshots } from '../testing/fixtures';
import { parseBuddyinfo } from './buddyinfo.parser';
import { parseFragIndex } from './frag-index.parser';

describe('parseFragIndex on the timeline debugfs captures', () => {
  it.each(timelineSnapshots())('parses unusable_index and extfrag_index of snapshot %s', (snap) => {
    for (const f of ['unusable_index', 'extfrag_index']) {
      const z = okValue(parseFragIndex(readTimeline(snap, f), f)).zones;
      expect(z.map((x) => x.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
      for (const x of z) expect(x.milli).toHaveLength(11);
    }
  });

  it('reads thousandths exactly, including -1.000', () => {
    const u = okValue(parseFragIndex(readTimeline('00030', 'unusable_index'))).zones;
    expect(u[0]?.milli).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 66, 200]);
    expect(u[2]?.milli.slice(0, 4)).toEqual([0, 3, 4, 7]);
    const e = okValue(parseFragIndex(readTimeline('00030', 'extfrag_index'))).zones;
    expect(e[1]?.milli).toEqual(Array(11).fill(-1000));
  });

  const stable = timelineSnapshots().filter(
    (s) => readTimeline(s, 'buddyinfo2') === readTimeline(s, 'buddyinfo3'),
  );

  it('has snapshots whose buddyinfo did not move while the indexes were read', () => {
    expect(stable.length).toBeGreaterThan(10);
  });

  it.each(stable)('agrees with the kernel unusable-index formula on snapshot %s', (snap) => {
    // unusable_index(order) = (free pages - free pages in blocks >= order) / free pages, in
    // thousandths, truncated (mm/vmstat.c unusable_free_index); 1000 when nothing is free.
    const buddy = okValue(parseBuddyinfo(readTimeline(snap, 'buddyinfo2'))).zones;
    const kernel = okValue(parseFragIndex(readTimeline(snap, 'unusable_index'))).zones;
    buddy.forEach((z, i) => {
      const free = z.freeBlocks.reduce((sum, n, order) => sum + n * 2 ** order, 0);
      const expected = z.freeBlocks.map((_, order) => {
        if (free === 0) return 1000;
        const suitable = z.freeBlocks.reduce(
          (sum, n, o) => (o >= order ? sum + n * 2 ** o : sum),
          0,
        );
        return Math.floor(((free - suitable) * 1000) / free);
      });
      expect(kernel[i]?.milli).toEqual(expected);
    });
  });

  it('agrees with the kernel extfrag formula on the same snapshot', () => {
    // mm/vmstat.c __fragmentation_index: -1000 when a block of the order is free, else
    // 1000 - (1000 + free_pages * 1000 / 2^order) / free_blocks_total, integer divisions.
    const snap = timelineSnapshots().find(
      (s) => readTimeline(s, 'buddyinfo2') === readTimeline(s, 'buddyinfo3'),
    );
    const buddy = okValue(parseBuddyinfo(readTimeline(snap as string, 'buddyinfo2'))).zones;
    const kernel = okValue(parseFragIndex(readTimeline(snap as string, 'extfrag_index'))).zones;
    buddy.forEach((z, i) => {
      const free = z.freeBlocks.reduce((sum, n, order) => sum + n * 2 ** order, 0);
      const blocks = z.freeBlocks.reduce((sum, n) => sum + n, 0);
      const expected = z.freeBlocks.map((_, order) => {
        if (blocks === 0) return 0;
        if (z.freeBlocks.some((n, o) => o >= order && n > 0)) return -1000;
        return 1000 - Math.floor((1000 + Math.floor((free * 1000) / 2 ** order)) / blocks);
      });
      expect(kernel[i]?.milli).toEqual(expected);
    });
  });

  it.each([
    ['a value without three decimals', 'Node 0, zone DMA 0.5 0.000\n', 1],
    [
      'rows with different order counts',
      'Node 0, zone DMA 0.000\nNode 0, zone Normal 0.000 0.000\n',
      2,
    ],
    ['empty text', '', 1],
  ])('rejects %s', (_why, text, line) => {
    expect(errorOf(parseFragIndex(text)).line).toBe(line);
  });
});
