import type { SlabDropOptions } from './defaults';
import type { SeriesPoint } from './series-point';

/** A cache and a byte count (freed, regrown). */
export interface CacheBytes {
  readonly name: string;
  readonly bytes: number;
}

/** A cache that kept most of its size through a drop_caches. */
export interface SurvivorCache {
  readonly name: string;
  readonly beforeBytes: number;
  readonly afterBytes: number;
  /** after / before. */
  readonly keptRatio: number;
}

export interface CacheRegrowth {
  readonly name: string;
  readonly freedBytes: number;
  /** Peak after the drop minus the size right after it. */
  readonly regrownBytes: number;
  /** regrown / freed: 0 = nothing came back, 1 = all of it, > 1 = it outgrew its old size. */
  readonly ratio: number;
}

export interface Regrowth {
  /** End of the window regrowth was measured over: the next drop's start, or the last point. */
  readonly untilAt: Date;
  readonly peakBytes: number;
  readonly peakAt: Date;
  /** (peak - after) / (before - after); >= 0, > 1 when it came back bigger than before. */
  readonly ratio: number;
  /** Seconds from the drop until half / 90 % of the freed memory was back; null if never. */
  readonly timeTo50PctSeconds: number | null;
  readonly timeTo90PctSeconds: number | null;
  /** (peak - after) per hour between the drop and the peak; 0 when nothing came back. */
  readonly rateBytesPerHour: number;
  /** The caches that freed the most, each with its own regrowth ratio. */
  readonly perCache: readonly CacheRegrowth[];
}

const seconds = (a: Date, b: Date): number => (b.getTime() - a.getTime()) / 1000;

/** Caches that shrank the most between two points, largest first. Empty without slabinfo. */
export function perCacheFreed(
  before: SeriesPoint,
  after: SeriesPoint,
  opts: SlabDropOptions,
): CacheBytes[] {
  if (!before.caches || !after.caches) return [];
  const out: CacheBytes[] = [];
  for (const [name, b] of before.caches) {
    const freed = b - (after.caches.get(name) ?? 0);
    if (freed >= opts.minCacheBytes) out.push({ name, bytes: freed });
  }
  return out.sort((x, y) => y.bytes - x.bytes || x.name.localeCompare(y.name));
}

export function survivors(
  before: SeriesPoint,
  after: SeriesPoint,
  opts: SlabDropOptions,
): SurvivorCache[] {
  if (!before.caches || !after.caches) return [];
  const out: SurvivorCache[] = [];
  for (const [name, b] of before.caches) {
    const a = after.caches.get(name) ?? 0;
    if (b >= opts.survivorMinBytes && a >= opts.survivorKeptRatio * b)
      out.push({ name, beforeBytes: b, afterBytes: a, keptRatio: a / b });
  }
  return out.sort((x, y) => y.afterBytes - x.afterBytes).slice(0, opts.topCaches);
}

/** Why caches survive, depending on what was written to drop_caches. */
export function survivorsNote(dropSlab: number, dropPagecache: number): string {
  if (dropSlab > 0 && dropPagecache === 0)
    return (
      '`echo 2 > drop_caches` frees only unused dentries and inodes: an inode that still has ' +
      'page-cache pages (or is open, or a working directory) is pinned and stays, and so does ' +
      'its filesystem inode cache. `echo 3` drops the page cache first and would free them.'
    );
  if (dropSlab > 0)
    return (
      'Even `echo 3 > drop_caches` keeps dentries and inodes in use: open files, working ' +
      'directories, mount points, and pages that were dirty or mapped at the time.'
    );
  return '`echo 1 > drop_caches` frees page cache only; it does not shrink slab caches.';
}

/**
 * Regrowth after a drop, over points[after..end] (end = the next drop's start or the last
 * point): how much of the freed memory came back, how fast, and which caches re-grew.
 */
export function measureRegrowth(
  points: readonly SeriesPoint[],
  values: readonly number[],
  idx: { before: number; after: number; end: number },
  opts: SlabDropOptions,
): { regrowth: Regrowth | null; topRegrowingCaches: CacheBytes[] } {
  const before = points[idx.before] as SeriesPoint;
  const after = points[idx.after] as SeriesPoint;
  const afterValue = values[idx.after] as number;
  const freed = (values[idx.before] as number) - afterValue;
  const cachePeaks = new Map<string, number>();
  let peak = afterValue;
  let peakAt = after.at;
  let t50: number | null = null;
  let t90: number | null = null;
  for (let j = idx.after; j <= idx.end; j++) {
    const p = points[j] as SeriesPoint;
    const v = values[j] as number;
    if (v > peak) {
      peak = v;
      peakAt = p.at;
    }
    const back = v - afterValue;
    if (t50 === null && freed > 0 && back >= 0.5 * freed) t50 = seconds(after.at, p.at);
    if (t90 === null && freed > 0 && back >= 0.9 * freed) t90 = seconds(after.at, p.at);
    for (const [name, size] of p.caches ?? [])
      cachePeaks.set(name, Math.max(size, cachePeaks.get(name) ?? 0));
  }
  const regrownOf = (name: string): number =>
    Math.max(0, (cachePeaks.get(name) ?? 0) - (after.caches?.get(name) ?? 0));
  const topRegrowingCaches = after.caches
    ? [...cachePeaks.keys()]
        .map((name) => ({ name, bytes: regrownOf(name) }))
        .filter((c) => c.bytes >= opts.minCacheBytes)
        .sort((x, y) => y.bytes - x.bytes || x.name.localeCompare(y.name))
        .slice(0, opts.topCaches)
    : [];
  if (freed < opts.minFreedForRegrowthBytes) return { regrowth: null, topRegrowingCaches };
  const perCache = perCacheFreed(before, after, opts)
    .slice(0, opts.topCaches)
    .map((c) => ({
      name: c.name,
      freedBytes: c.bytes,
      regrownBytes: regrownOf(c.name),
      ratio: regrownOf(c.name) / c.bytes,
    }));
  const hours = seconds(after.at, peakAt) / 3600;
  const end = points[idx.end] as SeriesPoint;
  return {
    regrowth: {
      untilAt: end.at,
      peakBytes: peak,
      peakAt,
      ratio: (peak - afterValue) / freed,
      timeTo50PctSeconds: t50,
      timeTo90PctSeconds: t90,
      rateBytesPerHour: hours > 0 ? (peak - afterValue) / hours : 0,
      perCache,
    },
    topRegrowingCaches,
  };
}
