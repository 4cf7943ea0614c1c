import { parseBundle } from '@memfleet/procfs';
import { diagnoseSnapshot } from '../diagnose';
import type { Finding } from '../finding';
import { seriesPointFromSnapshot, type SeriesPoint } from '../trends/series-point';
import { timelineBundle, timelineDirs } from '../trends/trend-fixtures';
import { fromCompactPoint, toCompactPoint } from './compact-point';
import {
  boundedWindow,
  evaluateCollectionFailure,
  evaluateSnapshot,
  trendFindings,
} from './evaluate';
import type { ActiveFinding, FindingsUpdate } from './findings-engine.types';
import { reconcileFindings } from './reconcile';

const stillOpen = (u: FindingsUpdate): ActiveFinding[] => [...u.opened, ...u.updated];
const T0 = Date.parse('2026-11-25T00:00:00Z');
const at = (i: number) => new Date(T0 + i * 60_000);
const risky = (severity: Finding['severity'] = 'critical'): Finding => ({
  kind: 'tunable_risk',
  severity,
  subject: 'vfs_cache_pressure',
  summary: 'vfs_cache_pressure is 0',
  advice: 'set it to 100',
  evidence: [{ name: 'vfs_cache_pressure', value: 0, unit: 'percent' }],
});
const ALL = new Set(['tunable_risk', 'collection_failing'] as const);

describe('reconcileFindings', () => {
  it('opens a finding the first time it is reported and keeps its start on later reports', () => {
    const first = reconcileFindings([], [risky()], at(0), ALL);
    expect(first.opened).toHaveLength(1);
    const second = reconcileFindings(stillOpen(first), [risky('warning')], at(1), ALL);
    expect(second.opened).toHaveLength(0);
    expect(second.updated[0]).toMatchObject({
      startedAt: at(0),
      lastSeenAt: at(1),
      severity: 'warning',
    });
  });

  it('closes only after three misses in a row, ending at the first miss', () => {
    let open = stillOpen(reconcileFindings([], [risky()], at(0), ALL));
    const closedAt: Date[] = [];
    for (let i = 1; i <= 3; i++) {
      const u = reconcileFindings(open, [], at(i), ALL);
      open = stillOpen(u);
      for (const c of u.closed) closedAt.push(c.endedAt);
      if (i < 3) expect(u.closed).toHaveLength(0);
    }
    expect(closedAt).toEqual([at(1)]);
    expect(open).toHaveLength(0);
  });

  it('keeps one finding open while the value flaps around its threshold', () => {
    let open: ActiveFinding[] = [];
    let opens = 0;
    let closes = 0;
    for (let i = 0; i < 20; i++) {
      const u = reconcileFindings(open, i % 2 === 0 ? [risky()] : [], at(i), ALL);
      opens += u.opened.length;
      closes += u.closed.length;
      open = stillOpen(u);
    }
    expect({ opens, closes, open: open.length }).toEqual({ opens: 1, closes: 0, open: 1 });
  });

  it('does not count a miss for kinds outside the evaluation scope', () => {
    const open = stillOpen(reconcileFindings([], [risky()], at(0), ALL));
    let u = reconcileFindings(open, [], at(1), new Set(['collection_failing'] as const));
    for (let i = 2; i < 6; i++)
      u = reconcileFindings(stillOpen(u), [], at(i), new Set(['collection_failing'] as const));
    expect(u.updated[0]).toMatchObject({ misses: 0, clearedAt: null });
  });

  it('merges two reports of one subject into the more severe, keeping both evidence lists', () => {
    const u = reconcileFindings(
      [],
      [
        risky('info'),
        { ...risky('critical'), evidence: [{ name: 'other', value: 1, unit: 'count' }] },
      ],
      at(0),
      ALL,
    );
    expect(u.opened).toHaveLength(1);
    expect(u.opened[0]?.severity).toBe('critical');
    expect(u.opened[0]?.evidence.map((e) => e.name).sort()).toEqual([
      'other',
      'vfs_cache_pressure',
    ]);
  });
});

describe('evaluateCollectionFailure', () => {
  const attempt = (n: number, i: number) => ({
    at: at(i),
    consecutiveFailures: n,
    state: 'unreachable',
    lastError: 'connect ECONNREFUSED',
  });

  it('opens collection_failing at the third consecutive failure, critical from the tenth', () => {
    let open: ActiveFinding[] = [];
    const opened: number[] = [];
    for (let n = 1; n <= 10; n++) {
      const u = evaluateCollectionFailure(open, attempt(n, n));
      if (u.opened.length) opened.push(n);
      open = stillOpen(u);
    }
    expect(opened).toEqual([3]);
    expect(open[0]).toMatchObject({ kind: 'collection_failing', severity: 'critical' });
  });

  it('is closed by the next successful snapshot', () => {
    const open = stillOpen(evaluateCollectionFailure([], attempt(5, 0)));
    const u = evaluateSnapshot({ at: at(1), active: open, snapshotFindings: [], window: [] });
    expect(u.closed.map((c) => c.kind)).toEqual(['collection_failing']);
  });
});

