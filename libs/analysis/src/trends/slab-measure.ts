import type { SeriesPoint } from './series-point';

/**
 * What a slab drop is measured on. SReclaimable first: drop_caches (fs/drop_caches.c) runs the
 * shrinkers, which free dentries, inodes and other SLAB_RECLAIM_ACCOUNT objects, i.e. exactly the
 * memory meminfo reports as SReclaimable. Total Slab mixes in SUnreclaim, which moves for its own
 * reasons (the 6.18 timeline's SUnreclaim rose 34 MiB during the `sync` just before the drop).
 * Slab is the fallback for kernels without the split, then the sum of slabinfo caches.
 */
export type SlabMeasure = 'SReclaimable' | 'Slab' | 'cache_sum';

const MEASURES: readonly SlabMeasure[] = ['SReclaimable', 'Slab', 'cache_sum'];

export function cacheSum(p: SeriesPoint): number | undefined {
  if (!p.caches) return undefined;
  let sum = 0;
  for (const v of p.caches.values()) sum += v;
  return sum;
}

export function measureOf(p: SeriesPoint, m: SlabMeasure): number | undefined {
  const v = m === 'SReclaimable' ? p.sReclaimableBytes : m === 'Slab' ? p.slabBytes : cacheSum(p);
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/**
 * The preferred measure among those present in (nearly) as many points as the best-covered one.
 * One measure is used for the whole series: switching per point (SReclaimable here, Slab there)
 * would invent drops and regrowth out of the difference between them.
 */
export function chooseSlabMeasure(points: readonly SeriesPoint[]): SlabMeasure | null {
  const coverage = MEASURES.map((m) => points.filter((p) => measureOf(p, m) !== undefined).length);
  const best = Math.max(...coverage);
  if (best === 0) return null;
  const i = coverage.findIndex((c) => c >= 0.9 * best);
  return MEASURES[i] ?? null;
}
