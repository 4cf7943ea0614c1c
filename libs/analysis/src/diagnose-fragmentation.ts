import type { Zoneinfo, ZoneinfoZone } from '@memfleet/procfs';
import type { Evidence, Finding, Severity } from './finding';
import { formatBytes } from './format';
import type { FragmentationReport, ZoneFragmentation } from './fragmentation';

export interface FragmentationThresholds {
  /** The order whose unusable index is judged; 4 = 64 KiB with 4 KiB pages (above PAGE_ALLOC_COSTLY_ORDER 3). */
  readonly order: number;
  /** Unusable free index, thousandths: warning / critical at or above. */
  readonly unusableWarning: number;
  readonly unusableCritical: number;
  /** A zone with less free than this is too small to call fragmented (the DMA zone, say). */
  readonly minZoneFreeBytes: number;
}

export const DEFAULT_FRAGMENTATION_THRESHOLDS: FragmentationThresholds = {
  order: 4,
  unusableWarning: 750,
  unusableCritical: 950,
  minZoneFreeBytes: 64 * 1024 * 1024,
};

const findZone = (zi: Zoneinfo | undefined, z: ZoneFragmentation): ZoneinfoZone | undefined =>
  zi?.zones.find((x) => x.node === z.node && x.zone === z.zone);

/**
 * fragmentation: most of a zone's free memory sits in blocks too small for order >= 4 while the
 * zone is NOT short of free memory. A zone at or below its watermark is short of memory instead,
 * and gets a low_memory finding: the two need different fixes (compaction vs. freeing memory).
 */
export function fragmentationFindings(
  report: FragmentationReport,
  pageSize: number,
  zoneinfo?: Zoneinfo,
  th: FragmentationThresholds = DEFAULT_FRAGMENTATION_THRESHOLDS,
): Finding[] {
  const out: Finding[] = [];
  for (const z of report.zones) {
    const zi = findZone(zoneinfo, z);
    const freeBytes = z.freePages * pageSize;
    if (zi?.min !== undefined && z.freePages <= zi.min) {
      out.push(lowZoneFinding(z, zi.min, pageSize));
      continue;
    }
    const atOrder = z.orders[th.order];
    if (!atOrder || freeBytes < th.minZoneFreeBytes) continue;
    if (zi?.high !== undefined && z.freePages <= zi.high) continue;
    if (atOrder.unusableFreeIndex < th.unusableWarning) continue;
    const severity: Severity =
      atOrder.unusableFreeIndex >= th.unusableCritical ? 'critical' : 'warning';
    const node = report.compaction?.nodes.find((n) => n.node === z.node);
    const evidence: Evidence[] = [
      {
        name: `unusable free index order ${th.order}`,
        value: atOrder.unusableFreeIndex / 1000,
        unit: 'index',
      },
      {
        name: `fragmentation index order ${th.order}`,
        value: atOrder.fragmentationIndex / 1000,
        unit: 'index',
      },
      { name: 'zone free pages', value: z.freePages, unit: 'pages' },
      { name: 'zone free', value: freeBytes, unit: 'bytes' },
      { name: 'highest free order', value: z.highestFreeOrder ?? -1, unit: 'count' },
    ];
    if (node)
      evidence.push({
        name: `node ${z.node} compaction score`,
        value: node.score,
        unit: 'percent',
      });
    out.push({
      kind: 'fragmentation',
      severity,
      subject: z.subject,
      summary:
        `${z.subject} has ${formatBytes(freeBytes)} free, but ${(atOrder.unusableFreeIndex / 10).toFixed(1)} % ` +
        `of it is in blocks smaller than order ${th.order} (${formatBytes(pageSize << th.order)}); ` +
        `the largest free block is order ${z.highestFreeOrder ?? 'none'}.`,
      advice:
        'High-order allocations (network jumbo frames, SLUB slabs, huge pages) must compact or fail here. ' +
        'Keep compaction on (compaction_proactiveness > 0, extfrag_threshold near 500); ' +
        '`echo 1 > /proc/sys/vm/compact_memory` compacts once; raising min_free_kbytes moderately is a ' +
        'known mitigation for fragmentation stalls. Long-lived unmovable allocations (slab) pin pageblocks.',
      evidence,
    });
  }
  return out;
}

function lowZoneFinding(z: ZoneFragmentation, minPages: number, pageSize: number): Finding {
  return {
    kind: 'low_memory',
    severity: 'warning',
    subject: z.subject,
    summary:
      `${z.subject} is at or below its min watermark (${z.freePages} free pages, min ${minPages}): ` +
      'allocations from it reclaim directly. This is a shortage of free memory, not fragmentation.',
    advice:
      'Free memory (or let reclaim catch up); compaction cannot help a zone that has no free pages.',
    evidence: [
      { name: 'zone free pages', value: z.freePages, unit: 'pages' },
      { name: 'min watermark', value: minPages, unit: 'pages' },
      { name: 'zone free', value: z.freePages * pageSize, unit: 'bytes' },
    ],
  };
}
