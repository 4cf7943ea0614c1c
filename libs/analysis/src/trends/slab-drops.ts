import { DEFAULT_SLAB_DROP_OPTIONS, type SlabDropOptions } from './defaults';
import { splitBoots, type RebootMark } from './segments';
import type { SeriesPoint } from './series-point';
import { chooseSlabMeasure, measureOf, type SlabMeasure } from './slab-measure';
import {
  measureRegrowth,
  perCacheFreed,
  survivors,
  survivorsNote,
  type CacheBytes,
  type Regrowth,
  type SurvivorCache,
} from './slab-regrowth';

/**
 * `drop_caches`: vmstat drop_slab or drop_pagecache went up between two points, i.e. someone (or
 * a cron job) wrote to /proc/sys/vm/drop_caches. `inferred`: the slab fell sharply with no counter
 * change — files deleted (their dentries and inodes go with them) or reclaim under pressure.
 */
export type DropTrigger = 'drop_caches' | 'inferred';

export interface SlabDrop {
  /** When the drop was seen complete (the point after it). */
  readonly at: Date;
  /** The last point before the fall began. */
  readonly beforeAt: Date;
  readonly trigger: DropTrigger;
  /** Increments of vmstat drop_slab / drop_pagecache across the drop (0 for inferred). */
  readonly dropSlabCount: number;
  readonly dropPagecacheCount: number;
  readonly beforeBytes: number;
  readonly afterBytes: number;
  /** before - after; can be <= 0 for a drop_caches that found nothing to free. */
  readonly freedBytes: number;
  readonly perCacheFreed: readonly CacheBytes[];
  /** Caches that kept most of their size (drop_caches only), and why that happens. */
  readonly survivors: readonly SurvivorCache[];
  readonly survivorsNote: string | null;
  /** null when too little was freed to speak of a ratio. */
  readonly regrowth: Regrowth | null;
  readonly topRegrowingCaches: readonly CacheBytes[];
}

export interface SlabDropAnalysis {
  /** What before/after/freed are measured on (see slab-measure.ts); null without any slab data. */
  readonly measure: SlabMeasure | null;
  readonly drops: readonly SlabDrop[];
  /** Points that carried the measure. */
  readonly pointCount: number;
  readonly reboots: readonly RebootMark[];
  readonly reasons: readonly string[];
}

interface Span {
  readonly before: number;
  readonly after: number;
  readonly trigger: DropTrigger;
  readonly dropSlab: number;
  readonly dropPagecache: number;
}

const delta = (a: bigint | undefined, b: bigint | undefined): number =>
  a !== undefined && b !== undefined && b > a ? Number(b - a) : 0;

/**
 * Slab drops and what came back after each, per boot (a reboot is never a drop: the series is
 * split there). Points need not be sorted.
 */
export function detectSlabDrops(
  points: readonly SeriesPoint[],
  options: Partial<SlabDropOptions> = {},
): SlabDropAnalysis {
  const opts = { ...DEFAULT_SLAB_DROP_OPTIONS, ...options };
  const measure = chooseSlabMeasure(points);
  const reasons: string[] = [];
  if (measure === null)
    return { measure, drops: [], pointCount: 0, reboots: [], reasons: ['no slab figures'] };
  const usable = points.filter((p) => measureOf(p, measure) !== undefined);
  if (usable.length < points.length)
    reasons.push(`${points.length - usable.length} point(s) without ${measure} were skipped`);
  if (measure !== 'SReclaimable') reasons.push(`no SReclaimable: drops are measured on ${measure}`);
  const { segments, reboots } = splitBoots(usable);
  if (reboots.length > 0)
    reasons.push(`${reboots.length} reboot(s): each boot is analysed on its own`);
  const drops: SlabDrop[] = [];
  for (const seg of segments) drops.push(...segmentDrops(seg, measure, opts));
  return { measure, drops, pointCount: usable.length, reboots, reasons };
}

