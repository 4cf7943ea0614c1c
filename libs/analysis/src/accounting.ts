import type { Meminfo, ProcessList } from '@memfleet/procfs';
import { meminfoBytes, meminfoCount } from './meminfo-fields';

/**
 * Memory accounting of one snapshot: the numbers `free -w` prints, the number old `free` printed,
 * the sum of process RSS, and where the difference between "used" and the processes goes.
 *
 * The free columns reproduce procps-ng 4 (library/meminfo.c, meminfo_read_failed(); checked
 * against `free -k -w` of procps-ng 4.0.2 by the oracle spec):
 *   - an absent field reads as 0 (procps zeroes its table, then fills what it finds);
 *   - `MemAvailable == 0` (absent, kernels < 3.14 and RHEL 6) => available = MemFree;
 *   - cache = Cached + SReclaimable;
 *   - available > total (lxc containers) => available = MemFree;
 *   - used = total - available, and if that is negative, total - free.
 * We return `null` where procps prints 0 for a field the kernel does not have (Shmem before
 * 2.6.32, Buffers): 0 and "unknown" are different answers.
 */
export interface FreeColumns {
  readonly totalBytes: number;
  readonly usedBytes: number;
  readonly freeBytes: number;
  /** Shmem; null when the kernel has no Shmem line (procps prints 0). */
  readonly sharedBytes: number | null;
  /** Buffers; null when absent (procps prints 0). */
  readonly buffersBytes: number | null;
  /** Cached + SReclaimable (SReclaimable counts as 0 on kernels without it, as procps does). */
  readonly cacheBytes: number;
  readonly availableBytes: number;
  /** Where `available` came from: the kernel's MemAvailable, or MemFree as procps falls back. */
  readonly availableSource: 'MemAvailable' | 'MemFree';
}

/**
 * The breakdown of `used` into what the kernel says it holds. Each component is the part of
 * that kind of memory that `used` contains, so that `unexplainedBytes` is what no counter
 * accounts for: kernel reserves (watermarks), direct page allocations of drivers, network
 * buffers, GPU memory, ZFS ARC, balloon drivers — or double counting (see notes).
 */
export interface GapBreakdown {
  /** Which `used` this explains (it is `FreeColumns.usedBytes`). */
  readonly basis: 'MemTotal - MemAvailable' | 'MemTotal - MemFree';
  readonly usedBytes: number;
  readonly processRssBytes: number | null;
  /**
   * Reclaimable slab inside `used`. With MemAvailable the kernel counts it as available (less at
   * most the zones' low watermark, which meminfo does not show), so it is 0; without MemAvailable
   * procps' used = total - free contains all of it.
   */
  readonly slabReclaimableBytes: number | null;
  readonly slabUnreclaimableBytes: number | null;
  /** tmpfs, SysV/POSIX shm, shared anonymous: never "available", but may also be in process RSS. */
  readonly shmemBytes: number | null;
  readonly kernelStackBytes: number | null;
  /** PageTables + SecPageTables (KVM secondary page tables). */
  readonly pageTablesBytes: number | null;
  /**
   * VmallocUsed. Reads 0 on kernels 4.4 to 5.2 (the kernel stopped computing it); before 4.4 it
   * summed vmalloc address space including ioremap mappings, which are not RAM.
   */
  readonly vmallocBytes: number | null;
  readonly percpuBytes: number | null;
  /** The whole hugetlb pool, free huge pages included: they are never available to anything else. */
  readonly hugetlbBytes: number | null;
  /** Buffers + Cached - Shmem inside `used`: all of it without MemAvailable, else 0. */
  readonly fileCacheBytes: number | null;
  /** used minus every component above; null without a process list. May be negative: see notes. */
  readonly unexplainedBytes: number | null;
  readonly notes: readonly string[];
}

export interface MemoryAccounting extends FreeColumns {
  /** procps 3.2 "-/+ buffers/cache" used (CentOS 6): MemTotal - MemFree - Buffers - Cached. Counts all slab as used. */
  readonly legacyUsedBytes: number | null;
  readonly slabBytes: number | null;
  readonly slabReclaimableBytes: number | null;
  readonly slabUnreclaimableBytes: number | null;
  readonly processRssBytes: number | null;
  readonly processCount: number | null;
  readonly rssNote: string;
  readonly gap: GapBreakdown;
}

export const RSS_NOTE =
  'Sum of the RSS of every process. Pages shared between processes (libraries, shared memory, ' +
  'copy-on-write pages after fork) are counted once per process, so the sum overstates; it also ' +
  'includes file-backed pages, which free counts as cache rather than used.';

export const NO_PS_NOTE = 'No process list in this snapshot: process RSS is unknown.';

function sumRss(ps: ProcessList): number {
  let sum = 0;
  for (const p of ps.processes) sum += p.rssBytes;
  return sum;
}

/** Hugetlb counts every huge page size; HugePages_Total x Hugepagesize only the default size. */
function hugetlbBytes(m: Meminfo): number | null {
  const hugetlb = meminfoBytes(m, 'Hugetlb');
  if (hugetlb !== undefined) return hugetlb;
  const total = meminfoCount(m, 'HugePages_Total');
  const size = meminfoBytes(m, 'Hugepagesize');
  if (total === undefined || size === undefined) return null;
  return total * size;
}

/** `null` when the field is absent: a missing counter is not a zero counter. */
const opt = (m: Meminfo, name: string): number | null => meminfoBytes(m, name) ?? null;

