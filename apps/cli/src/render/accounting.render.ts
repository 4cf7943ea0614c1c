import { formatBytes, type MemoryAccounting } from '@memfleet/analysis';
import type { Style } from './style';
import { renderTable } from './table';

const bytes = (n: number | null): string => (n === null ? '-' : formatBytes(n));
const percentOf = (n: number | null, total: number): string =>
  n === null || total <= 0 ? '-' : `${((n / total) * 100).toFixed(1)} %`;

/** The free -w line, the legacy "used" and the free-vs-ps gap, each with its percent of RAM. */
export function renderAccounting(a: MemoryAccounting, s: Style): string[] {
  const out: string[] = [];
  out.push(s.bold('Memory (as free -w)'));
  out.push(
    ...indent(
      renderTable(
        ['', 'total', 'used', 'free', 'shared', 'buffers', 'cache', 'available'].map((h, i) => ({
          header: h,
          align: i === 0 ? 'left' : 'right',
        })),
        [
          [
            'Mem:',
            bytes(a.totalBytes),
            bytes(a.usedBytes),
            bytes(a.freeBytes),
            bytes(a.sharedBytes),
            bytes(a.buffersBytes),
            bytes(a.cacheBytes),
            bytes(a.availableBytes),
          ],
        ],
        s.dim,
      ),
    ),
  );
  if (a.availableSource === 'MemFree') {
    out.push(s.dim('  no MemAvailable in this kernel: available = MemFree, as procps does'));
  }
  out.push('');
  const total = a.totalBytes;
  const g = a.gap;
  const rows: [string, number | null, string][] = [
    [`used (${g.basis})`, g.usedBytes, ''],
    [
      `process RSS sum (${a.processCount ?? '?'} processes)`,
      g.processRssBytes,
      'shared pages counted once per process',
    ],
    ['slab reclaimable (in used)', g.slabReclaimableBytes, ''],
    ['slab unreclaimable', g.slabUnreclaimableBytes, ''],
    ['shmem / tmpfs', g.shmemBytes, ''],
    ['kernel stacks', g.kernelStackBytes, ''],
    ['page tables', g.pageTablesBytes, ''],
    ['vmalloc', g.vmallocBytes, ''],
    ['percpu', g.percpuBytes, ''],
    ['hugetlb pool', g.hugetlbBytes, ''],
    ['file cache (in used)', g.fileCacheBytes, ''],
    ['unexplained', g.unexplainedBytes, 'used minus everything above'],
  ];
  out.push(s.bold('Where "used" goes (free-vs-ps gap)'));
  out.push(
    ...indent(
      renderTable(
        [
          { header: '', align: 'left' },
          { header: 'size', align: 'right' },
          { header: '% of RAM', align: 'right' },
          { header: '', align: 'left' },
        ],
        rows.map(([name, n, note]) => [name, bytes(n), percentOf(n, total), note]),
        s.dim,
      ),
    ),
  );
  out.push('');
  out.push(
    `  legacy used (procps 3.2 "-/+ buffers/cache", slab counted as used): ${bytes(a.legacyUsedBytes)}` +
      ` (${percentOf(a.legacyUsedBytes, total)} of RAM)`,
  );
  if (a.slabBytes !== null) {
    out.push(
      `  slab: ${bytes(a.slabBytes)} (${percentOf(a.slabBytes, total)} of RAM), reclaimable ` +
        `${bytes(a.slabReclaimableBytes)}, unreclaimable ${bytes(a.slabUnreclaimableBytes)}`,
    );
  }
  for (const note of g.notes) out.push(s.dim(`  note: ${note}`));
  return out;
}

export const indent = (lines: string[], by = '  '): string[] =>
  lines.map((l) => (l === '' ? l : by + l));
