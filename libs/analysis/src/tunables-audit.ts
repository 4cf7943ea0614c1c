import type { Meminfo, Tunables } from '@memfleet/procfs';
import type { Evidence, Finding } from './finding';
import { formatBytes } from './format';
import { meminfoBytes } from './meminfo-fields';
import { auditCompactionTunables } from './tunables-compaction';
import {
  DEFAULT_TUNABLE_THRESHOLDS,
  defaultMinFreeKbytes,
  tunableFinding,
  type TunableThresholds,
} from './tunables-common';
import { auditOvercommit } from './tunables-overcommit';

export * from './tunables-common';

/**
 * Risky vm.* settings, explained in plain words, each grounded in
 * Documentation/admin-guide/sysctl/vm.rst. A finding is emitted only for a risky value, with the
 * value and the kernel default as evidence. drop_caches advice: DROP_CACHES_ADVICE.
 */
export function auditTunables(
  tunables: Tunables,
  meminfo?: Meminfo,
  thresholds: TunableThresholds = DEFAULT_TUNABLE_THRESHOLDS,
): Finding[] {
  const out: Finding[] = [];
  const t = tunables;
  const memTotal = meminfo ? meminfoBytes(meminfo, 'MemTotal') : undefined;
  const swapTotal = meminfo ? meminfoBytes(meminfo, 'SwapTotal') : undefined;

  if (t.vfs_cache_pressure !== undefined) {
    const v = t.vfs_cache_pressure;
    if (v === 0) {
      out.push(
        tunableFinding(
          'vfs_cache_pressure',
          'critical',
          v,
          'vfs_cache_pressure is 0: the kernel never reclaims dentries and inodes under memory pressure.',
          'This "can easily lead to out-of-memory conditions". Set it back to 100 unless you have measured a reason not to',
        ),
      );
    } else if (v < 100) {
      out.push(
        tunableFinding(
          'vfs_cache_pressure',
          'info',
          v,
          `vfs_cache_pressure is ${v} (< 100): the kernel prefers to keep dentry and inode caches, so slab grows larger before it is reclaimed.`,
          'Expect a large SReclaimable on file-heavy hosts; 100 reclaims them at a "fair" rate relative to page cache',
        ),
      );
    } else if (v > 100) {
      out.push(
        tunableFinding(
          'vfs_cache_pressure',
          'info',
          v,
          `vfs_cache_pressure is ${v} (> 100): the kernel prefers to reclaim dentries and inodes.`,
          'Values well above 100 cost CPU and lock contention: reclaim looks for that many times more freeable objects than exist',
        ),
      );
    }
  }

  if (t.min_free_kbytes !== undefined) {
    const v = t.min_free_kbytes;
    const extra: Evidence[] = [];
    if (memTotal !== undefined) {
      extra.push({
        name: 'default min_free_kbytes (boot formula, before THP raises it)',
        value: defaultMinFreeKbytes(memTotal),
        unit: 'kB',
      });
      extra.push({ name: 'MemTotal', value: memTotal, unit: 'bytes' });
    }
    if (v < 1024) {
      out.push(
        tunableFinding(
          'min_free_kbytes',
          'critical',
          v,
          `min_free_kbytes is ${v} kB (< 1024 kB): too little is kept free for atomic and PF_MEMALLOC allocations.`,
          'Below 1024 kB "your system will become subtly broken, and prone to deadlock under high loads"; atomic allocations (network receive, interrupts) fail first',
          extra,
        ),
      );
    } else if (memTotal !== undefined) {
      const share = (v * 1024) / memTotal;
      const severity =
        share >= thresholds.minFreeCriticalRatio
          ? 'critical'
          : share >= thresholds.minFreeWarningRatio
            ? 'warning'
            : null;
      if (severity) {
        out.push(
          tunableFinding(
            'min_free_kbytes',
            severity,
            v,
            `min_free_kbytes is ${formatBytes(v * 1024)}, ${(share * 100).toFixed(1)} % of RAM: that much is held back from every allocation, and reclaim starts early.`,
            '"Setting this too high will OOM your machine instantly". Raising it is a known mitigation for fragmentation and atomic-allocation stalls, but keep it to a few percent of RAM',
            [
              ...extra,
              { name: 'min_free_kbytes share of MemTotal', value: share * 100, unit: 'percent' },
            ],
          ),
        );
      }
    }
  }

  if (t.swappiness !== undefined && swapTotal !== undefined && swapTotal > 0) {
    const v = t.swappiness;
    if (v === 0) {
      out.push(
        tunableFinding(
          'swappiness',
          'info',
          v,
          'swappiness is 0 with swap configured: the kernel does not swap until free and file-backed pages fall below the high watermark.',
          'Page cache is evicted first and swap is used only at the last moment, which can mean sudden stalls; a small value (1-10) keeps swap as a safety valve',
          [{ name: 'SwapTotal', value: swapTotal, unit: 'bytes' }],
        ),
      );
    } else if (v > 100) {
      out.push(
        tunableFinding(
          'swappiness',
          'info',
          v,
          `swappiness is ${v} (> 100): the kernel treats swapping as cheaper than dropping page cache.`,
          'Fits zram or fast swap; on disk swap it trades page-cache hits for swap-in latency',
          [{ name: 'SwapTotal', value: swapTotal, unit: 'bytes' }],
        ),
      );
    }
  }

  out.push(...auditOvercommit(t, meminfo, thresholds));

  if (t.zone_reclaim_mode !== undefined && t.zone_reclaim_mode !== 0) {
    out.push(
      tunableFinding(
        'zone_reclaim_mode',
        'warning',
        t.zone_reclaim_mode,
        `zone_reclaim_mode is ${t.zone_reclaim_mode}: a NUMA node reclaims its own page cache (with 2 OR-ed in it also writes out dirty pages, with 4 it also swaps) before allocating from another node.`,
        'For file servers and workloads that benefit from caching it "should be left disabled"; it causes reclaim stalls while other nodes have free memory',
      ),
    );
  }

  out.push(...auditCompactionTunables(t, thresholds));
  return out;
}
