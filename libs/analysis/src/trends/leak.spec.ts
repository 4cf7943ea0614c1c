import { parseBundle } from '@memfleet/procfs';
import { assessLeak } from './leak';
import { GiB, MiB, noise, point } from './series-builders';
import { seriesPointFromSnapshot, type SeriesPoint } from './series-point';
import { leakFindings } from './trend-findings';
import { readProcfsFixture } from './trend-fixtures';

const HOUR = 3600;
const MEM = 16 * GiB;

/** SUnreclaim = base + f(i), sampled every `step` seconds; kmalloc-64 carries the change. */
function ramp(n: number, step: number, f: (i: number) => number, seed = 1): SeriesPoint[] {
  const jitter = noise(seed);
  return Array.from({ length: n }, (_v, i) => {
    const grow = f(i);
    return point({
      t: i * step,
      sUnrecl: 400 * MiB + grow + jitter() * 2 * MiB,
      sRecl: 900 * MiB + jitter() * 50 * MiB,
      memAvailable: 10 * GiB - grow,
      pgfault: 1000 * (i + 1),
      caches: { 'kmalloc-64': 100 * MiB + grow, dentry: 300 * MiB, task_struct: 20 * MiB },
    });
  });
}

/** 1 % of MemTotal per day. */
const LEAK_PER_HOUR = (0.01 * MEM) / 24;

describe('assessLeak on labelled synthetic series', () => {
  it('calls a steady leak leaking, with its slope, cache and exhaustion time', () => {
    const pts = ramp(48, HOUR, (i) => i * LEAK_PER_HOUR);
    const a = assessLeak(pts);
    expect(a.verdict).toBe('leaking');
    expect(a.slopeBytesPerHour! / LEAK_PER_HOUR).toBeCloseTo(1, 1);
    expect(a.monotonicity).toBeGreaterThan(0.95);
    expect(a.topGrowingCaches[0]?.name).toBe('kmalloc-64');
    expect(a.topGrowingCaches.map((c) => c.name)).not.toContain('dentry');
    const last = pts[47] as SeriesPoint;
    const hours = (last.memAvailableBytes as number) / (a.slopeBytesPerHour as number);
    expect(a.projectedExhaustionAt?.getTime()).toBeCloseTo(last.at.getTime() + hours * 3.6e6, -3);
    const [f] = leakFindings(a);
    expect(f?.kind).toBe('sunreclaim_leak');
    expect(f?.subject).toBe('kmalloc-64');
    expect(f?.advice).toMatch(/slab_nomerge/);
    expect(f?.advice).toMatch(/kmemleak/);
    expect(f?.evidence.find((e) => e.name === 'SUnreclaim slope')?.unit).toBe('bytes/hour');
  });

  it('does not call a one-off step (a module load) a leak', () => {
    // 2 GiB at once: the Theil–Sen slope alone would pass the floor; the step rule must not.
    const pts = ramp(48, HOUR, (i) => (i >= 24 ? 2 * GiB : 0));
    const a = assessLeak(pts);
    expect(a.verdict).toBe('stable');
    expect(a.largestStepShare).toBeGreaterThan(0.5);
    expect(a.step?.at).toEqual(pts[24]?.at);
    expect(a.reasons.join(' ')).toMatch(/one-off step/);
    expect(leakFindings(a)).toEqual([]);
  });

  it('calls a dense, noisy leak leaking (5-min samples, ±20 MiB jitter on 1 %/day)', () => {
    const jitter = noise(11);
    const pts = Array.from({ length: 288 }, (_v, i) =>
      point({ t: i * 300, sUnrecl: 400 * MiB + (i / 12) * LEAK_PER_HOUR + jitter() * 40 * MiB }),
    );
    const a = assessLeak(pts);
    expect(a.verdict).toBe('leaking');
    expect(a.slopeBytesPerHour! / LEAK_PER_HOUR).toBeCloseTo(1, 1);
  });

  it('calls a staircase of flat intervals growing, not leaking', () => {
    const pts = Array.from({ length: 48 }, (_v, i) =>
      point({ t: i * HOUR, sUnrecl: 400 * MiB + Math.floor(i / 12) * 200 * MiB }),
    );
    const a = assessLeak(pts);
    expect(a.verdict).toBe('growing');
    expect(a.reasons.join(' ')).toMatch(/intervals rise/);
  });

  it('calls noise around a flat level stable', () => {
    expect(assessLeak(ramp(100, HOUR, () => 0, 7)).verdict).toBe('stable');
  });

  it('judges the data, not the wall-clock range: the same shape over an hour or a month agrees', () => {
    // Same points per unit of growth relative to MemTotal per day.
    const dense = ramp(30, 120, (i) => i * (LEAK_PER_HOUR / 30) * 50);
    const sparse = ramp(30, 86400, (i) => i * LEAK_PER_HOUR * 24 * 1.0);
    expect(assessLeak(dense).verdict).toBe('leaking');
    expect(assessLeak(sparse).verdict).toBe('leaking');
  });

  it('uses only the latest boot after a reboot mid-series', () => {
    const leak = ramp(30, HOUR, (i) => i * LEAK_PER_HOUR);
    const afterReboot = ramp(10, HOUR, () => 0, 3).map((p, i) => ({
      ...p,
      at: new Date(p.at.getTime() + 40 * HOUR * 1000),
      pgfault: BigInt(i + 1),
    }));
    const a = assessLeak([...leak, ...afterReboot]);
    expect(a.pointCount).toBe(10);
    expect(a.verdict).toBe('stable');
    expect(a.reasons[0]).toMatch(/reboot/);
  });

  it('assesses only the last boot of a saw-tooth of boots (boot_id changes)', () => {
    const boots = [0, 1, 2].flatMap((b) =>
      ramp(8, HOUR, (i) => i * 10 * MiB).map((p) => ({
        ...p,
        at: new Date(p.at.getTime() + b * 10 * HOUR * 1000),
        bootId: `boot-${b}`,
      })),
    );
    const a = assessLeak(boots);
    expect(a.pointCount).toBe(8);
    expect(a.firstAt).toEqual(boots[16]?.at);
    expect(a.growthBytes).toBeCloseTo(70 * MiB, -6);
  });

  it('says insufficient_data with too few points', () => {
    const a = assessLeak(ramp(3, HOUR, (i) => i * LEAK_PER_HOUR));
    expect(a.verdict).toBe('insufficient_data');
    expect(assessLeak([]).verdict).toBe('insufficient_data');
  });

  it('calls a short but clean rise growing, not leaking', () => {
    const a = assessLeak(ramp(6, HOUR, (i) => i * 4 * LEAK_PER_HOUR));
    expect(a.verdict).toBe('growing');
    expect(leakFindings(a)[0]?.severity).toBe('info');
  });

  it('fits across collection gaps and reports them', () => {
    // Steady 1 %/day, hourly, with 48 h of missing snapshots after the 20th point.
    const jitter = noise(5);
    const pts = Array.from({ length: 40 }, (_v, i) => {
      const h = i < 20 ? i : i + 48;
      return point({ t: h * HOUR, sUnrecl: 400 * MiB + h * LEAK_PER_HOUR + jitter() * MiB });
    });
    const a = assessLeak(pts);
    expect(a.reasons.join(' ')).toMatch(/gap of 49\.0 h/);
    // The gap carries 49 h of growth: expected for its length, so not a one-off step.
    expect(a.verdict).toBe('leaking');
    expect(a.largestStepShare).toBeLessThan(0.1);
  });

  it('still sees a slow leak around a one-off step, and reports the step', () => {
    const pts = ramp(48, HOUR, (i) => i * LEAK_PER_HOUR + (i >= 24 ? 3 * GiB : 0));
    const a = assessLeak(pts);
    expect(a.verdict).toBe('leaking');
    expect(a.largestStepShare).toBeGreaterThan(0.5);
    expect(a.step?.at).toEqual(pts[24]?.at);
    expect(a.step!.bytes / (3 * GiB)).toBeCloseTo(1, 1);
    expect(a.slopeBytesPerHour! / LEAK_PER_HOUR).toBeCloseTo(1, 1);
  });

  it('keeps reclaimable growth apart: a growing dentry cache is no SUnreclaim leak', () => {
    const pts = Array.from({ length: 30 }, (_v, i) =>
      point({
        t: i * HOUR,
        sUnrecl: 400 * MiB,
        sRecl: 900 * MiB + i * 100 * MiB,
        caches: { dentry: 300 * MiB + i * 100 * MiB, 'kmalloc-64': 100 * MiB },
      }),
    );
    const a = assessLeak(pts);
    expect(a.verdict).toBe('stable');
    expect(a.reclaimable.slopeBytesPerHour).toBeCloseTo(100 * MiB, -3);
    expect(a.reclaimable.topGrowingCaches[0]?.name).toBe('dentry');
    expect(a.topGrowingCaches).toEqual([]);
  });

  it('handles 5,000 points quickly with a sampled Theil–Sen', () => {
    const pts = ramp(5000, 60, (i) => (i * LEAK_PER_HOUR) / 60);
    const started = Date.now();
    const a = assessLeak(pts);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(a.verdict).toBe('leaking');
    expect(a.slopeBytesPerHour! / LEAK_PER_HOUR).toBeCloseTo(1, 1);
  });
});

