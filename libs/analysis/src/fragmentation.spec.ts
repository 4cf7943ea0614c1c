import type { Buddyinfo, Zoneinfo } from '@memfleet/procfs';
import { analyzeFragmentation, analyzeZone, compactionHpageOrder } from './fragmentation';
import {
  fillContigPageInfo,
  formatFragmentationIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableFreeIndex,
} from './kernel-frag-index';

// Kernel 6.18 output, timeline snapshot 00018 (buddyinfo2 == buddyinfo3, so the indexes are of it).
const NORMAL = [9391, 1493, 1034, 991, 437, 194, 76, 35, 7, 5, 1360];
const NORMAL_UNUSABLE =
  'Node 0, zone   Normal 0.000 0.006 0.008 0.011 0.016 0.021 0.026 0.029 0.032 0.033 0.035 ';
const NORMAL_EXTFRAG = `Node 0, zone   Normal ${'-1.000 '.repeat(11)}`;

describe('kernel fragmentation indexes', () => {
  it('reproduces the unusable_index and extfrag_index lines the kernel printed', () => {
    const z = analyzeZone({ node: 0, zone: 'Normal', freeBlocks: NORMAL });
    expect(z.unusableIndexLine).toBe(NORMAL_UNUSABLE);
    expect(z.fragmentationIndexLine).toBe(NORMAL_EXTFRAG);
    expect(z.orders[10]!.unusableFreeIndex).toBe(35);
    expect(z.highestFreeOrder).toBe(10);
  });

  it('computes the fragmentation index when no block of the order is free', () => {
    // 1000 - (1000 + 100*1000/16) / 100 = 1000 - 72 = 928 (integer division at each step)
    const info = fillContigPageInfo([100], 4);
    expect(fragmentationIndex(4, info)).toBe(928);
    expect(unusableFreeIndex(4, info)).toBe(1000);
    expect(formatFragmentationIndex(928)).toBe(' 0.928');
  });

  it('returns -1000 when a suitable block exists and 0 when the zone has no free blocks', () => {
    expect(fragmentationIndex(2, fillContigPageInfo([0, 0, 1], 2))).toBe(-1000);
    expect(fragmentationIndex(2, fillContigPageInfo([0, 0, 0], 2))).toBe(0);
  });

  it('treats a zone with no free pages as entirely unusable', () => {
    const z = analyzeZone({ node: 1, zone: 'DMA', freeBlocks: [0, 0, 0] });
    expect(z.orders.map((o) => o.unusableFreeIndex)).toEqual([1000, 1000, 1000]);
    expect(z.highestFreeOrder).toBeNull();
    expect(z.unusableIndexLine).toBe('Node 1, zone      DMA 1.000 1.000 1.000 ');
  });

  it('prints negative thousandths the way C printf does', () => {
    // one free order-0 page, order 1 requested: 1000 - (1000 + 500) / 1 = -500
    expect(fragmentationIndex(1, fillContigPageInfo([1, 0], 1))).toBe(-500);
    expect(formatFragmentationIndex(-500)).toBe(' 0.-500');
    expect(formatFragmentationIndex(-5)).toBe(' 0.-05');
    expect(formatFragmentationIndex(-1000)).toBe('-1.000');
    expect(formatUnusableIndex(7)).toBe('0.007');
  });

  it('stays exact where free_pages * 1000 exceeds 2^53', () => {
    // 2^52 + 4 free pages, 4 of them usable at order 1: 999.999... truncates to 999, not 1000
    const info = fillContigPageInfo([2 ** 52, 0, 1], 1);
    expect(info.freePages).toBe(2n ** 52n + 4n);
    expect(unusableFreeIndex(1, info)).toBe(999);
  });
});

describe('proactive compaction score', () => {
  const buddy: Buddyinfo = {
    zones: [
      { node: 0, zone: 'DMA32', freeBlocks: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100] },
      { node: 0, zone: 'Normal', freeBlocks: [1000, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0] },
    ],
  };
  const zone = (z: string, present: number) => ({ node: 0, zone: z, present, counters: {} });
  const zoneinfo: Zoneinfo = {
    zones: [zone('DMA', 0), zone('DMA32', 100_000), zone('Normal', 900_000), zone('Movable', 0)],
  };

  it('weights each zone by present pages over node present + 1', () => {
    const r = analyzeFragmentation(buddy, {
      zoneinfo,
      pageSize: 4096,
      compactionProactiveness: 20,
    });
    const node = r.compaction!.nodes[0]!;
    expect(r.compaction!.order).toBe(9);
    // Normal: 1512 free pages, 512 usable at order 9 -> (1000 * 100) / 1512 = 66
    expect(node.zones.find((z) => z.zone === 'Normal')!.score).toBe(66);
    expect(node.zones.find((z) => z.zone === 'DMA32')!.score).toBe(0);
    expect(node.score).toBe(Math.floor((900_000 * 66) / 1_000_001));
    expect(node.wmarkLow).toBe(80);
    expect(node.wmarkHigh).toBe(90);
    expect(node.aboveHighWatermark).toBe(false);
  });

  it('needs zoneinfo and says why not', () => {
    const r = analyzeFragmentation(buddy);
    expect(r.compaction).toBeNull();
    expect(r.compactionUnavailableReason).toMatch(/zoneinfo/);
    expect(r.zones).toHaveLength(2);
  });

  it('derives COMPACTION_HPAGE_ORDER from the page size', () => {
    expect(compactionHpageOrder(4096)).toBe(9);
    expect(compactionHpageOrder(65536)).toBe(13);
  });
});
