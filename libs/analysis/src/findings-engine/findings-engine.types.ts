import type { Finding, FindingKind } from '../finding';

/** A finding as stored between evaluations: the finding plus its life so far. */
export interface ActiveFinding extends Finding {
  readonly startedAt: Date;
  /** Last evaluation that reported it. */
  readonly lastSeenAt: Date;
  /** Consecutive evaluations that did not report it (0 while it keeps being reported). */
  readonly misses: number;
  /** First evaluation of the current run of misses: the end time if it closes. */
  readonly clearedAt: Date | null;
}

export interface ClosedFinding extends ActiveFinding {
  readonly endedAt: Date;
}

/** What one evaluation does to a host's findings. Every input finding lands in exactly one list. */
export interface FindingsUpdate {
  readonly opened: readonly ActiveFinding[];
  /** Still open: reported again (fields refreshed) or missing for fewer than closeAfterMisses. */
  readonly updated: readonly ActiveFinding[];
  readonly closed: readonly ClosedFinding[];
}

export interface FindingsEngineOptions {
  /**
   * A finding closes after this many evaluations in a row without it. One miss is not enough: a
   * value hovering at a threshold would open and close a finding on every snapshot.
   */
  readonly closeAfterMisses: number;
  /** Per-kind overrides: a successful collection ends collection_failing at once. */
  readonly closeAfterMissesByKind: Partial<Record<FindingKind, number>>;
  /** collection_failing opens at this many consecutive failed collections. */
  readonly failingAfter: number;
  /** ...and is critical from this many. */
  readonly failingCriticalAfter: number;
  /** The window of series points trend detectors see: at most this many, newest last. */
  readonly windowPoints: number;
  readonly windowSeconds: number;
  /**
   * A leak verdict needs the window to span at least this long. Minutes of monotonic growth are a
   * workload starting (creating 500k files grows SUnreclaim steadily for 20 s), not a leak.
   */
  readonly leakMinSpanSeconds: number;
}

export const DEFAULT_FINDINGS_ENGINE_OPTIONS: FindingsEngineOptions = {
  closeAfterMisses: 3,
  closeAfterMissesByKind: { collection_failing: 1 },
  failingAfter: 3,
  failingCriticalAfter: 10,
  windowPoints: 120,
  windowSeconds: 24 * 3600,
  leakMinSpanSeconds: 2 * 3600,
};

/** Identity of a finding over time: a host has at most one open finding per (kind, subject). */
export const findingKey = (f: Pick<Finding, 'kind' | 'subject'>): string =>
  `${f.kind}:${f.subject}`;
