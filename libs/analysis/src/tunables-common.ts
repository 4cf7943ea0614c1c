import type { TunableName } from '@memfleet/procfs';
import type { Evidence, EvidenceUnit, Finding, Severity } from './finding';

/**
 * Risky vm.* settings, explained in plain words. Every statement comes from
 * Documentation/admin-guide/sysctl/vm.rst (cited as VM_RST) unless it names another source.
 * A finding is emitted only for a risky value, with the value and the kernel default as evidence.
 */
export const VM_RST = 'Documentation/admin-guide/sysctl/vm.rst';

export interface TunableThresholds {
  /** min_free_kbytes above this share of MemTotal: warning (khugepaged caps its own raise at 5 %). */
  readonly minFreeWarningRatio: number;
  readonly minFreeCriticalRatio: number;
  /** Committed_AS / CommitLimit at or above this in overcommit mode 2: warning. */
  readonly commitWarningRatio: number;
  readonly commitCriticalRatio: number;
  readonly watermarkScaleHigh: number;
  readonly extfragThresholdHigh: number;
  readonly extfragThresholdLow: number;
  readonly proactivenessHigh: number;
}

export const DEFAULT_TUNABLE_THRESHOLDS: TunableThresholds = {
  minFreeWarningRatio: 0.05,
  minFreeCriticalRatio: 0.15,
  commitWarningRatio: 0.9,
  commitCriticalRatio: 0.98,
  watermarkScaleHigh: 500,
  extfragThresholdHigh: 900,
  extfragThresholdLow: 100,
  proactivenessHigh: 80,
};

/** Kernel defaults. min_free_kbytes has none fixed: see defaultMinFreeKbytes(). */
export const TUNABLE_DEFAULTS = {
  vfs_cache_pressure: 100,
  swappiness: 60,
  overcommit_memory: 0,
  overcommit_ratio: 50,
  watermark_scale_factor: 10,
  zone_reclaim_mode: 0,
  compaction_proactiveness: 20,
  extfrag_threshold: 500,
} as const satisfies Partial<Record<TunableName, number>>;

const UNITS: Record<TunableName, EvidenceUnit> = {
  vfs_cache_pressure: 'percent',
  min_free_kbytes: 'kB',
  swappiness: 'index',
  overcommit_memory: 'index',
  overcommit_ratio: 'percent',
  watermark_scale_factor: 'index',
  zone_reclaim_mode: 'index',
  compaction_proactiveness: 'index',
  extfrag_threshold: 'index',
};

/**
 * The boot-time value (mm/page_alloc.c calculate_min_free_kbytes): int_sqrt(lowmem_kbytes * 16),
 * clamped to [128, 262144]. lowmem is close to MemTotal on 64-bit; with THP enabled khugepaged
 * raises it further (set_recommended_min_free_kbytes, at most 5 % of memory), so this is a floor.
 */
export function defaultMinFreeKbytes(memTotalBytes: number): number {
  const kb = Math.floor(memTotalBytes / 1024);
  return Math.min(Math.max(Math.floor(Math.sqrt(kb * 16)), 128), 262144);
}

/**
 * Static advice for the operator about to run drop_caches. Sources: VM_RST "drop_caches";
 * fs/drop_caches.c (bit 1 walks every superblock's inodes and invalidates their clean page
 * cache; bit 2 calls drop_slab(), i.e. the shrinkers); fs/inode.c inode_lru_isolate(), which
 * skips inodes that still have page cache (mapping_shrinkable()), so `echo 2` leaves them.
 */
export const DROP_CACHES_ADVICE =
  'drop_caches is a band-aid, not a fix: the kernel already reclaims these caches by itself when ' +
  'memory is needed, and the freed memory comes back as soon as the workload touches the files ' +
  'again. `echo 2 > /proc/sys/vm/drop_caches` frees reclaimable slab objects (dentries and ' +
  'inodes), but not inodes that still hold page cache; `echo 3` drops the page cache first, so ' +
  'those inodes can go too. Only clean objects are dropped: run `sync` first. Expect I/O and CPU ' +
  `to rebuild the caches. Find what grows the caches instead. Sources: ${VM_RST} (drop_caches), ` +
  'fs/drop_caches.c, fs/inode.c.';

export function tunableFinding(
  name: TunableName,
  severity: Severity,
  value: number,
  summary: string,
  advice: string,
  extra: readonly Evidence[] = [],
): Finding {
  const unit = UNITS[name];
  const def = (TUNABLE_DEFAULTS as Partial<Record<TunableName, number>>)[name];
  const evidence: Evidence[] = [{ name: `vm.${name}`, value, unit }];
  if (def !== undefined) evidence.push({ name: `default vm.${name}`, value: def, unit });
  return {
    kind: 'tunable_risk',
    severity,
    subject: `vm.${name}`,
    summary,
    advice: `${advice} (${VM_RST}, ${name})`,
    evidence: [...evidence, ...extra],
  };
}
