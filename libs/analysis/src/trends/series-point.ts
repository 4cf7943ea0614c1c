import type { ParsedSnapshot } from '@memfleet/procfs';
import { meminfoBytes } from '../meminfo-fields';
import { computeSlab } from '../slab';

/**
 * One zone of one snapshot, as the fragmentation trend needs it: the buddy free lists (from which
 * the unusable index of any order follows) and the zone's watermarks when zoneinfo was collected.
 */
export interface ZonePoint {
  readonly node: number;
  readonly zone: string;
  /** freeBlocks[k] = free blocks of 2^k pages (a /proc/buddyinfo row). */
  readonly freeBlocks: readonly number[];
  /** Watermarks in pages (zoneinfo `min`/`low`/`high`), when known. */
  readonly minPages?: number;
  readonly lowPages?: number;
  readonly highPages?: number;
}

/**
 * The compact, storage-independent input of every trend function: a few numbers per snapshot.
 * Bytes unless named otherwise; an absent field is unknown, never 0. Counters are bigint like
 * the parsed vmstat (they pass 2^53 on long-lived hosts).
 */
export interface SeriesPoint {
  readonly at: Date;
  readonly memTotalBytes: number;
  readonly memAvailableBytes?: number;
  readonly memFreeBytes?: number;
  readonly sReclaimableBytes?: number;
  readonly sUnreclaimBytes?: number;
  readonly slabBytes?: number;
  /** Cache name -> size in bytes (slabtop's CACHE SIZE, or num_objs * objsize without slabdata). */
  readonly caches?: ReadonlyMap<string, number>;
  /** vmstat drop_slab / drop_pagecache: bumped once per `echo 2|3` / `echo 1|3` > drop_caches. */
  readonly dropSlab?: bigint;
  readonly dropPagecache?: bigint;
  readonly compactStall?: bigint;
  readonly compactFail?: bigint;
  /** vmstat pgfault: climbs on every boot from 0, so a fall means the counters were reset. */
  readonly pgfault?: bigint;
  readonly uptimeSeconds?: number;
  /** /proc/sys/kernel/random/boot_id, when the collector has it. */
  readonly bootId?: string;
  readonly pageSize?: number;
  readonly zones?: readonly ZonePoint[];
}

export interface SeriesPointExtras {
  /** Used when the snapshot carries no collectedAt. */
  readonly at?: Date;
  readonly uptimeSeconds?: number;
  readonly bootId?: string;
}

const ok = <T>(p: { kind: string; value?: T }): T | undefined =>
  p.kind === 'ok' ? p.value : undefined;

/**
 * Builds a SeriesPoint from a parsed bundle. Returns null when the snapshot has neither a time nor
 * MemTotal: a point without them cannot be placed on a trend. Sections that failed to parse leave
 * their fields absent.
 */
export function seriesPointFromSnapshot(
  snap: ParsedSnapshot,
  extras: SeriesPointExtras = {},
): SeriesPoint | null {
  const at = snap.collectedAt ?? extras.at;
  const meminfo = ok(snap.meminfo);
  const memTotal = meminfo && meminfoBytes(meminfo, 'MemTotal');
  if (!at || Number.isNaN(at.getTime()) || memTotal === undefined) return null;
  const slabinfo = ok(snap.slabinfo);
  let caches: Map<string, number> | undefined;
  if (slabinfo && slabinfo.caches.length > 0) {
    caches = new Map();
    for (const c of computeSlab(slabinfo, snap.pageSize).caches) {
      // Two lines with one name happen (merged aliases on old kernels): their sizes add up.
      caches.set(c.name, (caches.get(c.name) ?? 0) + (c.sizeBytes ?? c.totalObjBytes));
    }
  }
  const counters = ok(snap.vmstat)?.counters;
  const buddy = ok(snap.buddyinfo);
  const zoneinfo = ok(snap.zoneinfo);
  const zones: ZonePoint[] | undefined = buddy?.zones.map((b) => {
    const zi = zoneinfo?.zones.find((z) => z.node === b.node && z.zone === b.zone);
    return {
      node: b.node,
      zone: b.zone,
      freeBlocks: b.freeBlocks,
      minPages: zi?.min,
      lowPages: zi?.low,
      highPages: zi?.high,
    };
  });
  const m = meminfo as NonNullable<typeof meminfo>;
  return {
    at,
    memTotalBytes: memTotal,
    memAvailableBytes: meminfoBytes(m, 'MemAvailable'),
    memFreeBytes: meminfoBytes(m, 'MemFree'),
    sReclaimableBytes: meminfoBytes(m, 'SReclaimable'),
    sUnreclaimBytes: meminfoBytes(m, 'SUnreclaim'),
    slabBytes: meminfoBytes(m, 'Slab'),
    caches,
    dropSlab: counters?.get('drop_slab'),
    dropPagecache: counters?.get('drop_pagecache'),
    compactStall: counters?.get('compact_stall'),
    compactFail: counters?.get('compact_fail'),
    pgfault: counters?.get('pgfault'),
    uptimeSeconds: extras.uptimeSeconds,
    bootId: extras.bootId,
    pageSize: snap.pageSize,
    zones,
  };
}

/** Many snapshots at once, skipping those that cannot be placed on a trend (no time or MemTotal). */
export function seriesPointsFromSnapshots(
  snaps: readonly { readonly snapshot: ParsedSnapshot; readonly extras?: SeriesPointExtras }[],
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const s of snaps) {
    const p = seriesPointFromSnapshot(s.snapshot, s.extras);
    if (p) out.push(p);
  }
  return out;
}
