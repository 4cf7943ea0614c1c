import { parseBuddyinfo } from '@memfleet/procfs';
import { assessFragmentationSeries } from './fragmentation-series';
import { GiB, T0 } from './series-builders';
import type { SeriesPoint, ZonePoint } from './series-point';
import { fragmentationTrendFindings } from './trend-findings';
import { readProcfsFixture } from './trend-fixtures';

const HOUR = 3600_000;

function normalOf(file: string): ZonePoint {
  const parsed = parseBuddyinfo(readProcfsFixture('buddyinfo', file), file);
  if (parsed.kind !== 'ok') throw new Error(`${file} did not parse`);
  const z = parsed.value.zones.find((x) => x.zone === 'Normal');
  if (!z) throw new Error(`${file} has no Normal zone`);
  return { node: z.node, zone: z.zone, freeBlocks: z.freeBlocks };
}

/** Real captures: an EC2 guest whose Normal zone is heavily fragmented, and a healthy 16 GiB PC. */
const FRAGMENTED = normalOf('linghuazaii-ec2-xen-heavily-fragmented.txt');
const HEALTHY = normalOf('node-exporter-x86-3zones-trailing-space.txt');

const at = (h: number) => new Date(T0 + h * HOUR);
const pt = (h: number, zones: ZonePoint[], extra: Partial<SeriesPoint> = {}): SeriesPoint => ({
  at: at(h),
  memTotalBytes: 8 * GiB,
  zones,
  ...extra,
});

/** One order-0..10 free list whose order-4 unusable index is about `index` thousandths. */
function listWithIndex(index: number, pages = 1 << 20): number[] {
  const small = Math.round((index / 1000) * pages);
  return [small, 0, 0, 0, 0, 0, 0, 0, 0, 0, Math.round((pages - small) / 1024)];
}

