import type { SnapshotContent } from '../snapshots/codec/snapshot-content';

/** Domain types of per-host time series. No Prisma type leaves libs/db. */

export interface SeriesRange {
  /** Inclusive bounds on collectedAt. */
  readonly from: Date;
  readonly to: Date;
}

/**
 * One time bucket of the memory columns (averages over the snapshots in it), so a month of
 * 5-minute snapshots comes back as a few hundred rows without decoding a payload. A figure is
 * null when no snapshot of the bucket had it.
 */
export interface MemoryBucket {
  /** date_bin(bucket, collected_at, from): buckets are aligned on `from`. */
  readonly start: Date;
  readonly snapshots: number;
  readonly memTotalBytes: number | null;
  /** MemTotal - MemAvailable, as `free` computes `used`. */
  readonly usedBytes: number | null;
  readonly availableBytes: number | null;
  /** The lowest MemAvailable in the bucket: averages hide a short dip. */
  readonly minAvailableBytes: number | null;
  readonly slabReclaimableBytes: number | null;
  readonly slabUnreclaimableBytes: number | null;
  readonly slabBytes: number | null;
  readonly processRssBytes: number | null;
  /** used - process RSS - SUnreclaim, per snapshot then averaged (see the API README). */
  readonly unexplainedBytes: number | null;
}

/** The plain columns of one snapshot, for trend points that need no payload. */
export interface ColumnPoint {
  readonly seq: number;
  readonly collectedAt: Date;
  readonly memTotalBytes: number | null;
  readonly memAvailableBytes: number | null;
  readonly sReclaimableBytes: number | null;
  readonly sUnreclaimBytes: number | null;
  readonly slabBytes: number | null;
  readonly processRssBytes: number | null;
  readonly dropSlab: bigint | null;
  readonly dropPagecache: bigint | null;
  readonly compactStall: bigint | null;
  readonly compactFail: bigint | null;
}

/** A decoded snapshot with what places it: row id, per-host ingest order, time. */
export interface DecodedSnapshot {
  /** Decimal string of the row id. */
  readonly id: string;
  readonly seq: number;
  readonly collectedAt: Date;
  readonly content: SnapshotContent;
}
