import { MiB, point } from './series-builders';
import type { SeriesPoint } from './series-point';
import { detectSlabDrops } from './slab-drops';
import { slabRegrowthFindings } from './trend-findings';

/** A 5-minute series of SReclaimable values (MiB), drop_slab counts and dentry = 60 % of it. */
function series(
  sr: readonly number[],
  dropSlab: readonly number[] = sr.map(() => 0),
  extra: Partial<Parameters<typeof point>[0]> = {},
): SeriesPoint[] {
  return sr.map((v, i) =>
    point({
      t: i * 300,
      sRecl: v * MiB,
      sUnrecl: 50 * MiB,
      dropSlab: dropSlab[i],
      dropPagecache: 0,
      pgfault: 1000 + i,
      caches: { dentry: 0.6 * v * MiB, ext4_inode_cache: 0.4 * v * MiB },
      ...extra,
    }),
  );
}

describe('detectSlabDrops on labelled synthetic series', () => {
  it('reports a drop when drop_slab increments, and measures regrowth until the end', () => {
    const r = detectSlabDrops(series([800, 800, 200, 500, 650, 700], [3, 3, 4, 4, 4, 4]));
    expect(r.drops).toHaveLength(1);
    const d = r.drops[0];
    expect(d?.trigger).toBe('drop_caches');
    expect(d?.freedBytes).toBe(600 * MiB);
    expect(d?.regrowth?.ratio).toBeCloseTo(500 / 600, 9);
    expect(d?.regrowth?.timeTo50PctSeconds).toBe(300);
    expect(d?.regrowth?.timeTo90PctSeconds).toBeNull();
    expect(d?.regrowth?.rateBytesPerHour).toBeCloseTo((500 * MiB) / 0.25, 0); // 500 MiB in 15 min
    expect(d?.regrowth?.perCache.map((c) => c.name)).toEqual(['dentry', 'ext4_inode_cache']);
  });

  it('walks back over points taken mid-drop to where the fall began', () => {
    const r = detectSlabDrops(series([800, 800, 500, 200, 200], [3, 3, 3, 4, 4]));
    expect(r.drops[0]?.beforeAt).toEqual(new Date('2026-01-01T00:05:00Z'));
    expect(r.drops[0]?.freedBytes).toBe(600 * MiB);
  });

  it('takes the next point as after when vmstat saw the drop end but meminfo did not yet', () => {
    const r = detectSlabDrops(series([800, 800, 800, 200, 250], [3, 3, 4, 4, 4]));
    expect(r.drops).toHaveLength(1);
    expect(r.drops[0]).toMatchObject({ trigger: 'drop_caches', freedBytes: 600 * MiB });
    expect(r.drops[0]?.beforeAt).toEqual(new Date('2026-01-01T00:05:00Z'));
  });

  it('folds a second write seen on the skewed after point into the same drop', () => {
    const r = detectSlabDrops(series([800, 800, 800, 200, 250], [3, 3, 4, 5, 5]));
    expect(r.drops).toHaveLength(1);
    expect(r.drops[0]?.dropSlabCount).toBe(2);
  });

  it('does not walk back further than a drop can take', () => {
    const r = detectSlabDrops(series([800, 700, 600, 500, 200], [3, 3, 3, 3, 4]), {
      maxDropSeconds: 600,
    });
    // Only the points within 600 s of the counter change count as the drop.
    expect(r.drops[0]?.beforeBytes).toBe(600 * MiB);
  });

  it('calls a sharp fall without a counter change inferred, never drop_caches', () => {
    const r = detectSlabDrops(series([800, 800, 300, 300, 310]));
    expect(r.drops.map((d) => d.trigger)).toEqual(['inferred']);
    expect(r.drops[0]?.survivors).toEqual([]);
  });

  it('ignores a slow decline spread over days and small wiggles', () => {
    const slow = [800, 790, 780, 770, 760, 750].map((v, i) =>
      point({ t: i * 86400, sRecl: v * MiB, pgfault: i }),
    );
    expect(detectSlabDrops(slow).drops).toEqual([]);
    expect(detectSlabDrops(series([800, 799.5, 800, 799.8, 800])).drops).toEqual([]);
  });

  it('never reports a reboot as a drop: counters reset and the series splits', () => {
    const before = series([800, 800, 810], [3, 3, 3]);
    const after = series([100, 120, 130], [0, 0, 0]).map((p, i) => ({
      ...p,
      at: new Date(Date.parse('2026-01-01T01:00:00Z') + i * 300_000),
      pgfault: BigInt(5 + i),
    }));
    const r = detectSlabDrops([...before, ...after]);
    expect(r.drops).toEqual([]);
    expect(r.reboots).toHaveLength(1);
    expect(r.reboots[0]?.evidence).toBe('counter_reset');
  });

  it('sees a drop_slab increment across a point whose vmstat was not collected', () => {
    const pts = series([800, 800, 200, 500], [3, 3, 4, 4]).map((p, i) =>
      i === 2 ? { ...p, dropSlab: undefined, dropPagecache: undefined, pgfault: undefined } : p,
    );
    expect(detectSlabDrops(pts).drops.map((d) => d.trigger)).toEqual(['drop_caches']);
  });

  it('sees a reboot across a point whose vmstat was not collected', () => {
    const pts = series([800, 800, 100, 110], [3, 3, 3, 0]).map((p, i) =>
      i === 2 ? { ...p, dropSlab: undefined, dropPagecache: undefined, pgfault: undefined } : p,
    );
    const last = pts[3] as SeriesPoint;
    pts[3] = { ...last, pgfault: 1n };
    const r = detectSlabDrops(pts);
    expect(r.reboots).toHaveLength(1);
  });

  it('splits at a boot_id change even when no counter is known', () => {
    const pts = [800, 800, 100, 110].map((v, i) =>
      point({ t: i * 300, sRecl: v * MiB, bootId: i < 2 ? 'a' : 'b' }),
    );
    const r = detectSlabDrops(pts);
    expect(r.drops).toEqual([]);
    expect(r.reboots[0]?.evidence).toBe('boot_id');
  });

  it('reports an echo 1 (drop_pagecache only) with no regrowth ratio when slab did not fall', () => {
    const pts = series([800, 800, 800, 805]).map((p, i) => ({
      ...p,
      dropPagecache: BigInt(i < 2 ? 1 : 2),
    }));
    const d = detectSlabDrops(pts).drops[0];
    expect(d?.trigger).toBe('drop_caches');
    expect(d?.dropPagecacheCount).toBe(1);
    expect(d?.regrowth).toBeNull();
  });

  it('ends the regrowth window of a drop where the next drop begins', () => {
    const r = detectSlabDrops(series([800, 200, 700, 750, 100, 300], [1, 2, 2, 2, 3, 3]));
    expect(r.drops).toHaveLength(2);
    expect(r.drops[0]?.regrowth?.peakBytes).toBe(750 * MiB);
    expect(r.drops[0]?.regrowth?.untilAt).toEqual(r.drops[1]?.beforeAt);
    expect(r.drops[1]?.regrowth?.ratio).toBeCloseTo(200 / 650, 9);
  });

  it('works without slabinfo: totals only, no per-cache lists', () => {
    const pts = series([800, 800, 200, 500], [3, 3, 4, 4]).map((p) => ({
      ...p,
      caches: undefined,
    }));
    const d = detectSlabDrops(pts).drops[0];
    expect(d?.freedBytes).toBe(600 * MiB);
    expect(d?.perCacheFreed).toEqual([]);
    expect(d?.topRegrowingCaches).toEqual([]);
    expect(d?.regrowth?.perCache).toEqual([]);
  });

  it('falls back to Slab, then to the cache sum, and says so', () => {
    const noSr = series([800, 800, 200, 500], [3, 3, 4, 4]).map((p) => ({
      ...p,
      sReclaimableBytes: undefined,
    }));
    const r = detectSlabDrops(noSr);
    expect(r.measure).toBe('Slab');
    expect(r.drops[0]?.freedBytes).toBe(600 * MiB);
    expect(r.reasons.join(' ')).toMatch(/Slab/);
    const cachesOnly = noSr.map((p) => ({ ...p, slabBytes: undefined }));
    expect(detectSlabDrops(cachesOnly).measure).toBe('cache_sum');
  });

  it('gives the same drops for shuffled input', () => {
    const pts = series([800, 800, 200, 500, 650], [3, 3, 4, 4, 4]);
    const shuffled = [pts[3], pts[0], pts[4], pts[2], pts[1]] as SeriesPoint[];
    expect(detectSlabDrops(shuffled)).toEqual(detectSlabDrops(pts));
  });

  it('measures across a collection gap: before and after are the points around it', () => {
    const pts = series([800, 800, 200, 500], [3, 3, 4, 4]).map((p, i) =>
      i >= 2 ? { ...p, at: new Date(p.at.getTime() + 3 * 86400_000) } : p,
    );
    const d = detectSlabDrops(pts).drops[0];
    expect(d?.trigger).toBe('drop_caches');
    expect((d!.at.getTime() - d!.beforeAt.getTime()) / 1000).toBeGreaterThan(3 * 86400);
  });

  it('returns no drops and a reason when no point has slab figures', () => {
    const r = detectSlabDrops([point({ t: 0 }), point({ t: 60 })]);
    expect(r).toMatchObject({ measure: null, drops: [], reasons: ['no slab figures'] });
  });
});

describe('slabRegrowthFindings', () => {
  it('gives one finding for many scheduled drops, about the latest, with the count', () => {
    // Hourly cron: drop to 200, regrow to 700, drop again.
    const sr = [800, 200, 700, 200, 700, 200, 700];
    const counts = [1, 2, 2, 3, 3, 4, 4];
    const a = detectSlabDrops(
      series(sr, counts).map((p, i) => ({ ...p, at: new Date(p.at.getTime() + i * 3300_000) })),
    );
    expect(a.drops).toHaveLength(3);
    const f = slabRegrowthFindings(a);
    expect(f).toHaveLength(1);
    expect(f[0]?.summary).toMatch(/3 drop_caches in range/);
    expect(f[0]?.evidence.find((e) => e.name === 'drop_caches in range')?.value).toBe(3);
  });

  it('stays silent when little came back', () => {
    const a = detectSlabDrops(series([800, 800, 200, 210, 220], [3, 3, 4, 4, 4]));
    expect(a.drops[0]?.regrowth?.ratio).toBeLessThan(0.25);
    expect(slabRegrowthFindings(a)).toEqual([]);
  });
});
