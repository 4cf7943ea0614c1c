import type { Meminfo } from '@memfleet/procfs';
import type { MemoryAccounting } from './accounting';
import type { Evidence, Finding, Severity } from './finding';
import { formatBytes } from './format';
import { meminfoBytes } from './meminfo-fields';
import type { SlabSummary } from './slab';

export interface MemoryThresholds {
  /** Kernel-held memory (slab, stacks, page tables, percpu, vmalloc) at this share of RAM: finding. */
  readonly kernelHeldRatio: number;
  /** used - processes - kernel counters at this share of RAM: finding. */
  readonly unexplainedRatio: number;
  readonly sunreclaimWarningRatio: number;
  readonly sunreclaimCriticalRatio: number;
  /** MemAvailable (or MemFree without it) below this share of RAM: low_memory. */
  readonly lowAvailableWarningRatio: number;
  readonly lowAvailableCriticalRatio: number;
  /** How many caches a memory_gap finding names. */
  readonly topCaches: number;
}

export const DEFAULT_MEMORY_THRESHOLDS: MemoryThresholds = {
  kernelHeldRatio: 0.2,
  unexplainedRatio: 0.15,
  sunreclaimWarningRatio: 0.1,
  sunreclaimCriticalRatio: 0.3,
  lowAvailableWarningRatio: 0.05,
  lowAvailableCriticalRatio: 0.02,
  topCaches: 5,
};