describe('assessLeak on the Webb kmalloc-64 capture (linux-mm 2010)', () => {
  const capture = seriesPointFromSnapshot(
    parseBundle({
      collectedAt: '2010-08-04T02:21:48Z',
      files: {
        '/proc/meminfo': readProcfsFixture(
          'meminfo',
          'linux-mm-2010-webb-2.6.3x-no-memavailable-sunreclaim.txt',
        ),
        '/proc/slabinfo': readProcfsFixture(
          'slabinfo',
          'linux-mm-2010-webb-slub-kmalloc64-leak.txt',
        ),
      },
    }),
  ) as SeriesPoint;

  it('cannot call one capture a leak', () => {
    expect(capture.sUnreclaimBytes).toBe(503264 * 1024);
    expect(assessLeak([capture]).verdict).toBe('insufficient_data');
  });

  it('names kmalloc-64 when a (synthetic) ramp ends in the real capture', () => {
    const k64 = capture.caches?.get('kmalloc-64') as number;
    expect(k64).toBe(116488 * 4096);
    // Labelled synthetic: 12 points, 2 h apart, grow kmalloc-64 linearly to the captured size.
    const pts = Array.from({ length: 12 }, (_v, i) => {
      const size = k64 * (0.1 + (0.9 * i) / 11);
      const caches = new Map(capture.caches);
      caches.set('kmalloc-64', size);
      return {
        ...capture,
        at: new Date(capture.at.getTime() - (11 - i) * 2 * HOUR * 1000),
        sUnreclaimBytes: (capture.sUnreclaimBytes as number) - (k64 - size),
        caches,
      };
    });
    const a = assessLeak(pts);
    expect(a.verdict).toBe('leaking');
    expect(a.topGrowingCaches[0]?.name).toBe('kmalloc-64');
    // 2.6.3x has no MemAvailable: no projection rather than a made-up one.
    expect(a.projectedExhaustionAt).toBeNull();
    expect(a.reasons.join(' ')).toMatch(/MemAvailable/);
  });
});
