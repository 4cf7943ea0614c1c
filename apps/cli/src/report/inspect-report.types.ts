import type {
  CompactionScores,
  Finding,
  MemoryAccounting,
  SlabCacheUsage,
  SlabSummary,
} from '@memfleet/analysis';
import type { Tunables } from '@memfleet/procfs';

/**
 * The `memfleet inspect --json` document. Field names are a contract with users' scripts: add
 * fields, never rename or remove them without bumping `schemaVersion`. Sizes are bytes.
 */
export interface InspectReport {
  readonly schemaVersion: 1;
  readonly source: { readonly kind: 'live' | 'root' | 'bundle'; readonly path: string | null };
  readonly collectedAt: string | null;
  readonly kernelRelease: string | null;
  readonly pageSize: number;
  /** Whether each report section could be computed, and why not. */
  readonly sections: Readonly<Record<ReportSection, SectionStatus>>;
  /** What each input gave: keyed like ParsedSnapshot (meminfo, slabinfo, ..., ps). */
  readonly inputs: Readonly<Record<InputName, SectionStatus>>;
  readonly accounting: MemoryAccounting | null;
  readonly slab: SlabReport | null;
  readonly fragmentation: FragmentationReport | null;
  readonly tunables: Tunables | null;
  /** Every /proc/vmstat counter, exact (integers past 2^53 are written with all their digits). */
  readonly vmstat: Readonly<Record<string, bigint>> | null;
  readonly findings: readonly Finding[];
  /** How the snapshot was taken, where it changes how to read it (e.g. an assumed page size). */
  readonly notes: readonly string[];
}

export type ReportSection = 'accounting' | 'slab' | 'fragmentation' | 'tunables' | 'vmstat';
export type InputName =
  'meminfo' | 'slabinfo' | 'buddyinfo' | 'zoneinfo' | 'pagetypeinfo' | 'vmstat' | 'tunables' | 'ps';

export type SectionStatus =
  { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * The analysis' slab summary (procps slabtop arithmetic), with `caches` cut to the largest --top
 * ones. `cacheCount` still counts every cache in the file.
 */
export interface SlabReport extends Omit<SlabSummary, 'caches'> {
  /** Caches with at least one active object (slabtop's "Active / Total Caches"). */
  readonly activeCacheCount: number;
  readonly caches: readonly SlabCacheUsage[];
}

export interface ZoneFragmentationReport {
  readonly node: number;
  readonly zone: string;
  readonly subject: string;
  readonly freePages: number;
  readonly freeBytes: number;
  /** freeBlocks[k]: free blocks of 2^k pages, as buddyinfo prints them. */
  readonly freeBlocks: readonly number[];
  readonly highestFreeOrder: number | null;
  /** Per order, the kernel's unusable_index value as a number: 0.035 where it prints 0.035. */
  readonly unusableIndex: readonly number[];
  /** Per order, the kernel's extfrag_index value: -1 where the allocation would succeed. */
  readonly fragmentationIndex: readonly number[];
}

export interface FragmentationReport {
  readonly zones: readonly ZoneFragmentationReport[];
  readonly compaction: CompactionScores | null;
}
