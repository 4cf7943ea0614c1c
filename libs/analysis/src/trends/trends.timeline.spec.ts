import { assessFragmentationSeries } from './fragmentation-series';
import { assessLeak } from './leak';
import type { SeriesPoint } from './series-point';
import { detectSlabDrops } from './slab-drops';
import { slabRegrowthFindings } from './trend-findings';
import { timelineEvents, timelinePoints } from './trend-fixtures';

/**
 * The real 6.18 rsync timeline (test/fixtures/timelines/rsync-drop-regrowth), read through
 * parseBundle. Its README's "MB" are thousands of kB as meminfo prints them: 184 MB = 184,000 kB.
 */
const README_MB = 1000 * 1024;
const points = timelinePoints();
const events = timelineEvents();
const at = (event: string): number => (events.get(event) as number) * 1000;

describe('slab drops on the real rsync timeline', () => {
  const analysis = detectSlabDrops(points);
  const manual = analysis.drops.filter((d) => d.trigger === 'drop_caches');
  const drop = manual[0];

  it('reports exactly one drop_caches drop, the `echo 2` of the workload', () => {
    expect(analysis.measure).toBe('SReclaimable');
    expect(manual).toHaveLength(1);
    expect(drop?.dropSlabCount).toBe(1);
    expect(drop?.dropPagecacheCount).toBe(0);
    // The echo happened between the last point before the fall and the first after it.
    expect(drop?.beforeAt.getTime()).toBeLessThanOrEqual(at('drop_caches_2'));
    expect(drop?.at.getTime()).toBeGreaterThan(at('drop_caches_2'));
    expect(drop?.beforeAt).toEqual(points[17]?.at);
    expect(drop?.at).toEqual(points[18]?.at);
  });

  it('measures about 184 MB freed, mostly dentry', () => {
    expect((drop?.freedBytes ?? 0) / README_MB).toBeCloseTo(184, -0.5);
    const top = drop?.perCacheFreed[0];
    expect(top?.name).toBe('dentry');
    expect(top?.bytes ?? 0).toBeGreaterThan(0.5 * (drop?.freedBytes ?? 0));
  });

  it('measures about 52 % regrowth overall and about 90 % for dentry', () => {
    const r = drop?.regrowth;
    expect(r?.ratio).toBeGreaterThan(0.49);
    expect(r?.ratio).toBeLessThan(0.55);
    const dentry = r?.perCache.find((c) => c.name === 'dentry');
    expect(dentry?.ratio).toBeGreaterThan(0.87);
    expect(dentry?.ratio).toBeLessThan(0.93);
    expect(drop?.topRegrowingCaches[0]?.name).toBe('dentry');
    // Half came back during the re-stat; 90 % never did before the cleanup.
    expect(r?.timeTo50PctSeconds).not.toBeNull();
    expect(r?.timeTo90PctSeconds).toBeNull();
    expect(r?.peakAt.getTime()).toBeGreaterThanOrEqual(at('restat_start'));
    expect(r?.untilAt.getTime()).toBeLessThanOrEqual(at('cleanup_end'));
  });

  it('names ext4_inode_cache as a survivor of echo 2, with the reason', () => {
    const ext4 = drop?.survivors.find((s) => s.name === 'ext4_inode_cache');
    expect(ext4?.keptRatio).toBeGreaterThan(0.9);
    expect(drop?.survivorsNote).toMatch(/echo 2/);
    expect(drop?.survivorsNote).toMatch(/page-cache/);
    expect(drop?.perCacheFreed.map((c) => c.name)).not.toContain('buffer_head');
  });

  it('reports no drop_caches during the rm -rf cleanup (drop_slab stays at 6)', () => {
    const during = analysis.drops.filter(
      (d) => d.at.getTime() > at('cleanup_start') && d.beforeAt.getTime() < at('end'),
    );
    expect(during.every((d) => d.trigger === 'inferred')).toBe(true);
    expect(during.every((d) => d.dropSlabCount === 0)).toBe(true);
  });

  it('keeps `before` at the last point before the fall when a snapshot lands mid-drop', () => {
    const p17 = points[17] as SeriesPoint;
    const p18 = points[18] as SeriesPoint;
    const half = (a?: number, b?: number) =>
      a === undefined || b === undefined ? undefined : (a + b) / 2;
    const caches = new Map<string, number>();
    for (const [name, size] of p17.caches ?? [])
      caches.set(name, (size + (p18.caches?.get(name) ?? 0)) / 2);
    // drop_slab still shows the old count: the kernel bumps it when the drop returns.
    const mid: SeriesPoint = {
      ...p17,
      at: new Date((p17.at.getTime() + p18.at.getTime()) / 2),
      sReclaimableBytes: half(p17.sReclaimableBytes, p18.sReclaimableBytes),
      caches,
    };
    const withMid = [...points.slice(0, 18), mid, ...points.slice(18)];
    const d = detectSlabDrops(withMid).drops.find((x) => x.trigger === 'drop_caches');
    expect(d?.beforeAt).toEqual(p17.at);
    expect(d?.freedBytes).toBe(drop?.freedBytes);
    expect(d?.regrowth?.ratio).toBeCloseTo(drop?.regrowth?.ratio ?? -1, 6);
  });

  it('turns the drop into one slab_regrowth warning about dentry, with units', () => {
    const findings = slabRegrowthFindings(analysis);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f?.kind).toBe('slab_regrowth');
    expect(f?.severity).toBe('warning');
    expect(f?.subject).toBe('dentry');
    expect(f?.summary).toMatch(/52 %/);
    expect(f?.summary).toMatch(/ext4_inode_cache/);
    expect(f?.advice).toMatch(/vfs_cache_pressure/);
    expect(f?.evidence.find((e) => e.name === 'regrowth ratio')?.unit).toBe('ratio');
    expect(f?.evidence.find((e) => e.name === 'freed')?.unit).toBe('bytes');
  });
});

describe('leak and fragmentation on the real rsync timeline', () => {
  it('does not call the create/delete workload a leak', () => {
    const a = assessLeak(points);
    expect(a.pointCount).toBe(58);
    expect(a.verdict).not.toBe('leaking');
    expect(a.reclaimable.pointCount).toBe(58);
  });

  it('finds no fragmented zone, and reports MemFree above the buddy lists without judging it', () => {
    const f = assessFragmentationSeries(points);
    expect(f.zones.map((z) => z.subject)).toEqual(['node0/DMA', 'node0/DMA32', 'node0/Normal']);
    expect(f.zones.every((z) => z.verdict !== 'fragmented' && z.verdict !== 'fragmenting')).toBe(
      true,
    );
    // The DMA zone (15 MiB free) is too small to judge.
    expect(f.zones[0]?.verdict).toBe('insufficient_data');
    expect(f.freeOutsideBuddy?.differenceBytes).toBeGreaterThan(0);
    expect(f.freeOutsideBuddy?.memFreeBytes).toBe(points[57]?.memFreeBytes);
    expect(f.compactStallPerHour).toBe(0);
  });
});
