/**
 * The kernel's fragmentation arithmetic, transcribed from torvalds/linux mm/vmstat.c
 * (fill_contig_page_info, unusable_free_index, __fragmentation_index, extfrag_for_order, and the
 * debugfs printers unusable_show_print / extfrag_show_print). The kernel computes in unsigned
 * 64-bit integers with div_u64 (truncating division) and returns thousandths as an int; we use
 * BigInt so every intermediate is exact whatever the counts, then narrow to number.
 */

/** struct contig_page_info, for one zone and one "suitable" order. */
export interface ContigPageInfo {
  readonly freePages: bigint;
  readonly freeBlocksTotal: bigint;
  readonly freeBlocksSuitable: bigint;
}

/**
 * fill_contig_page_info(): walks every order of the zone's free lists (buddyinfo's columns).
 * free_blocks_suitable counts blocks of >= suitable_order, each split into 2^(order - suitable)
 * blocks of the requested size.
 */
export function fillContigPageInfo(
  freeBlocks: readonly number[],
  suitableOrder: number,
): ContigPageInfo {
  let freePages = 0n;
  let freeBlocksTotal = 0n;
  let freeBlocksSuitable = 0n;
  freeBlocks.forEach((count, order) => {
    const blocks = BigInt(count);
    freeBlocksTotal += blocks;
    freePages += blocks << BigInt(order);
    if (order >= suitableOrder) freeBlocksSuitable += blocks << BigInt(order - suitableOrder);
  });
  return { freePages, freeBlocksTotal, freeBlocksSuitable };
}

/**
 * unusable_free_index(): thousandths of the free memory that cannot serve an allocation of this
 * order. 0 = no fragmentation, 1000 = all free memory unusable (also when there is none).
 */
export function unusableFreeIndex(order: number, info: ContigPageInfo): number {
  if (info.freePages === 0n) return 1000;
  const usable = info.freeBlocksSuitable << BigInt(order);
  return Number(((info.freePages - usable) * 1000n) / info.freePages);
}

/**
 * __fragmentation_index(): only meaningful when an allocation of this order would fail. -1000
 * when it would succeed (a suitable block exists); towards 0 the failure is lack of memory,
 * towards 1000 it is fragmentation:
 *   1000 - div_u64(1000 + div_u64(free_pages * 1000ULL, requested), free_blocks_total)
 * The u64 result is narrowed to int on return, so it can go below 0 (e.g. -999 with one block).
 */
export function fragmentationIndex(order: number, info: ContigPageInfo): number {
  const requested = 1n << BigInt(order);
  if (info.freeBlocksTotal === 0n) return 0;
  if (info.freeBlocksSuitable !== 0n) return -1000;
  const scaled = 1000n + (info.freePages * 1000n) / requested;
  return 1000 - Number(scaled / info.freeBlocksTotal);
}

/**
 * extfrag_for_order(): the same idea as the unusable index but in percent [0, 100], and 0 (not
 * 100) for a zone with no free pages. Proactive compaction scores zones with it.
 */
export function extfragForOrder(freeBlocks: readonly number[], order: number): number {
  const info = fillContigPageInfo(freeBlocks, order);
  if (info.freePages === 0n) return 0;
  const usable = info.freeBlocksSuitable << BigInt(order);
  return Number(((info.freePages - usable) * 100n) / info.freePages);
}

/** C's printf("%Nd") / ("%0Nd") for an int: right-aligned, zero padding goes after the sign. */
function cInt(value: number, width: number, zeroPad: boolean): string {
  const digits = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  if (!zeroPad) return (sign + digits).padStart(width, ' ');
  return sign + digits.padStart(width - sign.length, '0');
}

/**
 * The kernel prints thousandths as `index / 1000` "." `index % 1000` with C's truncating division
 * and a remainder that keeps the dividend's sign — JS's Math.trunc and % behave the same — so
 * -1000 prints "-1.000" and an odd -500 prints " 0.-500", exactly as the kernel would.
 */
function cThousandths(index: number, intWidth: number): string {
  // Fast path for 0 <= index < 10000, every unusable index and most fragmentation indexes;
  // the same text as below, without the padStart calls (this runs ~70 times per snapshot).
  if (index >= 0 && index < 10000 && Number.isInteger(index)) {
    const whole = (index / 1000) | 0;
    const frac = index - whole * 1000;
    const f = frac < 10 ? `00${frac}` : frac < 100 ? `0${frac}` : `${frac}`;
    return intWidth === 2 ? ` ${whole}.${f}` : `${whole}.${f}`;
  }
  return `${cInt(Math.trunc(index / 1000), intWidth, false)}.${cInt(index % 1000, 3, true)}`;
}

/** unusable_show_print: `seq_printf(m, "%d.%03d ", index / 1000, index % 1000)`. */
export const formatUnusableIndex = (index: number): string => cThousandths(index, 0);

/**
 * extfrag_show_print: `"%2d.%03d "` since Linux 5.14 (commit "mm/vmstat: fix the output of
 * extfrag_index", Lin Feng, 2021); older kernels printed `"%d.%03d "`.
 */
export const formatFragmentationIndex = (index: number): string => cThousandths(index, 2);

/** The line prefix both debugfs files and buddyinfo share: `"Node %d, zone %8s "`. */
export function zoneLinePrefix(node: number, zone: string): string {
  return `Node ${node}, zone ${zone.padStart(8, ' ')} `;
}