function segmentDrops(
  seg: readonly SeriesPoint[],
  measure: SlabMeasure,
  opts: SlabDropOptions,
): SlabDrop[] {
  const v = seg.map((p) => measureOf(p, measure) as number);
  const isFall = (j: number): boolean => {
    const prev = v[j - 1] as number;
    return prev - (v[j] as number) > Math.max(opts.noiseBytes, opts.noiseFraction * prev);
  };
  const time = (j: number): number => (seg[j] as SeriesPoint).at.getTime();
  const spans: Span[] = [];
  let lower = 0;
  // Last known counters: a point without vmstat between two with it must not hide a drop.
  let lastSlab = seg[0]?.dropSlab;
  let lastPagecache = seg[0]?.dropPagecache;
  for (let j = 1; j < seg.length; j++) {
    const b = seg[j] as SeriesPoint;
    const dropSlab = delta(lastSlab, b.dropSlab);
    const dropPagecache = delta(lastPagecache, b.dropPagecache);
    lastSlab = b.dropSlab ?? lastSlab;
    lastPagecache = b.dropPagecache ?? lastPagecache;
    if (dropSlab + dropPagecache === 0) continue;
    const prev = spans[spans.length - 1];
    if (prev && j <= prev.after) {
      // A second write seen at the point the previous drop already ended on: one drop.
      spans[spans.length - 1] = {
        ...prev,
        dropSlab: prev.dropSlab + dropSlab,
        dropPagecache: prev.dropPagecache + dropPagecache,
      };
      continue;
    }
    // The counter is bumped when drop_caches RETURNS (fs/drop_caches.c counts the event after
    // drop_slab()): a point taken mid-drop already fell but shows the old count. Walk back over
    // the falling points to where the fall began, within the time a drop can take.
    let before = j - 1;
    while (
      before - 1 >= lower &&
      isFall(before) &&
      (time(j) - time(before - 1)) / 1000 <= opts.maxDropSeconds
    )
      before--;
    // The collector reads meminfo before vmstat (libs/collector command.ts): a drop that ends between the two reads shows the
    // new count with the old SReclaimable, and the fall only in the next point. Take that point
    // as `after` when nothing had fallen yet and the next interval falls.
    let after = j;
    const skewed = before === j - 1 && !isFall(j) && j + 1 < seg.length && isFall(j + 1);
    if (skewed && (time(j + 1) - time(j)) / 1000 <= opts.maxDropSeconds) after = j + 1;
    spans.push({ before, after, trigger: 'drop_caches', dropSlab, dropPagecache });
    lower = after;
  }
  spans.push(...inferredSpans(seg, v, isFall, spans, opts));
  spans.sort((x, y) => x.before - y.before);
  return spans.map((s, k) => {
    const before = seg[s.before] as SeriesPoint;
    const after = seg[s.after] as SeriesPoint;
    const next = spans[k + 1];
    const end = next ? Math.max(s.after, next.before) : seg.length - 1;
    const { regrowth, topRegrowingCaches } = measureRegrowth(
      seg,
      v,
      { before: s.before, after: s.after, end },
      opts,
    );
    const kept = s.trigger === 'drop_caches' ? survivors(before, after, opts) : [];
    return {
      at: after.at,
      beforeAt: before.at,
      trigger: s.trigger,
      dropSlabCount: s.dropSlab,
      dropPagecacheCount: s.dropPagecache,
      beforeBytes: v[s.before] as number,
      afterBytes: v[s.after] as number,
      freedBytes: (v[s.before] as number) - (v[s.after] as number),
      perCacheFreed: perCacheFreed(before, after, opts).slice(0, opts.topCaches),
      survivors: kept,
      survivorsNote: kept.length > 0 ? survivorsNote(s.dropSlab, s.dropPagecache) : null,
      regrowth,
      topRegrowingCaches,
    };
  });
}

/**
 * Runs of consecutive falling intervals that no drop_caches explains, kept when the fall is
 * large (bytes and share of the level) and quick. Deleting files produces these: their dentries
 * and inodes are freed with them, and drop_slab does not move.
 */
function inferredSpans(
  seg: readonly SeriesPoint[],
  v: readonly number[],
  isFall: (j: number) => boolean,
  counted: readonly Span[],
  opts: SlabDropOptions,
): Span[] {
  const out: Span[] = [];
  let j = 1;
  while (j < seg.length) {
    if (!isFall(j)) {
      j++;
      continue;
    }
    const s = j - 1;
    while (j + 1 < seg.length && isFall(j + 1)) j++;
    const e = j;
    j++;
    if (counted.some((c) => s < c.after && e > c.before)) continue;
    const fall = (v[s] as number) - (v[e] as number);
    const seconds =
      ((seg[e] as SeriesPoint).at.getTime() - (seg[s] as SeriesPoint).at.getTime()) / 1000;
    if (
      fall >= opts.minInferredBytes &&
      fall >= opts.minInferredFraction * (v[s] as number) &&
      seconds <= opts.maxInferredFallSeconds
    )
      out.push({ before: s, after: e, trigger: 'inferred', dropSlab: 0, dropPagecache: 0 });
  }
  return out;
}
