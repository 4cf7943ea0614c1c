import type { Evidence, Finding, Severity } from '../finding';
import { formatBytes } from '../format';
import { DEFAULT_TREND_FINDING_THRESHOLDS, type TrendFindingThresholds } from './defaults';
import type { FragmentationSeriesAssessment } from './fragmentation-series';
import type { LeakAssessment } from './leak';
import type { SlabDrop, SlabDropAnalysis } from './slab-drops';

const pct = (r: number): string => `${(r * 100).toFixed(0)} %`;

/**
 * slab_regrowth: a drop_caches freed reclaimable slab and the workload built it back. Dropping
 * caches then only treated the symptom; the cache is a working set something keeps re-creating.
 * One finding per range, about the latest drop_caches whose regrowth could be measured: a cron
 * job dropping caches hourly must not bury the host under 168 findings a week.
 */
export function slabRegrowthFindings(
  analysis: SlabDropAnalysis,
  th: TrendFindingThresholds = DEFAULT_TREND_FINDING_THRESHOLDS,
): Finding[] {
  const manual = analysis.drops.filter((d) => d.trigger === 'drop_caches');
  const d = [...manual].reverse().find((x) => x.regrowth !== null);
  const r = d?.regrowth;
  if (!d || !r || r.ratio < th.regrowthInfoRatio) return [];
  const severity: Severity = r.ratio >= th.regrowthWarningRatio ? 'warning' : 'info';
  const regrower = d.topRegrowingCaches[0]?.name ?? r.perCache[0]?.name ?? 'slab';
  const cacheText = r.perCache
    .filter((c) => c.freedBytes >= th.regrowthCacheMinShare * d.freedBytes)
    .map((c) => `${c.name} freed ${formatBytes(c.freedBytes)}, ${pct(c.ratio)} back`)
    .join('; ');
  const survivorText = d.survivors.length
    ? ` ${d.survivors.map((s) => s.name).join(', ')} kept most of its size: ${d.survivorsNote ?? ''}`
    : '';
  const evidence = regrowthEvidence(d);
  evidence.push({ name: 'drop_caches in range', value: manual.length, unit: 'count' });
  return [
    {
      kind: 'slab_regrowth',
      severity,
      subject: regrower,
      summary:
        `drop_caches at ${d.at.toISOString()} freed ${formatBytes(d.freedBytes)} of ` +
        `${analysis.measure ?? 'slab'}; ${pct(r.ratio)} of it came back by ` +
        `${r.peakAt.toISOString()}${cacheText ? ` (${cacheText})` : ''}.` +
        (manual.length > 1 ? ` ${manual.length} drop_caches in range: likely scheduled.` : '') +
        survivorText,
      advice:
        `The workload re-creates ${regrower}: find what walks the filesystem (rsync, updatedb/` +
        'mlocate, find, backup agents, `du`) and whether it needs to. Reclaimable slab is freed ' +
        'by the kernel under memory pressure anyway; a cron job writing to drop_caches only ' +
        'throws away a working set the workload then rebuilds (Documentation/admin-guide/' +
        'sysctl/vm.rst, drop_caches: "use outside of a testing or debugging environment is not ' +
        'recommended"). To make dentries and inodes go sooner, raise vm.vfs_cache_pressure ' +
        'moderately (e.g. 200) instead (vm.rst, vfs_cache_pressure).',
      evidence,
    },
  ];
}

function regrowthEvidence(d: SlabDrop): Evidence[] {
  const r = d.regrowth;
  const ev: Evidence[] = [
    { name: 'before', value: d.beforeBytes, unit: 'bytes' },
    { name: 'after', value: d.afterBytes, unit: 'bytes' },
    { name: 'freed', value: d.freedBytes, unit: 'bytes' },
  ];
  if (!r) return ev;
  ev.push(
    { name: 'regrowth peak', value: r.peakBytes, unit: 'bytes' },
    { name: 'regrowth ratio', value: r.ratio, unit: 'ratio' },
    { name: 'regrowth rate', value: r.rateBytesPerHour, unit: 'bytes/hour' },
  );
  if (r.timeTo50PctSeconds !== null)
    ev.push({ name: 'time to 50 % back', value: r.timeTo50PctSeconds, unit: 'seconds' });
  if (r.timeTo90PctSeconds !== null)
    ev.push({ name: 'time to 90 % back', value: r.timeTo90PctSeconds, unit: 'seconds' });
  for (const c of r.perCache) {
    ev.push({ name: `${c.name} freed`, value: c.freedBytes, unit: 'bytes' });
    ev.push({ name: `${c.name} regrowth ratio`, value: c.ratio, unit: 'ratio' });
  }
  for (const s of d.survivors)
    ev.push({ name: `${s.name} kept after drop`, value: s.afterBytes, unit: 'bytes' });
  return ev;
}

