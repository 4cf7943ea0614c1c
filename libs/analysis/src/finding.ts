/**
 * A finding: one thing memfleet concluded about a host, with the numbers behind it and what to do.
 * The same shape is printed by `memfleet inspect`, stored at ingest and sent in webhooks.
 */
export type FindingKind =
  | 'slab_regrowth'
  | 'sunreclaim_leak'
  | 'fragmentation'
  | 'memory_gap'
  /** Little memory is available (host) or a zone is at its min watermark: not fragmentation. */
  | 'low_memory'
  | 'tunable_risk'
  | 'collection_failing';

export type Severity = 'info' | 'warning' | 'critical';

export type EvidenceUnit =
  | 'bytes'
  | 'pages'
  | 'percent'
  | 'ratio'
  | 'count'
  | 'seconds'
  | 'bytes/hour'
  | 'per-hour'
  | 'kB'
  | 'index';

/** One number with its unit: `{ name: 'SUnreclaim', value: 515342336, unit: 'bytes' }`. */
export interface Evidence {
  readonly name: string;
  readonly value: number;
  readonly unit: EvidenceUnit;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** What the finding is about: a zone (`node0/Normal`), a cache (`dentry`), a tunable. */
  readonly subject: string;
  readonly summary: string;
  readonly advice: string;
  readonly evidence: readonly Evidence[];
}
