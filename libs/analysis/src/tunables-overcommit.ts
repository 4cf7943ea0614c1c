import type { Meminfo, Tunables } from '@memfleet/procfs';
import type { Finding } from './finding';
import { meminfoBytes, meminfoCount } from './meminfo-fields';
import { tunableFinding, type TunableThresholds } from './tunables-common';

/**
 * overcommit_memory: 0 = heuristic (refuses only obvious overcommits), 1 = always overcommit,
 * 2 = strict: Committed_AS may not exceed CommitLimit = swap + overcommit_ratio % of
 * (RAM - hugetlb) (or overcommit_kbytes). Source: VM_RST and
 * Documentation/mm/overcommit-accounting.rst; mm/util.c __vm_enough_memory().
 */
export function auditOvercommit(
  t: Tunables,
  meminfo: Meminfo | undefined,
  th: TunableThresholds,
): Finding[] {
  const mode = t.overcommit_memory;
  if (mode === 1) {
    return [
      tunableFinding(
        'overcommit_memory',
        'info',
        mode,
        'overcommit_memory is 1: the kernel never refuses an allocation; it "pretends there is always enough memory until it actually runs out".',
        'The OOM killer is then the only limit. Some databases ask for it (e.g. Redis for fork); elsewhere 0 is safer',
      ),
    ];
  }
  if (mode !== 2 || !meminfo) return [];
  const limit = meminfoBytes(meminfo, 'CommitLimit');
  const committed = meminfoBytes(meminfo, 'Committed_AS');
  if (limit === undefined || committed === undefined || limit === 0) return [];
  const ratio = committed / limit;
  const severity =
    ratio >= th.commitCriticalRatio
      ? 'critical'
      : ratio >= th.commitWarningRatio
        ? 'warning'
        : null;
  if (!severity) return [];
  const hugePages = meminfoCount(meminfo, 'HugePages_Total');
  return [
    tunableFinding(
      'overcommit_memory',
      severity,
      mode,
      `overcommit_memory is 2 (strict) and Committed_AS is ${(ratio * 100).toFixed(1)} % of CommitLimit: new allocations and fork() will fail with ENOMEM.`,
      'In mode 2 CommitLimit = swap + overcommit_ratio % of (RAM - hugetlb pages); raise overcommit_ratio or add swap, or find what commits so much',
      [
        { name: 'Committed_AS', value: committed, unit: 'bytes' },
        { name: 'CommitLimit', value: limit, unit: 'bytes' },
        ...(t.overcommit_ratio !== undefined
          ? [{ name: 'vm.overcommit_ratio', value: t.overcommit_ratio, unit: 'percent' as const }]
          : []),
        ...(hugePages !== undefined
          ? [{ name: 'HugePages_Total', value: hugePages, unit: 'pages' as const }]
          : []),
      ],
    ),
  ];
}
