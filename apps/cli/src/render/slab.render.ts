import { formatBytes } from '@memfleet/analysis';
import type { SlabReport } from '../report/inspect-report.types';
import { indent } from './accounting.render';
import type { Style } from './style';
import { renderTable, type Column } from './table';

const pct = (part: number, whole: number): string =>
  whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : '-';
const bytes = (n: number | null): string => (n === null ? '-' : formatBytes(n));

const COLUMNS: readonly Column[] = [
  { header: 'OBJS', align: 'right' },
  { header: 'ACTIVE', align: 'right' },
  { header: 'USE', align: 'right' },
  { header: 'OBJ SIZE', align: 'right' },
  { header: 'SLABS', align: 'right' },
  { header: 'OBJ/SLAB', align: 'right' },
  { header: 'CACHE SIZE', align: 'right' },
  { header: 'NAME', align: 'left' },
];

/** slabtop's summary lines and its table (`slabtop -o -s c`), with IEC units for sizes. */
export function renderSlab(slab: SlabReport, s: Style): string[] {
  const out = [
    s.bold(`Slab (as slabtop): ${bytes(slab.sizeBytes)} in ${slab.cacheCount} caches`),
    `  active / total objects: ${slab.activeObjs} / ${slab.numObjs} (${pct(slab.activeObjs, slab.numObjs)})`,
    `  active / total caches:  ${slab.activeCacheCount} / ${slab.cacheCount}`,
    `  active / total size:    ${bytes(slab.activeObjBytes)} / ${bytes(slab.totalObjBytes)}` +
      ` (${pct(slab.activeObjBytes, slab.totalObjBytes)})`,
  ];
  const m = slab.meminfo;
  if (m) {
    out.push(
      `  kernel totals (meminfo): reclaimable ${bytes(m.reclaimableBytes)}, ` +
        `unreclaimable ${bytes(m.unreclaimableBytes)}`,
    );
  }
  const b = slab.byName;
  out.push(
    s.dim(
      `  by cache name (heuristic): reclaimable ${bytes(b.reclaimableBytes)}, ` +
        `unreclaimable ${bytes(b.unreclaimableBytes)}, unknown ${bytes(b.unknownBytes)}`,
    ),
  );
  if (slab.caches.length === 0) return out;
  out.push('');
  const rows = slab.caches.map((c) => [
    String(c.numObjs),
    String(c.activeObjs),
    // slabtop: integer percent, 0 for an empty cache
    c.numObjs > 0 ? `${Math.floor((c.activeObjs * 100) / c.numObjs)}%` : '0%',
    formatBytes(c.objSize),
    c.numSlabs === null ? '-' : String(c.numSlabs),
    String(c.objPerSlab),
    bytes(c.sizeBytes),
    c.name,
  ]);
  out.push(...indent(renderTable(COLUMNS, rows, s.dim)));
  if (slab.caches.length < slab.cacheCount) {
    out.push(s.dim(`  (largest ${slab.caches.length} of ${slab.cacheCount}; --top N shows more)`));
  }
  return out;
}
