import type { Buddyinfo, BuddyZone, Zoneinfo } from '@memfleet/procfs';
import {
  extfragForOrder,
  fillContigPageInfo,
  formatFragmentationIndex,
  formatUnusableIndex,
  fragmentationIndex,
  unusableFreeIndex,
  zoneLinePrefix,
} from './kernel-frag-index';

/** Both indexes of one order, as integer thousandths (35 = 0.035) and as the kernel prints them. */
export interface OrderIndexes {
  readonly order: number;
  /** /sys/kernel/debug/extfrag/unusable_index for this order. */
  readonly unusableFreeIndex: number;
  readonly unusableFreeIndexText: string;
  /** /sys/kernel/debug/extfrag/extfrag_index for this order; -1000 = the allocation succeeds. */
  readonly fragmentationIndex: number;
  readonly fragmentationIndexText: string;
}

export interface ZoneFragmentation {
  readonly node: number;
  readonly zone: string;
  /** `node0/Normal`: the subject findings use. */
  readonly subject: string;
  readonly freePages: number;
  readonly freeBlocksTotal: number;
  readonly freeBlocks: readonly number[];
  /** Highest order with a free block; null when the zone has no free memory at all. */
  readonly highestFreeOrder: number | null;
  readonly orders: readonly OrderIndexes[];
  /** The zone's line of unusable_index / extfrag_index, byte for byte, without the newline. */
  readonly unusableIndexLine: string;
  readonly fragmentationIndexLine: string;
}

/** One zone's share of its node's proactive-compaction score (mm/compaction.c). */
export interface ZoneCompactionScore {
  readonly zone: string;
  readonly presentPages: number;
  /** fragmentation_score_zone(): extfrag_for_order(zone, COMPACTION_HPAGE_ORDER), 0..100. */
  readonly score: number;
  /** fragmentation_score_zone_weighted(): score * present / (node present + 1). */
  readonly weightedScore: number;
}

export interface NodeCompactionScore {
  readonly node: number;
  /** fragmentation_score_node(): sum of the weighted zone scores, 0..100. */
  readonly score: number;
  readonly zones: readonly ZoneCompactionScore[];
  /** kcompactd starts proactive compaction above `high` and stops below `low`; null without the tunable. */
  readonly wmarkLow: number | null;
  readonly wmarkHigh: number | null;
  /** score > wmarkHigh (the test in should_proactive_compact_node); null when unknown or disabled. */
  readonly aboveHighWatermark: boolean | null;
}

export interface CompactionScores {
  readonly order: number;
  readonly nodes: readonly NodeCompactionScore[];
}

export interface FragmentationReport {
  readonly zones: readonly ZoneFragmentation[];
  /** null without zoneinfo: the score weights zones by present pages, which buddyinfo lacks. */
  readonly compaction: CompactionScores | null;
  readonly compactionUnavailableReason?: string;
}

export interface FragmentationOptions {
  readonly zoneinfo?: Zoneinfo;
  /** Bytes; decides COMPACTION_HPAGE_ORDER when `compactionOrder` is not given. */
  readonly pageSize?: number;
  readonly compactionOrder?: number;
  /** vm.compaction_proactiveness, for the kcompactd watermarks; 0 disables proactive compaction. */
  readonly compactionProactiveness?: number;
}

/**
 * COMPACTION_HPAGE_ORDER is HPAGE_PMD_ORDER with THP (PMD_SHIFT - PAGE_SHIFT otherwise): a PMD maps
 * one page table page of 8-byte entries, so the order is log2(pageSize / 8) on 64-bit kernels:
 * 9 with 4 KiB pages, 11 with 16 KiB, 13 with 64 KiB.
 */
export function compactionHpageOrder(pageSize: number): number {
  return Math.log2(pageSize / 8);
}

