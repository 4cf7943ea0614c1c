import { formatBytes } from '@memfleet/analysis';
import type { FragmentationReport } from '../report/inspect-report.types';
import { indent } from './accounting.render';
import type { Style } from './style';
import { renderTable, type Column } from './table';

/** The kernel's debugfs format: three decimals, -1.000 where the allocation would succeed. */
const index3 = (v: number): string => v.toFixed(3);

/**
 * Per node and zone: buddyinfo's free blocks per order, then unusable_index and extfrag_index
 * as /sys/kernel/debug/extfrag prints them, so the numbers can be compared with a live kernel.
 */
export function renderFragmentation(f: FragmentationReport, s: Style): string[] {
  const out = [
    s.bold('Fragmentation (per zone; indexes as /sys/kernel/debug/extfrag prints them)'),
  ];
  for (const z of f.zones) {
    out.push(
      `  node ${z.node}, zone ${z.zone}: ${formatBytes(z.freeBytes)} free ` +
        `(${z.freePages} pages), highest free order ${z.highestFreeOrder ?? 'none'}`,
    );
    const columns: Column[] = [
      { header: 'order', align: 'left' },
      ...z.freeBlocks.map((_, k) => ({ header: String(k), align: 'right' as const })),
    ];
    const rows = [
      ['free blocks', ...z.freeBlocks.map(String)],
      ['unusable', ...z.unusableIndex.map(index3)],
      ['extfrag', ...z.fragmentationIndex.map(index3)],
    ];
    out.push(...indent(renderTable(columns, rows, s.dim), '    '));
  }
  const c = f.compaction;
  if (c) {
    for (const n of c.nodes) {
      const wm =
        n.wmarkHigh === null
          ? ''
          : `; kcompactd compacts proactively above ${n.wmarkHigh}` +
            (n.aboveHighWatermark ? ' (it is above)' : '');
      out.push(`  node ${n.node}: compaction score ${n.score} at order ${c.order} (0-100${wm})`);
    }
  }
  return out;
}
