import type { BuddyRow } from './base-snapshot';

/**
 * The base capture has no zoneinfo/pagetypeinfo (non-root capture), so these are derived from the
 * buddy lists in the kernel's own layouts (mm/vmstat.c zoneinfo_show_print, pagetypeinfo_show*):
 * a zone's `pages free` is the sum of its buddy lists and the migrate-type rows add up to it.
 */
const MIN_FREE_KBYTES = 67584;
const PAGEBLOCK_PAGES = 512;
/** Present/managed pages of the small zones of a 24 GiB x86-64 guest. */
const SMALL_ZONES: Record<
  string,
  { spanned: number; present: number; managed: number; startPfn: number }
> = {
  DMA: { spanned: 4095, present: 3998, managed: 3840, startPfn: 1 },
  DMA32: { spanned: 1044480, present: 782288, managed: 765904, startPfn: 4096 },
};
const MIGRATE_TYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'] as const;

function zoneSize(zone: string, totalPages: number) {
  const small = SMALL_ZONES[zone];
  if (small) return small;
  const others = Object.values(SMALL_ZONES).reduce((s, z) => s + z.managed, 0);
  const managed = Math.max(0, Math.round(totalPages - others));
  return { spanned: managed + 262144, present: managed + 131072, managed, startPfn: 1048576 };
}

const free = (z: BuddyRow) => z.counts.reduce((s, c, k) => s + c * 2 ** k, 0);

export function renderZoneinfo(
  buddy: readonly BuddyRow[],
  totalPages: number,
  vmAdd: Readonly<Record<string, number>>,
): string {
  const minPages = MIN_FREE_KBYTES / 4;
  const managedAll = buddy.reduce((s, z) => s + zoneSize(z.zone, totalPages).managed, 0);
  const out: string[] = [];
  buddy.forEach((z, i) => {
    const size = zoneSize(z.zone, totalPages);
    const min = Math.round((minPages * size.managed) / managedAll);
    const gap = Math.max(Math.round(min / 4), Math.round((size.managed * 10) / 10000));
    const f = free(z);
    out.push(`Node ${z.node}, zone ${z.zone.padStart(8)}`);
    if (i === 0) {
      out.push(
        '  per-node stats',
        `      nr_slab_reclaimable ${22755 + Math.round(vmAdd.nr_slab_reclaimable ?? 0)}`,
        `      nr_slab_unreclaimable ${6245 + Math.round(vmAdd.nr_slab_unreclaimable ?? 0)}`,
        '      nr_isolated_anon 0',
        '      nr_isolated_file 0',
      );
    }
    out.push(
      `  pages free     ${f}`,
      '        boost    0',
      `        min      ${min}`,
      `        low      ${min + gap}`,
      `        high     ${min + 2 * gap}`,
      `        promo    ${min + 3 * gap}`,
      `        spanned  ${size.spanned}`,
      `        present  ${size.present}`,
      `        managed  ${size.managed}`,
      '        cma      0',
      `        protection: (0, 0, 0, 0, 0)`,
      `      nr_free_pages ${f}`,
      '      nr_zone_inactive_anon 0',
      '      nr_zone_active_anon 0',
      '  pagesets',
      '    cpu: 0',
      '              count:    0',
      '              high:     0',
      '              batch:    1',
      '  vm stats threshold: 6',
      '  node_unreclaimable:  0',
      `  start_pfn:           ${size.startPfn}`,
    );
  });
  // Populated in zoneinfo, absent from buddyinfo: the kernel lists empty zones only here.
  out.push(
    'Node 0, zone  Movable',
    '  pages free     0',
    '        boost    0',
    '        min      0',
    '        low      0',
    '        high     0',
    '        promo    0',
    '        spanned  0',
    '        present  0',
    '        managed  0',
    '        cma      0',
    '        protection: (0, 0, 0, 0, 0)',
  );
  return `${out.join('\n')}\n`;
}

export function renderPagetypeinfo(buddy: readonly BuddyRow[], totalPages: number): string {
  const orders = buddy[0]?.counts.length ?? 11;
  const head = Array.from({ length: orders }, (_, k) => `${String(k).padStart(6)} `).join('');
  const out = [
    'Page block order: 9',
    'Pages per block:  512',
    '',
    `Free pages count per migrate type at order ${head}`,
  ];
  for (const z of buddy) {
    const split = MIGRATE_TYPES.map(() => new Array<number>(orders).fill(0));
    z.counts.forEach((c, k) => {
      const unmovable = Math.floor(c * 0.03);
      const reclaimable = Math.floor(c * 0.01);
      split[0]![k] = unmovable;
      split[2]![k] = reclaimable;
      split[1]![k] = c - unmovable - reclaimable;
    });
    MIGRATE_TYPES.forEach((type, ti) => {
      const row = split[ti]!.map((n) => `${String(n).padStart(6)} `).join('');
      out.push(
        `Node ${String(z.node).padStart(4)}, zone ${z.zone.padStart(8)}, type ${type.padStart(12)} ${row}`,
      );
    });
  }
  out.push('', `Number of blocks type     ${MIGRATE_TYPES.map((t) => t.padStart(12)).join(' ')} `);
  for (const z of buddy) {
    const blocks = Math.ceil(zoneSize(z.zone, totalPages).spanned / PAGEBLOCK_PAGES);
    const unmovable = Math.ceil(blocks * 0.05);
    const reclaimable = Math.ceil(blocks * 0.02);
    const counts = [unmovable, blocks - unmovable - reclaimable, reclaimable, 0, 0];
    out.push(
      `Node ${z.node}, zone ${z.zone.padStart(8)} ${counts.map((n) => String(n).padStart(12)).join(' ')} `,
    );
  }
  return `${out.join('\n')}\n`;
}
