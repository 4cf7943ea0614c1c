import { parseBundle } from '@memfleet/procfs';
import { seriesPointFromSnapshot, seriesPointsFromSnapshots } from './series-point';
import { timelineBundle } from './trend-fixtures';

describe('seriesPointFromSnapshot', () => {
  const bundle = timelineBundle('00018');

  it('takes meminfo, vmstat counters, slab caches and buddy zones from a real snapshot', () => {
    const p = seriesPointFromSnapshot(parseBundle(bundle));
    expect(p?.at.toISOString()).toBe(bundle.collectedAt);
    expect(p?.memTotalBytes).toBe(24683656 * 1024);
    expect(p?.sReclaimableBytes).toBeGreaterThan(0);
    expect(p?.dropSlab).toBe(6n);
    expect(p?.dropPagecache).toBe(1n);
    expect(p?.compactStall).toBe(0n);
    expect(typeof p?.pgfault).toBe('bigint');
    // slabtop's cache size: num_slabs * pages_per_slab * 4096.
    expect((p?.caches?.get('ext4_inode_cache') ?? 0) % 4096).toBe(0);
    expect(p?.zones?.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
  });

  it('leaves fields absent, never 0, when a section was not collected', () => {
    const files = { '/proc/meminfo': bundle.files['/proc/meminfo'] as string };
    const p = seriesPointFromSnapshot(parseBundle({ ...bundle, files }));
    expect(p?.caches).toBeUndefined();
    expect(p?.dropSlab).toBeUndefined();
    expect(p?.zones).toBeUndefined();
    expect(p?.sUnreclaimBytes).toBeGreaterThan(0);
  });

  it('needs a time (from the bundle or the caller) and MemTotal', () => {
    const untimed = parseBundle({ ...bundle, collectedAt: undefined });
    expect(seriesPointFromSnapshot(untimed)).toBeNull();
    const at = new Date('2026-11-25T10:00:00Z');
    expect(seriesPointFromSnapshot(untimed, { at, bootId: 'b1' })).toMatchObject({
      at,
      bootId: 'b1',
    });
    expect(seriesPointFromSnapshot(parseBundle({ ...bundle, files: {} }))).toBeNull();
  });

  it('maps many snapshots and skips the ones without a time', () => {
    const timed = parseBundle(bundle);
    const untimed = parseBundle({ ...bundle, collectedAt: undefined });
    const pts = seriesPointsFromSnapshots([{ snapshot: timed }, { snapshot: untimed }]);
    expect(pts).toHaveLength(1);
    expect(pts[0]?.at.toISOString()).toBe(bundle.collectedAt);
  });
});
