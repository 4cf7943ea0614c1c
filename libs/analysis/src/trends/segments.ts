import type { SeriesPoint } from './series-point';

/** Why two neighbouring points belong to different boots. */
export type RebootEvidence = 'boot_id' | 'uptime' | 'counter_reset';

export interface RebootMark {
  /** Time of the first point of the new boot. */
  readonly at: Date;
  readonly evidence: RebootEvidence;
}

export interface BootSegments<P extends SeriesPoint = SeriesPoint> {
  /** Each inner array holds the points of one boot, oldest first; never empty. */
  readonly segments: readonly (readonly P[])[];
  readonly reboots: readonly RebootMark[];
  /** Points dropped because their time was invalid or repeated an earlier point's time. */
  readonly discarded: number;
}

// Counters the kernel only ever increments within one boot (vmstat events).
const COUNTERS = ['pgfault', 'dropSlab', 'dropPagecache', 'compactStall', 'compactFail'] as const;

/** The fields of a point that tell boots apart. */
export type BootClues = Pick<SeriesPoint, 'bootId' | 'uptimeSeconds' | (typeof COUNTERS)[number]>;

/** The last known value of each clue: a point that lacks vmstat must not hide a reset. */
function remember(known: BootClues, p: BootClues): BootClues {
  const next: Record<string, unknown> = { ...known };
  for (const key of ['bootId', 'uptimeSeconds', ...COUNTERS] as const)
    if (p[key] !== undefined) next[key] = p[key];
  return next as BootClues;
}

/**
 * Whether `b` (taken after `a`) belongs to a later boot. Every vmstat event counter restarts at 0,
 * so one that fell is a reboot; so are a new boot_id and an uptime that went back. Without any of
 * these, two points are assumed to share a boot.
 */
export function rebootBetween(a: BootClues, b: BootClues): RebootEvidence | null {
  if (a.bootId !== undefined && b.bootId !== undefined && a.bootId !== b.bootId) return 'boot_id';
  if (a.uptimeSeconds !== undefined && b.uptimeSeconds !== undefined) {
    if (b.uptimeSeconds < a.uptimeSeconds) return 'uptime';
  }
  for (const key of COUNTERS) {
    const x = a[key];
    const y = b[key];
    if (x !== undefined && y !== undefined && y < x) return 'counter_reset';
  }
  return null;
}

/**
 * Sorts points by time (a collector can deliver late), keeps the last of points with the same
 * time, and splits the series at every reboot. Trends never span a reboot: slab, counters and
 * fragmentation all start over.
 */
export function splitBoots<P extends SeriesPoint>(points: readonly P[]): BootSegments<P> {
  const valid = points.filter((p) => Number.isFinite(p.at.getTime()));
  const sorted = valid
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.at.getTime() - b.p.at.getTime() || a.i - b.i)
    .map((x) => x.p);
  const unique: P[] = [];
  for (const p of sorted) {
    const last = unique[unique.length - 1];
    if (last && last.at.getTime() === p.at.getTime()) unique[unique.length - 1] = p;
    else unique.push(p);
  }
  const segments: P[][] = [];
  const reboots: RebootMark[] = [];
  let known: BootClues = {};
  for (const p of unique) {
    const current = segments[segments.length - 1];
    const evidence = current ? rebootBetween(known, p) : null;
    if (!current || evidence) {
      if (evidence) reboots.push({ at: p.at, evidence });
      segments.push([p]);
      known = remember({}, p);
    } else {
      current.push(p);
      known = remember(known, p);
    }
  }
  return { segments, reboots, discarded: points.length - unique.length };
}

/** Seconds between two points. */
export const secondsBetween = (a: SeriesPoint, b: SeriesPoint): number =>
  (b.at.getTime() - a.at.getTime()) / 1000;

/** The largest time gap between neighbouring points, in seconds (0 for fewer than 2 points). */
export function largestGapSeconds(points: readonly SeriesPoint[]): number {
  let gap = 0;
  for (let i = 1; i < points.length; i++)
    gap = Math.max(gap, secondsBetween(points[i - 1] as SeriesPoint, points[i] as SeriesPoint));
  return gap;
}