/** sunreclaim_leak: unreclaimable slab grows steadily (`leaking`), or trends up (`growing`, info). */
export function leakFindings(
  a: LeakAssessment,
  th: TrendFindingThresholds = DEFAULT_TREND_FINDING_THRESHOLDS,
): Finding[] {
  if (a.verdict !== 'leaking' && a.verdict !== 'growing') return [];
  if (a.slopeBytesPerHour === null) return [];
  const top = a.topGrowingCaches[0];
  const untilExhaustion =
    a.projectedExhaustionAt && a.lastAt
      ? (a.projectedExhaustionAt.getTime() - a.lastAt.getTime()) / 1000
      : null;
  const severity: Severity =
    a.verdict === 'growing'
      ? 'info'
      : untilExhaustion !== null && untilExhaustion <= th.leakCriticalWithinSeconds
        ? 'critical'
        : 'warning';
  const evidence: Evidence[] = [
    { name: 'SUnreclaim slope', value: a.slopeBytesPerHour, unit: 'bytes/hour' },
    { name: 'monotonicity (Spearman rho)', value: a.monotonicity ?? 0, unit: 'ratio' },
    { name: 'SUnreclaim growth', value: a.growthBytes ?? 0, unit: 'bytes' },
    { name: 'points', value: a.pointCount, unit: 'count' },
  ];
  if (a.lastSUnreclaimBytes !== null)
    evidence.push({ name: 'SUnreclaim', value: a.lastSUnreclaimBytes, unit: 'bytes' });
  if (untilExhaustion !== null)
    evidence.push({ name: 'until MemAvailable is 0', value: untilExhaustion, unit: 'seconds' });
  if (a.step) evidence.push({ name: 'one-off step set aside', value: a.step.bytes, unit: 'bytes' });
  for (const c of a.topGrowingCaches)
    evidence.push({ name: `${c.name} slope`, value: c.slopeBytesPerHour, unit: 'bytes/hour' });
  return [
    {
      kind: 'sunreclaim_leak',
      severity,
      subject: top?.name ?? 'SUnreclaim',
      summary:
        `Unreclaimable slab ${a.verdict === 'leaking' ? 'is leaking' : 'is growing'}: ` +
        `+${formatBytes(a.slopeBytesPerHour)}/h over ${a.pointCount} points ` +
        `(rho ${(a.monotonicity ?? 0).toFixed(2)})` +
        (top ? `, fastest cache ${top.name} (+${formatBytes(top.slopeBytesPerHour)}/h)` : '') +
        (a.projectedExhaustionAt
          ? `; at this rate MemAvailable reaches 0 around ${a.projectedExhaustionAt.toISOString()}`
          : '') +
        '.' +
        (a.step
          ? ` A one-off step of ${formatBytes(a.step.bytes)} at ${a.step.at.toISOString()} was ` +
            'set aside.'
          : ''),
      advice:
        'Unreclaimable slab is only freed by the code that allocated it: no drop_caches or ' +
        'memory pressure returns it. Identify the owner: boot with `slab_nomerge` so the cache ' +
        'is not merged into a generic kmalloc-* one (Documentation/admin-guide/' +
        'kernel-parameters.txt), use `slub_debug=U,<cache>` to record allocation call sites ' +
        '(Documentation/mm/slub.rst) or kmemleak (Documentation/dev-tools/kmemleak.rst). Check ' +
        'the kernel and out-of-tree driver versions against known leaks, upgrade, and plan a ' +
        'reboot before the projected exhaustion.',
      evidence,
    },
  ];
}

/** fragmentation: zones fragmented (warning; critical when it lasts) or fragmenting (info). */
export function fragmentationTrendFindings(
  a: FragmentationSeriesAssessment,
  th: TrendFindingThresholds = DEFAULT_TREND_FINDING_THRESHOLDS,
): Finding[] {
  const out: Finding[] = [];
  for (const z of a.zones) {
    if (z.verdict !== 'fragmented' && z.verdict !== 'fragmenting') continue;
    // Short of free memory right now: a low_memory matter (the snapshot diagnosis reports it).
    if (z.latest?.lowFreeMemory) continue;
    const lasting = (z.fragmentedForSeconds ?? 0) >= th.fragmentedCriticalSeconds;
    const severity: Severity =
      z.verdict === 'fragmenting' ? 'info' : lasting ? 'critical' : 'warning';
    const idx = (z.latest?.unusableIndex ?? 0) / 1000;
    const evidence: Evidence[] = [
      { name: `unusable free index order ${a.order}`, value: idx, unit: 'index' },
      { name: 'zone free', value: z.latest?.freeBytes ?? 0, unit: 'bytes' },
    ];
    if (z.fragmentedForSeconds !== null)
      evidence.push({ name: 'fragmented for', value: z.fragmentedForSeconds, unit: 'seconds' });
    if (z.unusableIndexSlopePerDay !== null)
      evidence.push({
        name: 'unusable index slope per day',
        value: z.unusableIndexSlopePerDay / 1000,
        unit: 'index',
      });
    if (a.compactStallPerHour !== null)
      evidence.push({ name: 'compact_stall', value: a.compactStallPerHour, unit: 'per-hour' });
    if (a.compactFailPerHour !== null)
      evidence.push({ name: 'compact_fail', value: a.compactFailPerHour, unit: 'per-hour' });
    out.push({
      kind: 'fragmentation',
      severity,
      subject: z.subject,
      summary:
        z.verdict === 'fragmented'
          ? `${z.subject} has been fragmented at order ${a.order} for at least ` +
            `${Math.round((z.fragmentedForSeconds ?? 0) / 60)} min (unusable index ${idx.toFixed(3)}` +
            ` with ${formatBytes(z.latest?.freeBytes ?? 0)} free).`
          : `${z.subject} is fragmenting: the order-${a.order} unusable index rose to ` +
            `${idx.toFixed(3)} while free memory stayed above the watermarks.`,
      advice:
        'This is fragmentation, not a shortage: free memory exists but not in large blocks. ' +
        'Keep compaction on (vm.compaction_proactiveness > 0, vm.extfrag_threshold near 500; ' +
        'Documentation/admin-guide/sysctl/vm.rst); `echo 1 > /proc/sys/vm/compact_memory` ' +
        'compacts once. Rising compact_stall means allocations wait on compaction. Long-lived ' +
        'unmovable allocations (slab, pinned pages) pin pageblocks; a moderate min_free_kbytes ' +
        'increase is a known mitigation.',
      evidence,
    });
  }
  return out;
}
