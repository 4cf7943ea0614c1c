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
    const size = sizeOf(c);
    // A switch, not byName[c.reclaimByName]: a keyed store per cache costs more than the sums.
    switch (c.reclaimByName) {
      case 'reclaimable':
        byName.reclaimable += size;
        break;
      case 'unreclaimable':
        byName.unreclaimable += size;
        break;
      default:
        byName.unknown += size;
    }
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
 * sort has one answer per order), without ~2,000 comparator calls for a 250-cache host, which
 * cost more than all the rest of computeSlab: each cache's index is packed under its size in one
 * exact double, `index - size * 2^k`, and those are sorted as plain numbers; runs of equal size
 * are then sorted the same way by totalObjBytes. A size too large to pack exactly (>= 2^53 / 2^k,
 * petabytes) sends the whole list to a merge sort with the same order.
 */
function largestFirst(caches: readonly SlabCacheUsage[]): SlabCacheUsage[] {
  const n = caches.length;
  let scale = 1;
  while (scale < n) scale *= 2;
  const limit = 2 ** 53 / scale;
  if (packedKeys.length < n) {
    packedKeys = new Float64Array(n * 2);
    packedOrder = new Int32Array(n * 2);
  }
  const keys = packedKeys.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const size = sizeOf(caches[i] as SlabCacheUsage);
    if (!(Number.isInteger(size) && size >= 0 && size < limit)) return mergeSorted(caches);
    keys[i] = i - size * scale;
  }
  sortKeys(keys, 0, n);
  const order = packedOrder;
  for (let p = 0; p < n; p++) order[p] = unpackIndex(keys[p] as number, scale);
  // Within a run of equal sizes the indexes ascend; re-key the run by totalObjBytes.
  for (let start = 0; start < n;) {
    const size = sizeOf(caches[order[start] as number] as SlabCacheUsage);
    let end = start + 1;
    // Already in order when the totals do not rise along the run (all equal, typically 0).
    let sorted = true;
    let prev = (caches[order[start] as number] as SlabCacheUsage).totalObjBytes;
    while (end < n) {
      const c = caches[order[end] as number] as SlabCacheUsage;
      if (sizeOf(c) !== size) break;
      if (c.totalObjBytes > prev) sorted = false;
      prev = c.totalObjBytes;
      end++;
    }
    if (!sorted) {
      for (let p = start; p < end; p++) {
        const i = order[p] as number;
        const total = (caches[i] as SlabCacheUsage).totalObjBytes;
        if (!(Number.isInteger(total) && total >= 0 && total < limit)) return mergeSorted(caches);
        keys[p] = i - total * scale;
      }
      sortKeys(keys, start, end);
      for (let p = start; p < end; p++) order[p] = unpackIndex(keys[p] as number, scale);
    }
    start = end;
  }
  const out: SlabCacheUsage[] = [];
  for (let p = 0; p < n; p++) out.push(caches[order[p] as number] as SlabCacheUsage);
  return out;
}

/**
 * Scratch for largestFirst, reused: a typed array of more than 64 bytes gets an off-heap buffer,
 * whose allocation and later release cost more than the sort. Synchronous use only.
 */
let packedKeys = new Float64Array(512);
let packedOrder = new Int32Array(512);

/**
 * Sorts keys[lo..hi) ascending; the keys are distinct (each packs its own index). A quicksort on
 * the typed array is ~2x faster than Float64Array#sort for a few hundred keys, whose native
 * comparator handles NaN and -0; past 1,024 keys that native sort runs instead, so no input
 * can make this quadratic.
 */
function sortKeys(a: Float64Array, lo: number, hi: number): void {
  if (hi - lo > 1024) {
    a.subarray(lo, hi).sort();
    return;
  }
  while (hi - lo > 16) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >> 1] as number;
    const z = a[hi - 1] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi - 1;
    for (;;) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i >= j) break;
      const t = a[i] as number;
      a[i++] = a[j] as number;
      a[j--] = t;
    }
    // a[lo..j] <= pivot <= a[j+1..hi): recurse into the smaller side, loop on the larger.
    if (j + 1 - lo < hi - j - 1) {
      sortKeys(a, lo, j + 1);
      lo = j + 1;
    } else {
      sortKeys(a, j + 1, hi);
      hi = j + 1;
    }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= lo && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

/** The index packed in `index - value * scale` (0 <= index < scale; scale a power of two, so
 * the division is exact; no `%`, which is a slow fmod on doubles). */
const unpackIndex = (key: number, scale: number): number => key - Math.floor(key / scale) * scale;

/** Bottom-up merge sort by the same order, for sizes too large to pack into one double. */
function mergeSorted(caches: readonly SlabCacheUsage[]): SlabCacheUsage[] {
  let order = caches.map((_c, i) => i);
  let spare = order.slice();
  const n = caches.length;
  // b goes before a only when strictly larger, so equal keys keep their order (stability).
  const before = (b: number, a: number): boolean => {
    const cb = caches[b] as SlabCacheUsage;
    const ca = caches[a] as SlabCacheUsage;
    return (
      sizeOf(cb) > sizeOf(ca) || (sizeOf(cb) === sizeOf(ca) && cb.totalObjBytes > ca.totalObjBytes)
    );
  };
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (before(order[j] as number, order[i] as number)) spare[k++] = order[j++] as number;
        else spare[k++] = order[i++] as number;
      }
      while (i < mid) spare[k++] = order[i++] as number;
      while (j < hi) spare[k++] = order[j++] as number;
    }
    [order, spare] = [spare, order];
  }
  return order.map((i) => caches[i] as SlabCacheUsage);
}

/** The n largest caches, as `memfleet inspect` shows them. */
export function topCaches(summary: SlabSummary, n: number): readonly SlabCacheUsage[] {
  return summary.caches.slice(0, n);
}
