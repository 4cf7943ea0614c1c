import type { ParsedSnapshot } from '@memfleet/procfs';
import type { SectionName, SnapshotContent } from './codec/snapshot-content';

/** Domain types of stored snapshots. No Prisma type leaves libs/db. */

export interface SnapshotIngestItem {
  readonly hostId: string;
  readonly parsed: ParsedSnapshot;
  /** When memfleet received it. Also the collection time when the bundle carried none. */
  readonly receivedAt: Date;
}

export interface IngestResult {
  /** Decimal string of the row id. */
  readonly snapshotId: string;
  /** false: a snapshot of this host with the same collectedAt already existed (idempotent retry). */
  readonly created: boolean;
  readonly collectedAt: Date;
}

/** The plain columns of a snapshot: what lists and fleet queries read without decoding. */
export interface SnapshotSummary {
  readonly id: string;
  readonly hostId: string;
  readonly collectedAt: Date;
  readonly receivedAt: Date;
  /** Sections that did not parse (unavailable or error); details in the full snapshot. */
  readonly missingSections: readonly SectionName[];
  readonly memTotalBytes: number | null;
  readonly memAvailableBytes: number | null;
  readonly sReclaimableBytes: number | null;
  readonly sUnreclaimBytes: number | null;
  /** Sum over /proc/slabinfo of slabs * pages per slab * page size. */
  readonly slabBytes: number | null;
  readonly processRssBytes: number | null;
  readonly processCount: number | null;
  /** vmstat counters (cumulative since boot). */
  readonly dropSlab: number | null;
  readonly dropPagecache: number | null;
  readonly compactStall: number | null;
  readonly compactFail: number | null;
  /** Worst unusable free space index at order 4 over zones other than DMA, 0..1. */
  readonly fragUnusableOrder4: number | null;
  /** Highest order with a free block in any zone other than DMA; -1 when none. */
  readonly fragMaxFreeOrder: number | null;
}

/** A stored snapshot in full: every section as parsed (ps reduced to a ProcessSummary). */
export interface SnapshotDetail extends SnapshotContent {
  readonly summary: SnapshotSummary;
}

export interface SnapshotListQuery {
  /** Inclusive bounds on collectedAt. */
  readonly from?: Date;
  readonly to?: Date;
  readonly limit: number;
  readonly cursor?: string;
  /** By collectedAt; default newest first. */
  readonly order?: 'asc' | 'desc';
}

export interface SnapshotPage {
  readonly items: readonly SnapshotSummary[];
  /** Snapshots of the host in [from, to]. */
  readonly total: number;
  readonly nextCursor: string | null;
}
