import type { Meminfo, SlabCache, Slabinfo } from '@memfleet/procfs';
import { meminfoBytes } from './meminfo-fields';
import { classifyCacheByName, type CacheReclaimClass } from './slab-classify';

/**
 * Slab usage as procps-ng 4 `slabtop` computes it (library/slabinfo.c, parse_slabinfo20()):
 *   cache size  = num_slabs * pages_per_slab * page_size   (slabtop's CACHE SIZE column)
 *   active size = sum of active_objs * objsize              ("Active / Total Size" left)
 *   total size  = sum of num_objs * objsize                 ("Active / Total Size" right)
 * procps notes the cache size is an upper bound: under memory pressure SLUB falls back to smaller
 * slab orders, so some slabs have fewer pages than pages_per_slab says.
 */
export interface SlabCacheUsage {
  readonly name: string;
  readonly activeObjs: number;
  readonly numObjs: number;
  readonly objSize: number;
  readonly objPerSlab: number;
  readonly pagesPerSlab: number;
  /** null when the line has no `: slabdata` group (procps rejects such a file). */
  readonly activeSlabs: number | null;
  readonly numSlabs: number | null;
  /** num_slabs * pages_per_slab * page_size; null without slabdata. */
  readonly sizeBytes: number | null;
  readonly activeObjBytes: number;
  readonly totalObjBytes: number;
  /** Reclaimable or not, guessed from the cache name (see slab-classify.ts). */
  readonly reclaimByName: CacheReclaimClass;
}

export interface SlabSummary {
  /** Every cache, largest first (by sizeBytes, then totalObjBytes). */
  readonly caches: readonly SlabCacheUsage[];
  readonly cacheCount: number;
  readonly activeObjs: number;
  readonly numObjs: number;
  readonly activeObjBytes: number;
  readonly totalObjBytes: number;
  /** Sum of the caches' sizeBytes; null if any cache lacks slabdata. */
  readonly sizeBytes: number | null;
  readonly pageSize: number;
  /** Per-cache split by name. Honest label: it is a heuristic, meminfo has the kernel's totals. */
  readonly byName: {
    readonly classification: 'by name';
    readonly reclaimableBytes: number;
    readonly unreclaimableBytes: number;
    readonly unknownBytes: number;
  };
  /** The kernel's own totals from meminfo (SReclaimable / SUnreclaim), when given. */
  readonly meminfo: {
    readonly slabBytes: number | null;
    readonly reclaimableBytes: number | null;
    readonly unreclaimableBytes: number | null;
  } | null;
}

export function cacheUsage(c: SlabCache, pageSize: number): SlabCacheUsage {
  const numSlabs = c.numSlabs ?? null;
  return {
    name: c.name,
    activeObjs: c.activeObjs,
    numObjs: c.numObjs,
    objSize: c.objSize,
    objPerSlab: c.objPerSlab,
    pagesPerSlab: c.pagesPerSlab,
    activeSlabs: c.activeSlabs ?? null,
    numSlabs,
    sizeBytes: numSlabs === null ? null : numSlabs * c.pagesPerSlab * pageSize,
    activeObjBytes: c.activeObjs * c.objSize,
    totalObjBytes: c.numObjs * c.objSize,
    reclaimByName: classifyCacheByName(c.name),
  };
}

const sizeOf = (c: SlabCacheUsage): number => c.sizeBytes ?? c.totalObjBytes;

export function computeSlab(slabinfo: Slabinfo, pageSize: number, meminfo?: Meminfo): SlabSummary {
  const caches = slabinfo.caches
    .map((c) => cacheUsage(c, pageSize))
    .sort((a, b) => sizeOf(b) - sizeOf(a) || b.totalObjBytes - a.totalObjBytes);
  let activeObjs = 0;
  let numObjs = 0;
  let activeObjBytes = 0;
  let totalObjBytes = 0;
  let sizeBytes: number | null = 0;
  const byName = { reclaimable: 0, unreclaimable: 0, unknown: 0 };
  for (const c of caches) {
    activeObjs += c.activeObjs;
    numObjs += c.numObjs;
    activeObjBytes += c.activeObjBytes;
    totalObjBytes += c.totalObjBytes;
    sizeBytes = sizeBytes === null || c.sizeBytes === null ? null : sizeBytes + c.sizeBytes;
    byName[c.reclaimByName] += sizeOf(c);
  }
  return {
    caches,
    cacheCount: caches.length,
    activeObjs,
    numObjs,
    activeObjBytes,
    totalObjBytes,
    sizeBytes,
    pageSize,
    byName: {
      classification: 'by name',
      reclaimableBytes: byName.reclaimable,
      unreclaimableBytes: byName.unreclaimable,
      unknownBytes: byName.unknown,
    },
    meminfo: meminfo
      ? {
          slabBytes: meminfoBytes(meminfo, 'Slab') ?? null,
          reclaimableBytes: meminfoBytes(meminfo, 'SReclaimable') ?? null,
          unreclaimableBytes: meminfoBytes(meminfo, 'SUnreclaim') ?? null,
        }
      : null,
  };
}

/** The n largest caches, as `memfleet inspect` shows them. */
export function topCaches(summary: SlabSummary, n: number): readonly SlabCacheUsage[] {
  return summary.caches.slice(0, n);
}
