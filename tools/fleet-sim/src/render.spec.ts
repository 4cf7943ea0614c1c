import { splitOutput, toBundle } from '@memfleet/collector';
import {
  parseBuddyinfo,
  parseMeminfo,
  parsePagetypeinfo,
  parseSlabinfo,
  parseVmstat,
  parseZoneinfo,
  type Parsed,
} from '@memfleet/procfs';
import { loadBaseSnapshot } from './base-snapshot';
import { renderCollectOutput } from './collect-output';
import { renderFiles } from './render';
import { SCENARIO_TIMING as T, scenarioState, type ScenarioName } from './scenario';

const base = loadBaseSnapshot();
const baseObjs = (name: string) => base.slabs.find((c) => c.name === name)?.numObjs ?? 0;

function value<V>(p: Parsed<V>): V {
  if (p.kind !== 'ok') throw new Error(`parse failed: ${JSON.stringify(p)}`);
  return p.value;
}

/** Everything a test compares, from the rendered text through the real parsers. */
function at(scenario: ScenarioName, t: number) {
  const files = renderFiles(base, scenarioState(scenario, t, 0, baseObjs), t);
  const mem = value(parseMeminfo(files.meminfo)).fields;
  const slab = value(parseSlabinfo(files.slabinfo));
  const buddy = value(parseBuddyinfo(files.buddyinfo));
  const vm = value(parseVmstat(files.vmstat)).counters;
  const cache = (name: string) => slab.caches.find((c) => c.name === name);
  const slabBytes = (name: string) => {
    const c = cache(name);
    return c ? (c.numSlabs ?? 0) * c.pagesPerSlab * 4096 : 0;
  };
  const normal = buddy.zones.find((z) => z.zone === 'Normal')?.freeBlocks ?? [];
  const freePages = buddy.zones.reduce(
    (s, z) => s + z.freeBlocks.reduce((a, n, k) => a + n * 2 ** k, 0),
    0,
  );
  return { files, mem, vm, cache, slabBytes, normal, freePages, zoneinfo: files.zoneinfo };
}

const f = (m: Readonly<Record<string, number>>, k: string) => m[k] ?? NaN;