describe('assessFragmentationSeries', () => {
  it('reports a zone fragmented since the first of its latest fragmented points', () => {
    const pts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((h) => pt(h, [h < 4 ? HEALTHY : FRAGMENTED]));
    const a = assessFragmentationSeries(pts);
    const z = a.zones[0];
    expect(z?.verdict).toBe('fragmented');
    expect(z?.fragmentedSince).toEqual(at(4));
    expect(z?.fragmentedForSeconds).toBe(5 * 3600);
    expect(z?.fragmentedShare).toBeCloseTo(0.6, 9);
    expect(z?.latest?.unusableIndex).toBeGreaterThan(950);
    const [f] = fragmentationTrendFindings(a);
    expect(f).toMatchObject({
      kind: 'fragmentation',
      severity: 'warning',
      subject: 'node0/Normal',
    });
    expect(f?.evidence.find((e) => e.name === 'fragmented for')).toEqual({
      name: 'fragmented for',
      value: 18000,
      unit: 'seconds',
    });
  });

  it('turns a day of fragmentation into a critical finding', () => {
    const pts = Array.from({ length: 26 }, (_v, h) => pt(h, [FRAGMENTED]));
    expect(fragmentationTrendFindings(assessFragmentationSeries(pts))[0]?.severity).toBe(
      'critical',
    );
  });

  it('keeps a zone short of free memory apart from fragmentation', () => {
    const belowHigh = { ...FRAGMENTED, highPages: 10_000_000 };
    const a = assessFragmentationSeries([0, 1, 2, 3].map((h) => pt(h, [belowHigh])));
    expect(a.zones[0]?.verdict).toBe('insufficient_data');
    expect(a.zones[0]?.lowFreeMemoryPoints).toBe(4);
    expect(a.zones[0]?.reasons.join(' ')).toMatch(/shortage of free memory, not fragmentation/);
    expect(fragmentationTrendFindings(a)).toEqual([]);
    const tiny = normalOf('zte-router-4.1.25-armv7-94m-lowmem.txt');
    expect(assessFragmentationSeries([0, 1, 2].map((h) => pt(h, [tiny]))).zones[0]?.verdict).toBe(
      'insufficient_data',
    );
  });

  it('gives no fragmentation finding while the zone is short of free memory now', () => {
    const nowLow = { ...FRAGMENTED, highPages: 10_000_000 };
    const pts = [0, 1, 2, 3, 4].map((h) => pt(h, [h < 4 ? FRAGMENTED : nowLow]));
    const a = assessFragmentationSeries(pts);
    expect(a.zones[0]?.verdict).toBe('fragmented');
    expect(a.zones[0]?.latest?.lowFreeMemory).toBe(true);
    expect(a.zones[0]?.reasons.join(' ')).toMatch(/latest point is short of free memory/);
    expect(fragmentationTrendFindings(a)).toEqual([]);
  });

  it('calls a steadily rising index fragmenting before it crosses the threshold', () => {
    const pts = [100, 200, 300, 400, 500, 600].map((idx, h) =>
      pt(h, [{ node: 0, zone: 'Normal', freeBlocks: listWithIndex(idx) }]),
    );
    const z = assessFragmentationSeries(pts).zones[0];
    expect(z?.verdict).toBe('fragmenting');
    expect(z?.unusableIndexSlopePerDay).toBeCloseTo(100 * 24, -1);
    expect(fragmentationTrendFindings(assessFragmentationSeries(pts))[0]?.severity).toBe('info');
  });

  it('calls a low, flat index ok', () => {
    const pts = [0, 1, 2, 3].map((h) => pt(h, [HEALTHY]));
    expect(assessFragmentationSeries(pts).zones[0]?.verdict).toBe('ok');
  });

  it('judges only the latest boot: a reboot resets fragmentation', () => {
    const pts = [
      ...[0, 1, 2].map((h) => pt(h, [FRAGMENTED], { pgfault: BigInt(100 + h) })),
      ...[3, 4, 5].map((h) => pt(h, [HEALTHY], { pgfault: BigInt(h) })),
    ];
    const a = assessFragmentationSeries(pts);
    expect(a.reboots).toHaveLength(1);
    expect(a.zones[0]?.verdict).toBe('ok');
  });

  it('computes compact_stall/compact_fail rates per hour without crossing a reboot', () => {
    const c = (h: number, stall: number, fail: number) =>
      pt(h, [HEALTHY], { compactStall: BigInt(stall), compactFail: BigInt(fail) });
    // Boot 1: +20 stalls, +4 fails over 2 h. Boot 2 (counters restart): +5, +1 over 1 h.
    const a = assessFragmentationSeries([
      c(0, 100, 10),
      c(1, 110, 12),
      c(2, 120, 14),
      c(3, 0, 0),
      c(4, 5, 1),
    ]);
    expect(a.compactStallPerHour).toBeCloseTo(25 / 3, 9);
    expect(a.compactFailPerHour).toBeCloseTo(5 / 3, 9);
    expect(a.compactionObservedSeconds).toBe(3 * 3600);
  });

  it('reports MemFree above or below the buddy total without using it', () => {
    const buddyBytes = (1 << 20) * 4096;
    const zones = [{ node: 0, zone: 'Normal', freeBlocks: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1024] }];
    const above = assessFragmentationSeries([pt(0, zones, { memFreeBytes: 2 * buddyBytes })]);
    expect(above.freeOutsideBuddy?.differenceBytes).toBe(buddyBytes);
    const below = assessFragmentationSeries([pt(0, zones, { memFreeBytes: buddyBytes / 2 })]);
    expect(below.freeOutsideBuddy?.differenceBytes).toBe(-buddyBytes / 2);
    expect(below.freeOutsideBuddy?.note).toMatch(/different instants/);
    expect(below.zones[0]?.latest?.freeBytes).toBe(buddyBytes);
  });

  it('has nothing to judge without buddyinfo', () => {
    const a = assessFragmentationSeries(
      [pt(0, []), pt(1, [])].map((p) => ({ ...p, zones: undefined })),
    );
    expect(a.zones).toEqual([]);
    expect(a.reasons).toContain('no buddyinfo in the latest boot');
  });
});