export function analyzeZone(z: BuddyZone): ZoneFragmentation {
  const orders: OrderIndexes[] = z.freeBlocks.map((_count, order) => {
    const info = fillContigPageInfo(z.freeBlocks, order);
    const unusable = unusableFreeIndex(order, info);
    const frag = fragmentationIndex(order, info);
    return {
      order,
      unusableFreeIndex: unusable,
      unusableFreeIndexText: formatUnusableIndex(unusable),
      fragmentationIndex: frag,
      fragmentationIndexText: formatFragmentationIndex(frag),
    };
  });
  const total = fillContigPageInfo(z.freeBlocks, 0);
  let highest: number | null = null;
  z.freeBlocks.forEach((count, order) => {
    if (count > 0) highest = order;
  });
  const prefix = zoneLinePrefix(z.node, z.zone);
  return {
    node: z.node,
    zone: z.zone,
    subject: `node${z.node}/${z.zone}`,
    freePages: Number(total.freePages),
    freeBlocksTotal: Number(total.freeBlocksTotal),
    freeBlocks: z.freeBlocks,
    highestFreeOrder: highest,
    orders,
    // Each value is followed by a space, as seq_printf("... ") leaves it, then '\n'.
    unusableIndexLine: prefix + orders.map((o) => `${o.unusableFreeIndexText} `).join(''),
    fragmentationIndexLine: prefix + orders.map((o) => `${o.fragmentationIndexText} `).join(''),
  };
}

/**
 * mm/compaction.c fragmentation_score_node(): for each populated zone (present pages > 0),
 * present_pages * extfrag_for_order(zone, COMPACTION_HPAGE_ORDER) / (node_present_pages + 1),
 * summed. node_present_pages is the sum of the node's zones' present pages (zoneinfo lists
 * unpopulated zones too, with present 0). Zones buddyinfo lacks have no free pages: score 0.
 * Watermarks from fragmentation_score_wmark(): low = max(100 - proactiveness, 5),
 * high = min(low + 10, 100).
 */
export function compactionScores(
  buddy: Buddyinfo,
  zoneinfo: Zoneinfo,
  order: number,
  proactiveness?: number,
): CompactionScores | null {
  const nodes = [...new Set(zoneinfo.zones.map((z) => z.node))].sort((a, b) => a - b);
  const out: NodeCompactionScore[] = [];
  for (const node of nodes) {
    const zones = zoneinfo.zones.filter((z) => z.node === node);
    if (zones.some((z) => z.present === undefined)) return null;
    const nodePresent = zones.reduce((s, z) => s + BigInt(z.present ?? 0), 0n);
    const scored: ZoneCompactionScore[] = [];
    let score = 0;
    for (const z of zones) {
      const present = z.present ?? 0;
      if (present === 0) continue;
      const free = buddy.zones.find((b) => b.node === node && b.zone === z.zone);
      const zoneScore = free ? extfragForOrder(free.freeBlocks, order) : 0;
      const weighted = Number((BigInt(present) * BigInt(zoneScore)) / (nodePresent + 1n));
      score += weighted;
      scored.push({
        zone: z.zone,
        presentPages: present,
        score: zoneScore,
        weightedScore: weighted,
      });
    }
    const low = proactiveness === undefined ? null : Math.max(100 - proactiveness, 5);
    const high = low === null ? null : Math.min(low + 10, 100);
    out.push({
      node,
      score,
      zones: scored,
      wmarkLow: low,
      wmarkHigh: high,
      aboveHighWatermark: high === null || proactiveness === 0 ? null : score > high,
    });
  }
  return { order, nodes: out };
}

export function analyzeFragmentation(
  buddy: Buddyinfo,
  options: FragmentationOptions = {},
): FragmentationReport {
  const zones = buddy.zones.map(analyzeZone);
  if (!options.zoneinfo) {
    return {
      zones,
      compaction: null,
      compactionUnavailableReason:
        'no zoneinfo: the compaction score weights zones by present pages',
    };
  }
  const order = options.compactionOrder ?? compactionHpageOrder(options.pageSize ?? 4096);
  const compaction = compactionScores(
    buddy,
    options.zoneinfo,
    order,
    options.compactionProactiveness,
  );
  return compaction
    ? { zones, compaction }
    : { zones, compaction: null, compactionUnavailableReason: 'zoneinfo lacks present pages' };
}