describe('simulated procfs', () => {
  it('renders the base capture unchanged in numbers for a healthy host at its start', () => {
    const h = at('healthy', 0);
    const baseMem = Object.fromEntries(base.meminfo);
    expect(f(h.mem, 'MemTotal')).toBe((baseMem.MemTotal ?? 0) * 1024);
    expect(f(h.mem, 'Slab')).toBe(f(h.mem, 'SReclaimable') + f(h.mem, 'SUnreclaim'));
  });

  it('keeps meminfo, slabinfo, vmstat and buddyinfo in step as rsync grows the fs caches', () => {
    const a = at('rsync', 0);
    const b = at('rsync', T.rsyncPeriodS * 0.5);
    const cacheGrowth =
      b.slabBytes('dentry') -
      a.slabBytes('dentry') +
      b.slabBytes('ext4_inode_cache') -
      a.slabBytes('ext4_inode_cache');
    expect(cacheGrowth).toBeGreaterThan(500 * 1024 * 1024);
    expect(f(b.mem, 'SReclaimable') - f(a.mem, 'SReclaimable')).toBe(cacheGrowth);
    expect(f(b.mem, 'SUnreclaim')).toBe(f(a.mem, 'SUnreclaim'));
    expect(f(b.mem, 'Slab')).toBe(f(b.mem, 'SReclaimable') + f(b.mem, 'SUnreclaim'));
    expect(f(a.mem, 'MemFree') - f(b.mem, 'MemFree')).toBe(cacheGrowth);
    expect((a.freePages - b.freePages) * 4096).toBe(cacheGrowth);
    const pages = (v: ReadonlyMap<string, bigint>, k: string) => Number(v.get(k) ?? NaN);
    expect((pages(b.vm, 'nr_slab_reclaimable') - pages(a.vm, 'nr_slab_reclaimable')) * 4096).toBe(
      cacheGrowth,
    );
    expect(pages(b.vm, 'nr_free_pages')).toBe(b.freePages);
  });

  it('drops the dentry cache and counts a drop_slab at the end of each rsync cycle, then regrows', () => {
    const peak = at('rsync', T.rsyncPeriodS - 1);
    const dropped = at('rsync', T.rsyncPeriodS + 1);
    const regrown = at('rsync', T.rsyncPeriodS * 1.8);
    const drops = (x: typeof peak) => x.vm.get('drop_slab') ?? -1n;
    expect(drops(dropped) - drops(peak)).toBe(1n);
    expect(dropped.cache('dentry')?.numObjs).toBeLessThan(
      (peak.cache('dentry')?.numObjs ?? 0) * 0.05,
    );
    expect(f(dropped.mem, 'SReclaimable')).toBeLessThan(f(peak.mem, 'SReclaimable'));
    expect(regrown.cache('dentry')?.numObjs).toBe(peak.cache('dentry')?.numObjs);
    expect(drops(regrown)).toBe(drops(dropped));
  });

  it('leaks unreclaimable slab into kmalloc-128 at the configured rate', () => {
    const a = at('leak', 0);
    const b = at('leak', 3600);
    const leaked = f(b.mem, 'SUnreclaim') - f(a.mem, 'SUnreclaim');
    const expected = T.leakObjsPerS * 3600 * 128;
    expect(Math.abs(leaked - expected)).toBeLessThan(8192);
    expect(leaked).toBe(b.slabBytes(T.leakCache) - a.slabBytes(T.leakCache));
    expect(f(b.mem, 'SReclaimable')).toBe(f(a.mem, 'SReclaimable'));
  });

  it('fragments the Normal zone while free memory stays the same, with compaction stalls and failures', () => {
    const a = at('fragmenting', 0);
    const b = at('fragmenting', T.fragmentTauS * 3);
    const high = (blocks: readonly number[]) =>
      blocks.slice(4).reduce((s, n, i) => s + n * 2 ** (i + 4), 0);
    expect(high(b.normal)).toBeLessThan(high(a.normal) * 0.1);
    expect(b.freePages).toBe(a.freePages);
    expect(f(b.mem, 'MemFree')).toBe(f(a.mem, 'MemFree'));
    const stall = Number(b.vm.get('compact_stall'));
    const fail = Number(b.vm.get('compact_fail'));
    expect(stall).toBeGreaterThan(100);
    expect(fail).toBeGreaterThan(0);
    expect(fail).toBeLessThan(stall);
  });

  it('derives zoneinfo and pagetypeinfo whose free pages agree with buddyinfo', () => {
    const x = at('fragmenting', 1000);
    const zones = value(parseZoneinfo(x.zoneinfo)).zones;
    const normalFree = x.normal.reduce((s, n, k) => s + n * 2 ** k, 0);
    expect(zones.find((z) => z.zone === 'Normal')?.freePages).toBe(normalFree);
    const pt = value(parsePagetypeinfo(x.files.pagetypeinfo));
    const normalTypes = pt.free.filter((r) => r.zone === 'Normal');
    const order0 = normalTypes.reduce((s, r) => s + (r.counts[0]?.value ?? 0), 0);
    expect(order0).toBe(x.normal[0]);
  });

  it('renders output the collector splits into a complete bundle, with failed root reads per section', () => {
    const st = scenarioState('healthy', 10, 0, baseObjs);
    const out = renderCollectOutput(base, st, {
      nonce: 'abc-1',
      t: 10,
      now: 1_700_000_000_123,
      rootRead: { status: 1, reason: 'Permission denied' },
    });
    const split = splitOutput(out);
    if (!split.ok) throw new Error(split.reason);
    const built = toBundle(split.sections);
    if (!built.ok) throw new Error(built.reason);
    expect(built.bundle.collectedAt).toBe('2023-11-14T22:13:20.123Z');
    expect(built.sectionErrors['/proc/slabinfo']).toBe(
      'exit status 1: cat: /proc/slabinfo: Permission denied',
    );
    expect(Object.keys(built.bundle.files)).toHaveLength(16 - 2);
  });
});