const pct = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(0)} %`;

function kernelHeld(m: Meminfo): { slab: number; sUnreclaim: number | null; held: number } {
  const get = (n: string) => meminfoBytes(m, n) ?? 0;
  const sRecl = meminfoBytes(m, 'SReclaimable');
  const sUnrecl = meminfoBytes(m, 'SUnreclaim');
  const slab = meminfoBytes(m, 'Slab') ?? (sRecl ?? 0) + (sUnrecl ?? 0);
  // Before 4.4, VmallocUsed summed vmalloc address space including ioremap mappings of device
  // memory, which is not RAM (a 94 MB ARM router reports 190 MB). It can only count as RAM the
  // kernel holds when it fits in what is not free.
  const vmalloc = get('VmallocUsed');
  const notFree = get('MemTotal') - get('MemFree');
  const held =
    slab +
    get('KernelStack') +
    get('PageTables') +
    get('Percpu') +
    (vmalloc <= notFree ? vmalloc : 0);
  return { slab, sUnreclaim: sUnrecl ?? null, held };
}

/**
 * memory_gap: the kernel, not processes, holds a large part of RAM — the "free shows 15 GiB used,
 * ps shows 0.6 GiB" case — or used memory that no counter explains. Severity follows how much of
 * it is unreclaimable: reclaimable slab is a cache the kernel frees under pressure (and old free
 * counted as used), unreclaimable slab only goes when its owner frees it.
 */
export function memoryGapFindings(
  a: MemoryAccounting,
  m: Meminfo,
  slab: SlabSummary | null,
  th: MemoryThresholds = DEFAULT_MEMORY_THRESHOLDS,
): Finding[] {
  const total = a.totalBytes;
  if (total <= 0) return [];
  const k = kernelHeld(m);
  const unexplained = a.gap.unexplainedBytes;
  const heldHigh = k.held >= th.kernelHeldRatio * total;
  const unexplainedHigh = unexplained !== null && unexplained >= th.unexplainedRatio * total;
  if (!heldHigh && !unexplainedHigh) return [];

  const sUnreclaim = k.sUnreclaim ?? 0;
  const severity: Severity =
    sUnreclaim >= th.sunreclaimCriticalRatio * total
      ? 'critical'
      : sUnreclaim >= th.sunreclaimWarningRatio * total || unexplainedHigh
        ? 'warning'
        : 'info';
  const top = slab ? slab.caches.slice(0, th.topCaches) : [];
  const cacheSize = (c: (typeof top)[number]) => c.sizeBytes ?? c.totalObjBytes;
  const topText = top.map((c) => `${c.name} ${formatBytes(cacheSize(c))}`).join(', ');

  const parts: string[] = [];
  if (heldHigh) {
    parts.push(
      `The kernel holds ${formatBytes(k.held)} (${pct(k.held, total)} of RAM), ` +
        `${formatBytes(k.slab)} of it slab` +
        (k.sUnreclaim !== null ? ` (${formatBytes(k.sUnreclaim)} unreclaimable)` : '') +
        '.',
    );
  }
  if (a.processRssBytes !== null) {
    parts.push(`Processes' RSS sums to ${formatBytes(a.processRssBytes)}.`);
  }
  if (a.legacyUsedBytes !== null) {
    const noAvailable =
      a.availableSource === 'MemFree' ? ' (no MemAvailable: all but MemFree is used)' : '';
    parts.push(
      `Old free (procps 3.2, "-/+ buffers/cache") shows ${formatBytes(a.legacyUsedBytes)} used, slab included; ` +
        `free -w shows ${formatBytes(a.usedBytes)}${noAvailable}.`,
    );
  }
  if (unexplainedHigh) {
    parts.push(
      `${formatBytes(unexplained)} of used memory is explained by no process or kernel counter.`,
    );
  }
  if (topText) parts.push(`Largest slab caches: ${topText}.`);

  const advice: string[] = [];
  if (heldHigh && sUnreclaim < th.sunreclaimWarningRatio * total) {
    advice.push(
      'Reclaimable slab (dentries, inodes, buffer heads) is a cache: the kernel frees it under ' +
        'pressure and MemAvailable already counts it as available. Find what creates the objects ' +
        '(file-tree walks such as rsync, backups, updatedb) instead of dropping caches.',
    );
  }
  if (sUnreclaim >= th.sunreclaimWarningRatio * total) {
    advice.push(
      'Unreclaimable slab is not a cache: drop_caches cannot free it. If it grows across ' +
        'snapshots it is a leak in the kernel or a driver; the largest caches name the suspect.',
    );
  }
  if (unexplainedHigh) {
    advice.push(
      'Memory outside the meminfo counters is usually taken by drivers with direct page ' +
        'allocations (GPU, RDMA, network buffers), a balloon driver in a VM, or the ZFS ARC.',
    );
  }

  const evidence: Evidence[] = [
    { name: 'MemTotal', value: total, unit: 'bytes' },
    { name: 'used (free -w)', value: a.usedBytes, unit: 'bytes' },
    { name: 'kernel held', value: k.held, unit: 'bytes' },
    { name: 'kernel held share of MemTotal', value: (k.held / total) * 100, unit: 'percent' },
    { name: 'Slab', value: k.slab, unit: 'bytes' },
  ];
  const add = (name: string, value: number | null, unit: Evidence['unit'] = 'bytes') => {
    if (value !== null) evidence.push({ name, value, unit });
  };
  add('SUnreclaim', k.sUnreclaim);
  add('used (procps 3.2)', a.legacyUsedBytes);
  add('process RSS sum', a.processRssBytes);
  add('unexplained', unexplained);
  for (const c of top) add(`slab cache ${c.name}`, cacheSize(c));

  return [
    {
      kind: 'memory_gap',
      severity,
      subject: 'memory',
      summary: parts.join(' '),
      advice: advice.join(' '),
      evidence,
    },
  ];
}

/** low_memory: little is available. Not fragmentation: here there is simply not enough free. */
export function lowMemoryFindings(
  a: MemoryAccounting,
  th: MemoryThresholds = DEFAULT_MEMORY_THRESHOLDS,
): Finding[] {
  const share = a.availableBytes / a.totalBytes;
  if (!(share < th.lowAvailableWarningRatio)) return [];
  const source =
    a.availableSource === 'MemAvailable' ? 'MemAvailable' : 'MemFree (no MemAvailable)';
  return [
    {
      kind: 'low_memory',
      severity: share < th.lowAvailableCriticalRatio ? 'critical' : 'warning',
      subject: 'memory',
      summary: `Only ${formatBytes(a.availableBytes)} (${(share * 100).toFixed(1)} % of RAM) is available (${source}).`,
      advice:
        'Allocations will reclaim directly or invoke the OOM killer. Look at the largest consumers ' +
        '(process RSS, unreclaimable slab, hugetlb pool) before tuning anything.',
      evidence: [
        { name: source, value: a.availableBytes, unit: 'bytes' },
        { name: 'MemTotal', value: a.totalBytes, unit: 'bytes' },
        { name: 'available share of MemTotal', value: share * 100, unit: 'percent' },
      ],
    },
  ];
}
