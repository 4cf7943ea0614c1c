/**
 * Typed shapes of the /proc files memfleet reads. Sizes are bytes unless a name says otherwise;
 * an absent field is `undefined`, never 0 (a kernel that lacks MemAvailable is not a kernel
 * with 0 bytes available).
 */

/** /proc/meminfo. `kB` values are converted to bytes; HugePages_* stay page counts. */
export interface Meminfo {
  /** Field name exactly as the kernel prints it (`MemTotal`, `Active(anon)`, `HugePages_Total`). */
  readonly fields: Readonly<Record<string, number>>;
  /** Fields that carry no unit in the file (HugePages_Total/Free/Rsvd/Surp): counts, not bytes. */
  readonly countFields: readonly string[];
}

/** /sys/devices/system/node/nodeN/meminfo: meminfo lines prefixed `Node N `. */
export interface NodeMeminfo extends Meminfo {
  readonly node: number;
}

export type SlabinfoVersion = '2.0' | '2.1' | '2.1 (statistics)';

/** One line of /proc/slabinfo. Tunables and slabdata groups are optional in the format. */
export interface SlabCache {
  readonly name: string;
  readonly activeObjs: number;
  readonly numObjs: number;
  readonly objSize: number;
  readonly objPerSlab: number;
  readonly pagesPerSlab: number;
  readonly limit?: number;
  readonly batchCount?: number;
  readonly sharedFactor?: number;
  readonly activeSlabs?: number;
  readonly numSlabs?: number;
  readonly sharedAvail?: number;
}

/**
 * A cache line whose numbers break an invariant the kernel keeps in normal operation (e.g.
 * active_objs > num_objs). The line is kept: SLUB gathers these counters without one lock, so a
 * racing read can disagree with itself, and some published files were hand-edited.
 */
export interface SlabAnomaly {
  /** 1-based line in the file. */
  readonly line: number;
  readonly name: string;
  readonly reason: string;
}

export interface Slabinfo {
  readonly version: SlabinfoVersion;
  readonly caches: readonly SlabCache[];
  /** Set by parseSlabinfo (empty when all lines are consistent). */
  readonly anomalies?: readonly SlabAnomaly[];
}

/** One `Node N, zone NAME c0 c1 ...` row of /proc/buddyinfo: free blocks per order. */
export interface BuddyZone {
  readonly node: number;
  readonly zone: string;
  /** freeBlocks[k] = number of free blocks of 2^k pages. Length = the kernel's MAX_ORDER(+1). */
  readonly freeBlocks: readonly number[];
}

export interface Buddyinfo {
  readonly zones: readonly BuddyZone[];
}

/** One zone of /proc/zoneinfo. Values are pages as the kernel prints them. */
export interface ZoneinfoZone {
  readonly node: number;
  readonly zone: string;
  /** `pages free` (absent on some layouts). */
  readonly freePages?: number;
  readonly min?: number;
  readonly low?: number;
  readonly high?: number;
  readonly spanned?: number;
  readonly present?: number;
  readonly managed?: number;
  readonly protection?: readonly number[];
  /** Every other `name value` counter of the zone (nr_free_pages, numa_hit, ...). */
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * Since 4.8 the kernel prints node-wide counters (`per-node stats`) inside the first zone of each
 * node. They are node totals, not that zone's, so they are kept here rather than in the zone.
 */
export interface ZoneinfoNodeStats {
  readonly node: number;
  readonly counters: Readonly<Record<string, number>>;
}

export interface Zoneinfo {
  readonly zones: readonly ZoneinfoZone[];
  /** Set by parseZoneinfo: one entry per node that printed a `per-node stats` block (>= 4.8). */
  readonly nodeStats?: readonly ZoneinfoNodeStats[];
}

/** A /proc/pagetypeinfo count. The kernel (>= 5.4) caps large counts and prints `>100000`. */
export interface PagetypeCount {
  readonly value: number;
  /** true when the kernel printed `>value`: the real count is larger. */
  readonly overflow: boolean;
}

export interface PagetypeFree {
  readonly node: number;
  readonly zone: string;
  readonly type: string;
  readonly counts: readonly PagetypeCount[];
}

export interface PagetypeBlocks {
  readonly node: number;
  readonly zone: string;
  /** Migrate type name -> number of page blocks of that type. */
  readonly blocks: Readonly<Record<string, number>>;
}

export interface Pagetypeinfo {
  readonly pageBlockOrder: number;
  readonly pagesPerBlock: number;
  readonly free: readonly PagetypeFree[];
  readonly blocks: readonly PagetypeBlocks[];
}

/** /proc/vmstat. Counters exceed 2^53 on long-lived hosts, so they are bigint. */
export interface Vmstat {
  readonly counters: ReadonlyMap<string, bigint>;
}

export const TUNABLE_NAMES = [
  'vfs_cache_pressure',
  'min_free_kbytes',
  'swappiness',
  'overcommit_memory',
  'overcommit_ratio',
  'watermark_scale_factor',
  'zone_reclaim_mode',
  'compaction_proactiveness',
  'extfrag_threshold',
] as const;
export type TunableName = (typeof TUNABLE_NAMES)[number];

/** The vm.* tunables, each from /proc/sys/vm/<name>. A tunable the kernel lacks is absent. */
export type Tunables = Partial<Record<TunableName, number>>;

export interface ProcessMemory {
  readonly pid: number;
  /** Resident set size in bytes (ps prints KiB). */
  readonly rssBytes: number;
  readonly comm: string;
}

/** Output of `ps -eo pid=,rss=,comm=`. */
export interface ProcessList {
  readonly processes: readonly ProcessMemory[];
}

/**
 * One row of debugfs `extfrag/unusable_index` or `extfrag/extfrag_index`: the kernel's own
 * fragmentation indexes per order, printed as `%d.%03d` from an integer in thousandths.
 */
export interface FragIndexZone {
  readonly node: number;
  readonly zone: string;
  /** Index per order in thousandths, exactly as the kernel computed it (-1000 = "not applicable"). */
  readonly milli: readonly number[];
}

export interface FragIndex {
  readonly zones: readonly FragIndexZone[];
}
