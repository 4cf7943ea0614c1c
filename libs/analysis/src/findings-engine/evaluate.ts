import type { Finding, FindingKind } from '../finding';
import { detectSlabDrops } from '../trends/slab-drops';
import { assessLeak } from '../trends/leak';
import { assessFragmentationSeries } from '../trends/fragmentation-series';
import type { SeriesPoint } from '../trends/series-point';
import {
  fragmentationTrendFindings,
  leakFindings,
  slabRegrowthFindings,
} from '../trends/trend-findings';
import {
  DEFAULT_FINDINGS_ENGINE_OPTIONS,
  type ActiveFinding,
  type FindingsEngineOptions,
  type FindingsUpdate,
} from './findings-engine.types';
import { reconcileFindings } from './reconcile';

export const ALL_FINDING_KINDS: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'slab_regrowth',
  'sunreclaim_leak',
  'fragmentation',
  'memory_gap',
  'low_memory',
  'tunable_risk',
  'collection_failing',
]);

export interface SnapshotEvaluation {
  /** The new snapshot's collection time. */
  readonly at: Date;
  /** The host's open findings before this snapshot. */
  readonly active: readonly ActiveFinding[];
  /** diagnoseSnapshot(newSnapshot).findings. */
  readonly snapshotFindings: readonly Finding[];
  /** Recent points of the host, the new one included (trimmed with boundedWindow). */
  readonly window: readonly SeriesPoint[];
}

/**
 * The points trend detectors see: those within windowSeconds before `at`, at most windowPoints,
 * oldest first. Bounded so an evaluation costs the same on day 1 and day 300.
 */
export function boundedWindow(
  points: readonly SeriesPoint[],
  at: Date,
  options: Partial<FindingsEngineOptions> = {},
): SeriesPoint[] {
  const opts = { ...DEFAULT_FINDINGS_ENGINE_OPTIONS, ...options };
  const from = at.getTime() - opts.windowSeconds * 1000;
  const inRange = points
    .filter((p) => p.at.getTime() >= from && p.at.getTime() <= at.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  return inRange.slice(Math.max(0, inRange.length - opts.windowPoints));
}

/** What the trend detectors report over the window: regrowth after drops, leaks, fragmentation. */
export function trendFindings(
  window: readonly SeriesPoint[],
  options: Partial<FindingsEngineOptions> = {},
): Finding[] {
  const opts = { ...DEFAULT_FINDINGS_ENGINE_OPTIONS, ...options };
  const first = window[0];
  const last = window[window.length - 1];
  if (!first || !last || window.length < 2) return [];
  const spanSeconds = (last.at.getTime() - first.at.getTime()) / 1000;
  const leaks =
    spanSeconds >= opts.leakMinSpanSeconds
      ? // One leak finding per host: the fastest cache changes between evaluations, and a
        // subject that changes would close and reopen the same leak.
        leakFindings(assessLeak(window)).map((f) => ({ ...f, subject: 'SUnreclaim' }))
      : [];
  return [
    ...slabRegrowthFindings(detectSlabDrops(window)),
    ...leaks,
    ...fragmentationTrendFindings(assessFragmentationSeries(window)),
  ];
}

/**
 * A successfully stored snapshot: every kind is judged, so a condition that no detector reports
 * any more counts a miss, and collection_failing ends.
 */
export function evaluateSnapshot(
  input: SnapshotEvaluation,
  options: Partial<FindingsEngineOptions> = {},
): FindingsUpdate {
  const candidates = snapshotCandidates(input, options);
  return reconcileFindings(input.active, candidates, input.at, ALL_FINDING_KINDS, options);
}

/**
 * Everything the detectors report for a new snapshot, before reconciling with the open findings.
 * Split out so a caller can run the detectors before taking a lock and reconcile under it.
 */
export function snapshotCandidates(
  input: Omit<SnapshotEvaluation, 'active'>,
  options: Partial<FindingsEngineOptions> = {},
): Finding[] {
  const window = boundedWindow(input.window, input.at, options);
  // Trend findings first: on a tie they carry more (how long, how fast) than one snapshot's.
  return [...trendFindings(window, options), ...input.snapshotFindings];
}

export interface CollectionAttempt {
  readonly at: Date;
  /** The host's count after this attempt (HostRecord.consecutiveFailures). */
  readonly consecutiveFailures: number;
  readonly state: string;
  readonly lastError: string | null;
}

const FAILING_ONLY: ReadonlySet<FindingKind> = new Set<FindingKind>(['collection_failing']);

/** A failed collection: only collection_failing is judged; nothing is known about memory. */
export function evaluateCollectionFailure(
  active: readonly ActiveFinding[],
  attempt: CollectionAttempt,
  options: Partial<FindingsEngineOptions> = {},
): FindingsUpdate {
  const opts = { ...DEFAULT_FINDINGS_ENGINE_OPTIONS, ...options };
  const n = attempt.consecutiveFailures;
  const candidates: Finding[] =
    n < opts.failingAfter
      ? []
      : [
          {
            kind: 'collection_failing',
            severity: n >= opts.failingCriticalAfter ? 'critical' : 'warning',
            subject: 'collection',
            summary:
              `The last ${n} collections failed (host state ${attempt.state})` +
              (attempt.lastError ? `: ${attempt.lastError}` : '.'),
            advice:
              'Nothing is known about this host since its last successful collection. Check ' +
              'that it is up and reachable over SSH, that the credentials and host key are ' +
              'still valid, and that the collection user may read /proc (sudo for slabinfo).',
            evidence: [{ name: 'consecutive failures', value: n, unit: 'count' }],
          },
        ];
  return reconcileFindings(active, candidates, attempt.at, FAILING_ONLY, options);
}
