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
  const caches = largestFirst(slabinfo.caches.map((c) => cacheUsage(c, pageSize)));
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

/**
 * Sorts by size, then totalObjBytes, largest first; ties keep slabinfo order. This is what
 * `sort((a, b) => sizeOf(b) - sizeOf(a) || b.totalObjBytes - a.totalObjBytes)` returns (a stable
 * sort has one answer per order), but a merge sort over the keys in typed arrays avoids ~2,000
 * comparator calls for a 250-cache host, which cost more than all the rest of computeSlab.
 */
function largestFirst(caches: SlabCacheUsage[]): SlabCacheUsage[] {
  const n = caches.length;
  const size = new Float64Array(n);
  const total = new Float64Array(n);
  let order = new Int32Array(n);
  let spare = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = caches[i] as SlabCacheUsage;
    size[i] = sizeOf(c);
    total[i] = c.totalObjBytes;
    order[i] = i;
  }
  // b goes before a: strictly larger only, so equal keys keep their order (stability).
  const before = (b: number, a: number): boolean =>
    (size[b] as number) > (size[a] as number) ||
    (size[b] === size[a] && (total[b] as number) > (total[a] as number));
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const a = order[i] as number;
        const b = order[j] as number;
        if (before(b, a)) {
          spare[k++] = b;
          j++;
        } else {
          spare[k++] = a;
          i++;
        }
      }
      while (i < mid) spare[k++] = order[i++] as number;
      while (j < hi) spare[k++] = order[j++] as number;
    }
    [order, spare] = [spare, order];
  }
  const out = new Array<SlabCacheUsage>(n);
  for (let i = 0; i < n; i++) out[i] = caches[order[i] as number] as SlabCacheUsage;
  return out;
}

/** The n largest caches, as `memfleet inspect` shows them. */
export function topCaches(summary: SlabSummary, n: number): readonly SlabCacheUsage[] {
  return summary.caches.slice(0, n);
}