describe('evaluateSnapshot over the real rsync timeline', () => {
  const dirs = timelineDirs();
  const parsed = dirs.map((d) => parseBundle(timelineBundle(d)));
  const points = parsed.map((p) => seriesPointFromSnapshot(p) as SeriesPoint);

  function replay() {
    let open: ActiveFinding[] = [];
    const events: { i: number; kind: string; what: 'opened' | 'closed' }[] = [];
    points.forEach((p, i) => {
      const u = evaluateSnapshot({
        at: p.at,
        active: open,
        snapshotFindings: diagnoseSnapshot(parsed[i]!).findings,
        window: points.slice(0, i + 1),
      });
      for (const f of u.opened) events.push({ i, kind: f.kind, what: 'opened' });
      for (const f of u.closed) events.push({ i, kind: f.kind, what: 'closed' });
      open = stillOpen(u);
    });
    return { events, open };
  }

  it('opens one slab_regrowth finding about dentry after the re-stat, not at the drop', () => {
    const { events, open } = replay();
    const regrowth = events.filter((e) => e.kind === 'slab_regrowth');
    expect(regrowth).toHaveLength(1);
    expect(regrowth[0]?.what).toBe('opened');
    expect(regrowth[0]?.i).toBeGreaterThanOrEqual(19);
    const f = open.find((x) => x.kind === 'slab_regrowth');
    expect(f?.subject).toBe('dentry');
    expect(f?.evidence.find((e) => e.name === 'regrowth ratio')?.unit).toBe('ratio');
  });

  it('reports no leak: the slab growth of the file creation is not unreclaimable', () => {
    expect(replay().events.filter((e) => e.kind === 'sunreclaim_leak')).toEqual([]);
  });

  it('bounds the window by count and age', () => {
    const last = points[points.length - 1]!;
    expect(boundedWindow(points, last.at, { windowPoints: 10 })).toHaveLength(10);
    expect(boundedWindow(points, last.at, { windowSeconds: 9 }).length).toBeLessThanOrEqual(4);
  });
});

describe('leak findings', () => {
  const MiB = 1024 * 1024;
  const pt = (hours: number, sUnreclaimMiB: number): SeriesPoint => ({
    at: new Date(T0 + hours * 3600_000),
    memTotalBytes: 16 * 1024 * MiB,
    memAvailableBytes: 8 * 1024 * MiB,
    sUnreclaimBytes: sUnreclaimMiB * MiB,
    sReclaimableBytes: 100 * MiB,
  });

  it('opens sunreclaim_leak for steady growth over hours, with a subject that does not move', () => {
    const window = Array.from({ length: 24 }, (_, i) => pt(i, 200 + 40 * i + (i % 3)));
    const u = evaluateSnapshot({ at: window[23]!.at, active: [], snapshotFindings: [], window });
    expect(u.opened.map((f) => [f.kind, f.subject])).toEqual([['sunreclaim_leak', 'SUnreclaim']]);
  });

  it('does not report a one-off step as a leak', () => {
    const window = Array.from({ length: 24 }, (_, i) => pt(i, i < 12 ? 200 : 900));
    const u = evaluateSnapshot({ at: window[23]!.at, active: [], snapshotFindings: [], window });
    expect(u.opened.filter((f) => f.kind === 'sunreclaim_leak')).toEqual([]);
  });
});

describe('compact points', () => {
  const dirs = timelineDirs();
  const points = dirs.map(
    (d) => seriesPointFromSnapshot(parseBundle(timelineBundle(d))) as SeriesPoint,
  );

  it('survive JSON with every figure the detectors read, small caches left out', () => {
    const p = points[20] as SeriesPoint;
    const back = fromCompactPoint(JSON.parse(JSON.stringify(toCompactPoint(p))));
    expect(back.at).toEqual(p.at);
    expect(back.sReclaimableBytes).toBe(p.sReclaimableBytes);
    expect(back.dropSlab).toBe(p.dropSlab);
    expect(back.zones).toEqual(
      p.zones?.map((z) => ({ node: z.node, zone: z.zone, freeBlocks: z.freeBlocks })),
    );
    expect(back.caches?.get('dentry')).toBe(p.caches?.get('dentry'));
    const small = [...(p.caches ?? [])].filter(([, b]) => b < 256 * 1024).map(([n]) => n);
    expect(small.length).toBeGreaterThan(0);
    for (const n of small) expect(back.caches?.has(n)).toBe(false);
  });

  it('give the same slab_regrowth finding as the full points on the real timeline', () => {
    const compact = points.map((p) =>
      fromCompactPoint(JSON.parse(JSON.stringify(toCompactPoint(p)))),
    );
    const full = trendFindings(points).filter((f) => f.kind === 'slab_regrowth');
    const fromCompact = trendFindings(compact).filter((f) => f.kind === 'slab_regrowth');
    expect(full).toHaveLength(1);
    expect(fromCompact.map((f) => [f.subject, f.severity])).toEqual(
      full.map((f) => [f.subject, f.severity]),
    );
    const ratio = (fs: Finding[]) =>
      fs[0]?.evidence.find((e) => e.name === 'regrowth ratio')?.value;
    expect(ratio(fromCompact)).toBeCloseTo(ratio(full) as number, 6);
  });
});