/**
 * Returns null when MemTotal is missing: no column of `free` means anything without it.
 * `ps` is optional; without it the RSS sum and the unexplained remainder are null.
 */
export function computeAccounting(meminfo: Meminfo, ps?: ProcessList): MemoryAccounting | null {
  const total = meminfoBytes(meminfo, 'MemTotal');
  if (total === undefined) return null;
  const zero = (name: string): number => meminfoBytes(meminfo, name) ?? 0;
  const free = zero('MemFree');
  const cached = zero('Cached');
  const sReclaimable = opt(meminfo, 'SReclaimable');
  const sUnreclaim = opt(meminfo, 'SUnreclaim');

  // procps: `if (0 == MemAvailable) MemAvailable = MemFree` — a 0 and an absent line look the same.
  let available = zero('MemAvailable');
  let availableSource: FreeColumns['availableSource'] = 'MemAvailable';
  if (available === 0 || available > total) {
    available = free;
    availableSource = 'MemFree';
  }
  let used = total - available;
  if (used < 0) used = total - free;

  const buffers = opt(meminfo, 'Buffers');
  const shmem = opt(meminfo, 'Shmem');
  const slab = opt(meminfo, 'Slab');
  const legacyUsed =
    meminfoBytes(meminfo, 'MemFree') === undefined ||
    buffers === null ||
    meminfoBytes(meminfo, 'Cached') === undefined
      ? null
      : total - free - buffers - cached;

  const processRss = ps ? sumRss(ps) : null;
  const gap = computeGap(meminfo, {
    used,
    availableSource,
    processRss,
    sReclaimable,
    sUnreclaim,
    slab,
    shmem,
    buffers,
    cached,
  });

  return {
    totalBytes: total,
    usedBytes: used,
    freeBytes: free,
    sharedBytes: shmem,
    buffersBytes: buffers,
    cacheBytes: cached + (sReclaimable ?? 0),
    availableBytes: available,
    availableSource,
    legacyUsedBytes: legacyUsed,
    slabBytes: slab,
    slabReclaimableBytes: sReclaimable,
    slabUnreclaimableBytes: sUnreclaim,
    processRssBytes: processRss,
    processCount: ps ? ps.processes.length : null,
    rssNote: ps ? RSS_NOTE : NO_PS_NOTE,
    gap,
  };
}

interface GapInput {
  readonly used: number;
  readonly availableSource: FreeColumns['availableSource'];
  readonly processRss: number | null;
  readonly sReclaimable: number | null;
  readonly sUnreclaim: number | null;
  readonly slab: number | null;
  readonly shmem: number | null;
  readonly buffers: number | null;
  readonly cached: number;
}

function computeGap(m: Meminfo, g: GapInput): GapBreakdown {
  const notes: string[] = [];
  const withoutAvailable = g.availableSource === 'MemFree';
  const pageTables = opt(m, 'PageTables');
  const secPageTables = opt(m, 'SecPageTables');
  const components = {
    slabReclaimableBytes: withoutAvailable ? g.sReclaimable : g.sReclaimable === null ? null : 0,
    slabUnreclaimableBytes: g.sUnreclaim,
    shmemBytes: g.shmem,
    kernelStackBytes: opt(m, 'KernelStack'),
    pageTablesBytes: pageTables === null ? null : pageTables + (secPageTables ?? 0),
    vmallocBytes: opt(m, 'VmallocUsed'),
    percpuBytes: opt(m, 'Percpu'),
    hugetlbBytes: hugetlbBytes(m),
    // Shmem lives inside Cached but is never available; it is its own component above.
    fileCacheBytes: withoutAvailable ? (g.buffers ?? 0) + g.cached - (g.shmem ?? 0) : 0,
  };

  let explained = Object.values(components).reduce<number>((s, v) => s + (v ?? 0), 0);
  if (g.sReclaimable === null && g.sUnreclaim === null && g.slab !== null) {
    // Kernels before 2.6.19 have only `Slab`, and no MemAvailable either: all of it is in used.
    explained += g.slab;
    notes.push(
      'Kernel has no SReclaimable/SUnreclaim split: the whole Slab was subtracted from used.',
    );
  }
  if (withoutAvailable) {
    notes.push(
      'No MemAvailable: used = MemTotal - MemFree (procps), so page cache and all slab count as used.',
    );
  } else {
    notes.push(
      'MemAvailable counts reclaimable slab and most page cache as available; the kernel reserves ' +
        '(low watermarks), which meminfo does not show, remain inside the unexplained part.',
    );
  }
  if (components.vmallocBytes === 0) {
    notes.push(
      'VmallocUsed is 0: kernels 4.4 to 5.2 print 0 here, so vmalloc memory is unexplained.',
    );
  }
  notes.push(
    'KernelStack is also counted in VmallocUsed when stacks are vmalloc-ed (CONFIG_VMAP_STACK), ' +
      'and Shmem mapped by processes is also in their RSS: both overlaps make unexplained smaller.',
  );
  if (g.processRss === null) notes.push(NO_PS_NOTE);
  else explained += g.processRss;
  const unexplained = g.processRss === null ? null : g.used - explained;
  if (unexplained !== null && unexplained < 0) {
    notes.push(
      'Unexplained is negative: the RSS sum counts shared and file-backed pages repeatedly, ' +
        'so it overstates what processes add to used.',
    );
  }

  return {
    basis: withoutAvailable ? 'MemTotal - MemFree' : 'MemTotal - MemAvailable',
    usedBytes: g.used,
    processRssBytes: g.processRss,
    ...components,
    unexplainedBytes: unexplained,
    notes,
  };
}
