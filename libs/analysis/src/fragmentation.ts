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
  const fast = zoneIndexesFast(z.freeBlocks);
  const orders: OrderIndexes[] =
    fast?.orders ??
    z.freeBlocks.map((_count, order) => {
      const info = fillContigPageInfo(z.freeBlocks, order);
      return orderIndexes(order, unusableFreeIndex(order, info), fragmentationIndex(order, info));
    });
  let freePages: number;
  let freeBlocksTotal: number;
  if (fast) {
    freePages = fast.freePages;
    freeBlocksTotal = fast.freeBlocksTotal;
  } else {
    const total = fillContigPageInfo(z.freeBlocks, 0);
    freePages = Number(total.freePages);
    freeBlocksTotal = Number(total.freeBlocksTotal);
  }
  let highest: number | null = null;
  z.freeBlocks.forEach((count, order) => {
    if (count > 0) highest = order;
  });
  const prefix = zoneLinePrefix(z.node, z.zone);
  // Each value is followed by a space, as seq_printf("... ") leaves it, then '\n'.
  let unusableIndexLine = prefix;
  let fragmentationIndexLine = prefix;
  for (const o of orders) {
    unusableIndexLine += `${o.unusableFreeIndexText} `;
    fragmentationIndexLine += `${o.fragmentationIndexText} `;
  }
  return {
    node: z.node,
    zone: z.zone,
    subject: `node${z.node}/${z.zone}`,
    freePages,
    freeBlocksTotal,
    freeBlocks: z.freeBlocks,
    highestFreeOrder: highest,
    orders,
    unusableIndexLine,
    fragmentationIndexLine,
  };
}

function orderIndexes(order: number, unusable: number, frag: number): OrderIndexes {
  return {
    order,
    unusableFreeIndex: unusable,
    unusableFreeIndexText: formatUnusableIndex(unusable),
    fragmentationIndex: frag,
    fragmentationIndexText: formatFragmentationIndex(frag),
  };
}

/** Below this many free pages (4 PiB of 4 KiB pages) every product below stays under 2^53. */
const FAST_MAX_FREE_PAGES = 2 ** 40;

/** Integer division, truncating, exact when a + b < 2^53 (a float quotient may round up). */
function idiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/**
 * The kernel-frag-index arithmetic in plain numbers, for zones small enough that it is exact
 * (every real zone): BigInt costs ~0.5 µs per zone and order here, 20+ µs per snapshot. null
 * when a count is not a safe integer or the zone is too large: the BigInt path then decides.
 */
function zoneIndexesFast(
  freeBlocks: readonly number[],
): { orders: OrderIndexes[]; freePages: number; freeBlocksTotal: number } | null {
  let freePages = 0;
  let freeBlocksTotal = 0;
  for (let o = 0; o < freeBlocks.length; o++) {
    const count = freeBlocks[o] as number;
    if (!Number.isSafeInteger(count) || count < 0 || o > 40) return null;
    freeBlocksTotal += count;
    freePages += count * 2 ** o;
  }
  if (freePages > FAST_MAX_FREE_PAGES || freeBlocksTotal > FAST_MAX_FREE_PAGES) return null;
  const orders: OrderIndexes[] = [];
  // free_blocks_suitable for order k = sum over o >= k of count_o << (o - k), built from the top.
  const suitable: number[] = new Array<number>(freeBlocks.length);
  let acc = 0;
  for (let o = freeBlocks.length - 1; o >= 0; o--) {
    acc = acc * 2 + (freeBlocks[o] as number);
    suitable[o] = acc;
  }
  for (let k = 0; k < freeBlocks.length; k++) {
    const suit = suitable[k] as number;
    const requested = 2 ** k;
    const unusable =
      freePages === 0 ? 1000 : idiv((freePages - suit * requested) * 1000, freePages);
    let frag: number;
    if (freeBlocksTotal === 0) frag = 0;
    else if (suit !== 0) frag = -1000;
    else frag = 1000 - idiv(1000 + idiv(freePages * 1000, requested), freeBlocksTotal);
    orders.push(orderIndexes(k, unusable, frag));
  }
  return { orders, freePages, freeBlocksTotal };
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
