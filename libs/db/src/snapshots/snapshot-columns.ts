import type { BuddyZone, Slabinfo } from '@memfleet/procfs';
import { missingSectionMask, type SnapshotContent } from './codec/snapshot-content';

/**
 * Values derived at ingest and stored as plain columns, so fleet queries ("hosts whose
 * SUnreclaim grew", "hosts that cannot serve order-4") never decode a payload. Pure.
 * null = the source section or field was missing, never 0.
 */
export interface SnapshotColumns {
  readonly missingSections: number;
  readonly memTotalBytes: number | null;
  readonly memAvailableBytes: number | null;
  readonly sReclaimableBytes: number | null;
  readonly sUnreclaimBytes: number | null;
  readonly slabBytes: number | null;
  readonly processRssBytes: number | null;
  readonly processCount: number | null;
  readonly dropSlab: bigint | null;
  readonly dropPagecache: bigint | null;
  readonly compactStall: bigint | null;
  readonly compactFail: bigint | null;
  readonly fragUnusableOrder4: number | null;
  readonly fragMaxFreeOrder: number | null;
}

/** The order of the fragmentation column: order 4 (64 KiB with 4 KiB pages) is where THP-less
 * network and slab allocations start failing first on fragmented hosts. */
export const FRAG_ORDER = 4;

const INT8_LIMIT = 2n ** 63n;

/** Columns are integers: a value the kernel could not have printed is stored as unknown. */
const int = (v: number | undefined | null): number | null =>
  v !== undefined && v !== null && Number.isSafeInteger(v) ? v : null;

export function snapshotColumns(c: SnapshotContent): SnapshotColumns {
  const field = (name: string): number | null =>
    c.meminfo.kind === 'ok' ? int(c.meminfo.value.fields[name]) : null;
  const counter = (name: string): bigint | null => {
    const v = c.vmstat.kind === 'ok' ? c.vmstat.value.counters.get(name) : undefined;
    return v !== undefined && v >= -INT8_LIMIT && v < INT8_LIMIT ? v : null;
  };
  const frag = c.buddyinfo.kind === 'ok' ? fragmentation(c.buddyinfo.value.zones) : null;
  const procs = c.processes.kind === 'ok' ? c.processes.value : null;
  return {
    missingSections: missingSectionMask(c),
    memTotalBytes: field('MemTotal'),
    memAvailableBytes: field('MemAvailable'),
    sReclaimableBytes: field('SReclaimable'),
    sUnreclaimBytes: field('SUnreclaim'),
    slabBytes: c.slabinfo.kind === 'ok' ? int(slabBytes(c.slabinfo.value, c.pageSize)) : null,
    processRssBytes: int(procs?.rssSumBytes),
    processCount: int(procs?.count),
    dropSlab: counter('drop_slab'),
    dropPagecache: counter('drop_pagecache'),
    compactStall: counter('compact_stall'),
    compactFail: counter('compact_fail'),
    fragUnusableOrder4: frag && Number.isFinite(frag.unusable) ? frag.unusable : null,
    fragMaxFreeOrder: frag?.maxFreeOrder ?? null,
  };
}

/** Memory held by slab pages. Without the slabdata group, slabs are derived from num_objs. */
export function slabBytes(s: Slabinfo, pageSize: number): number {
  let total = 0;
  for (const c of s.caches) {
    const slabs =
      c.numSlabs ?? (c.objPerSlab > 0 ? Math.ceil(c.numObjs / c.objPerSlab) : undefined);
    total += slabs === undefined ? c.numObjs * c.objSize : slabs * c.pagesPerSlab * pageSize;
  }
  return total;
}

/**
 * The kernel's unusable free space index (mm/vmstat.c unusable_free_index): the fraction of
 * free pages in blocks smaller than 2^order. No free memory counts as all unusable (1).
 */
export function unusableIndex(freeBlocks: readonly number[], order: number): number {
  let free = 0;
  let suitable = 0;
  freeBlocks.forEach((blocks, k) => {
    free += blocks * 2 ** k;
    if (k >= order) suitable += blocks * 2 ** k;
  });
  return free === 0 ? 1 : (free - suitable) / free;
}

/** The DMA zone (16 MiB, x86) is always fragmented and serves almost nothing: left out. */
function fragmentation(
  zones: readonly BuddyZone[],
): { unusable: number; maxFreeOrder: number } | null {
  const considered = zones.filter((z) => z.zone !== 'DMA');
  if (considered.length === 0) return null;
  let unusable = 0;
  let maxFreeOrder = -1;
  for (const z of considered) {
    unusable = Math.max(unusable, unusableIndex(z.freeBlocks, FRAG_ORDER));
    z.freeBlocks.forEach((blocks, k) => {
      if (blocks > 0) maxFreeOrder = Math.max(maxFreeOrder, k);
    });
  }
  return { unusable, maxFreeOrder };
}
