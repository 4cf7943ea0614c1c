import type { BaseSnapshot, BuddyRow, SlabCacheRow } from './base-snapshot';
import type { ScenarioState } from './scenario';
import { renderPagetypeinfo, renderZoneinfo } from './render-zones';

/**
 * Renders a host's /proc files from the base capture plus a scenario state, keeping the books
 * balanced: every slab page a scenario adds or frees moves Slab/SReclaimable/SUnreclaim, MemFree,
 * vmstat nr_free_pages/nr_slab_* and the Normal zone's buddy lists by the same amount.
 */
export interface RenderedFiles {
  readonly meminfo: string;
  readonly slabinfo: string;
  readonly buddyinfo: string;
  readonly zoneinfo: string;
  readonly pagetypeinfo: string;
  readonly vmstat: string;
}

const KB_PER_PAGE = 4;

const slabPages = (c: SlabCacheRow, objs: number) =>
  Math.ceil(objs / c.objPerSlab) * c.pagesPerSlab;

/** The kernel's slabinfo line format (mm/slab_common.c cache_show). */
function slabLine(c: SlabCacheRow, numObjs: number, activeObjs: number): string {
  const slabs = Math.ceil(numObjs / c.objPerSlab);
  return (
    `${c.name.padEnd(17)} ${pad(activeObjs, 6)} ${pad(numObjs, 6)} ${pad(c.objSize, 6)} ` +
    `${pad(c.objPerSlab, 4)} ${pad(c.pagesPerSlab, 4)} : tunables    0    0    0 : slabdata ` +
    `${pad(slabs, 6)} ${pad(slabs, 6)}      0`
  );
}

function pad(n: number, w: number): string {
  return String(n).padStart(w);
}

export function renderFiles(base: BaseSnapshot, st: ScenarioState, t: number): RenderedFiles {
  let reclaimKb = 0;
  let unreclaimKb = 0;
  const lines = base.slabLines.slice();
  base.slabs.forEach((c, i) => {
    const objs = st.slabObjs.get(c.name);
    if (objs === undefined) return;
    const num = Math.ceil(Math.max(0, objs) / c.objPerSlab) * c.objPerSlab;
    const active = Math.min(num, Math.round(num * (c.numObjs ? c.activeObjs / c.numObjs : 1)));
    lines[i] = slabLine(c, num, active);
    const deltaKb = (slabPages(c, num) - slabPages(c, c.numObjs)) * KB_PER_PAGE;
    // SLAB_RECLAIM_ACCOUNT caches are the fs caches; kmalloc-* are unreclaimable.
    if (c.name.startsWith('kmalloc')) unreclaimKb += deltaKb;
    else reclaimKb += deltaKb;
  });
  const slabinfo = `${base.slabHeader}${lines.join('\n')}\n`;
  const slabKb = reclaimKb + unreclaimKb;
  const freeDeltaPages = -slabKb / KB_PER_PAGE;

  const adjust: Record<string, number> = {
    MemFree: -slabKb,
    MemAvailable: -(unreclaimKb + Math.round(reclaimKb / 2)),
    Slab: slabKb,
    SReclaimable: reclaimKb,
    KReclaimable: reclaimKb,
    SUnreclaim: unreclaimKb,
  };
  const meminfo = base.meminfo
    .map(([k, v]) => {
      const value = Math.max(0, v + (adjust[k] ?? 0));
      const unit = k.startsWith('HugePages_') ? '' : ' kB';
      return `${`${k}:`.padEnd(15)}${pad(value, unit ? 9 : 8)}${unit}`;
    })
    .join('\n');

  const buddy = base.buddy.map((z) =>
    z.zone === 'Normal' ? normalZone(z, st.fragmentation, freeDeltaPages) : z,
  );
  const buddyinfo = buddy
    .map(
      (z) =>
        `Node ${z.node}, zone ${z.zone.padStart(8)} ${z.counts.map((c) => pad(c, 6)).join(' ')} \n`,
    )
    .join('');

  const freePages = buddy.reduce((s, z) => s + zoneFree(z), 0);
  const vmAdd: Record<string, number> = {
    nr_slab_reclaimable: reclaimKb / KB_PER_PAGE,
    nr_slab_unreclaimable: unreclaimKb / KB_PER_PAGE,
    drop_slab: st.dropSlab,
    compact_stall: st.compactStall,
    compact_fail: st.compactFail,
    compact_success: st.compactStall - st.compactFail,
    compact_migrate_scanned: st.compactStall * 4096,
    compact_free_scanned: st.compactStall * 16384,
    compact_isolated: st.compactStall * 512,
    // Background activity, so counters move like a live host's.
    pgalloc_normal: Math.round(t * 900),
    pgfree: Math.round(t * 900),
    pgfault: Math.round(t * 700),
    pgpgin: Math.round(t * 40),
    pgpgout: Math.round(t * 60),
  };
  const vmstat = base.vmstat
    .map(([k, v]) => {
      if (k === 'nr_free_pages') return `${k} ${freePages}`;
      const add = vmAdd[k];
      return add === undefined ? `${k} ${v}` : `${k} ${BigInt(v) + BigInt(Math.round(add))}`;
    })
    .join('\n');

  const memTotalKb = base.meminfo.find(([k]) => k === 'MemTotal')?.[1] ?? 0;
  return {
    meminfo: `${meminfo}\n`,
    slabinfo,
    buddyinfo,
    zoneinfo: renderZoneinfo(buddy, memTotalKb / KB_PER_PAGE, vmAdd),
    pagetypeinfo: renderPagetypeinfo(buddy, memTotalKb / KB_PER_PAGE),
    vmstat: `${vmstat}\n`,
  };
}

export function zoneFree(z: BuddyRow): number {
  return z.counts.reduce((s, c, k) => s + c * 2 ** k, 0);
}

/** Splits high-order blocks into low orders (free total unchanged), then adds/takes free pages. */
function normalZone(z: BuddyRow, fragmentation: number, deltaPages: number): BuddyRow {
  const counts = z.counts.slice();
  const top = counts.length - 1;
  if (fragmentation > 0) {
    let moved = 0;
    for (let k = 4; k <= top; k++) {
      const blocks = Math.round((counts[k] ?? 0) * fragmentation);
      counts[k] = (counts[k] ?? 0) - blocks;
      moved += blocks * 2 ** k;
    }
    const shares = [0.4, 0.3, 0.2, 0.1];
    let placed = 0;
    for (let j = 1; j < shares.length; j++) {
      const blocks = Math.floor((moved * (shares[j] ?? 0)) / 2 ** j);
      counts[j] = (counts[j] ?? 0) + blocks;
      placed += blocks * 2 ** j;
    }
    counts[0] = (counts[0] ?? 0) + (moved - placed);
  }
  let d = Math.round(deltaPages);
  if (d > 0) {
    counts[top] = (counts[top] ?? 0) + Math.floor(d / 2 ** top);
    d %= 2 ** top;
    for (let k = 0; k < top; k++) if (d & (1 << k)) counts[k] = (counts[k] ?? 0) + 1;
  } else {
    // Allocations come out of the largest blocks first; what is left splits order 0.
    let need = -d;
    for (let k = top; k >= 0 && need > 0; k--) {
      const take = Math.min(counts[k] ?? 0, Math.floor(need / 2 ** k));
      counts[k] = (counts[k] ?? 0) - take;
      need -= take * 2 ** k;
    }
    counts[0] = Math.max(0, (counts[0] ?? 0) - need);
  }
  return { node: z.node, zone: z.zone, counts };
}
