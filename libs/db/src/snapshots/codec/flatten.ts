import type {
  Buddyinfo,
  Meminfo,
  Pagetypeinfo,
  Parsed,
  SlabCache,
  Slabinfo,
  Tunables,
  Vmstat,
  Zoneinfo,
} from '@memfleet/procfs';
import { FlatWriter } from './flat';
import type { GroupEntry, KeyDictionary } from './key-dictionary';
import { SECTION_ORDER, type ProcessSummary, type SnapshotContent } from './snapshot-content';

/*
 * Key scheme: `<tag>:<name>`. The name makes a key stable from one snapshot to the next (the
 * same cache, zone or counter gets the same key, so its delta is usually 0); the decoder only
 * reads names that carry data (field, cache, counter names). Tags are listed in unflatten.ts.
 */

export const SLAB_VERSIONS = ['2.0', '2.1', '2.1 (statistics)'] as const;

export const SLAB_OPTIONAL = [
  ['sl', 'limit'],
  ['sb', 'batchCount'],
  ['sf', 'sharedFactor'],
  ['sA', 'activeSlabs'],
  ['sN', 'numSlabs'],
  ['sS', 'sharedAvail'],
] as const;

/** Key tags of a slab cache written with a shape: shape, activeObjs, numObjs, activeSlabs, numSlabs. */
const SLAB_TAGS = ['sc', 'sa', 'sn', 'sA', 'sN'];

export const ZONE_OPTIONAL = [
  ['zF', 'freePages'],
  ['zm', 'min'],
  ['zl', 'low'],
  ['zh', 'high'],
  ['zs', 'spanned'],
  ['zp', 'present'],
  ['zM', 'managed'],
] as const;

export const SECTION_STATUS = { ok: 0, unavailable: 1, error: 2 } as const;

export function flattenContent(content: SnapshotContent, dict: KeyDictionary): FlatWriter {
  const w = new FlatWriter(dict);
  w.num('pg', '', content.pageSize);
  if (content.kernelRelease !== undefined) w.str('kr', '', content.kernelRelease);
  section(w, 'meminfo', content.meminfo, meminfo);
  section(w, 'slabinfo', content.slabinfo, slabinfo);
  section(w, 'buddyinfo', content.buddyinfo, buddyinfo);
  section(w, 'zoneinfo', content.zoneinfo, zoneinfo);
  section(w, 'pagetypeinfo', content.pagetypeinfo, pagetypeinfo);
  section(w, 'vmstat', content.vmstat, vmstat);
  section(w, 'tunables', content.tunables, tunables);
  section(w, 'processes', content.processes, processes);
  return w;
}

function section<T>(
  w: FlatWriter,
  name: (typeof SECTION_ORDER)[number],
  parsed: Parsed<T>,
  body: (w: FlatWriter, value: T) => void,
): void {
  w.num('!', name, SECTION_STATUS[parsed.kind]);
  if (parsed.kind === 'ok') {
    body(w, parsed.value);
  } else if (parsed.kind === 'unavailable') {
    w.text('?r', name, parsed.reason);
  } else {
    w.str('?f', name, parsed.error.file);
    w.num('?l', name, parsed.error.line);
    w.text('?e', name, parsed.error.reason);
  }
}

function meminfo(w: FlatWriter, m: Meminfo): void {
  for (const [field, v] of Object.entries(m.fields)) w.num('m', field, v);
  for (const field of m.countFields) w.num('mc', field, 0);
}

function slabinfo(w: FlatWriter, s: Slabinfo): void {
  w.num('sv', '', SLAB_VERSIONS.indexOf(s.version));
  for (const c of s.caches) {
    // ~250 caches: one dictionary lookup per cache, and the fields that never change
    // (object size, geometry, tunables) as one interned shape instead of seven entries.
    const entry = w.dict.internGroup('slab', c.name, SLAB_TAGS);
    const shape = slabShapeId(w, c, entry);
    if (shape === undefined) {
      slabCacheByField(w, c);
      continue;
    }
    const ids = entry.ids;
    w.numId(ids[0] as number, shape);
    w.numId(ids[1] as number, c.activeObjs);
    w.numId(ids[2] as number, c.numObjs);
    if (c.activeSlabs !== undefined) w.numId(ids[3] as number, c.activeSlabs);
    if (c.numSlabs !== undefined) w.numId(ids[4] as number, c.numSlabs);
  }
  if (s.anomalies !== undefined) {
    w.num('sX', '', s.anomalies.length);
    s.anomalies.forEach((a, i) => {
      w.num('sx', String(i), a.line);
      w.str('sy', String(i), a.name);
      w.text('sz', String(i), a.reason);
    });
  }
}

function buddyinfo(w: FlatWriter, b: Buddyinfo): void {
  for (const z of b.zones) {
    const id = `${z.node}:${z.zone}`;
    w.num('bz', id, z.node);
    z.freeBlocks.forEach((v, order) => w.num('bo', `${id}:${order}`, v));
  }
}

function zoneinfo(w: FlatWriter, zi: Zoneinfo): void {
  for (const z of zi.zones) {
    const id = `${z.node}:${z.zone}`;
    w.num('zz', id, z.node);
    for (const [tag, field] of ZONE_OPTIONAL) {
      const v = z[field];
      if (v !== undefined) w.num(tag, id, v);
    }
    if (z.protection !== undefined) {
      w.num('zP', id, z.protection.length);
      z.protection.forEach((v, i) => w.num('zq', `${id}:${i}`, v));
    }
    for (const [counter, v] of Object.entries(z.counters)) w.num('zc', `${id}:${counter}`, v);
  }
  if (zi.nodeStats !== undefined) {
    w.num('zS', '', zi.nodeStats.length);
    for (const n of zi.nodeStats) {
      w.num('zN', `${n.node}`, n.node);
      for (const [counter, v] of Object.entries(n.counters)) w.num('zn', `${n.node}:${counter}`, v);
    }
  }
}

function pagetypeinfo(w: FlatWriter, p: Pagetypeinfo): void {
  w.num('ta', '', p.pageBlockOrder);
  w.num('tb', '', p.pagesPerBlock);
  for (const f of p.free) {
    const id = `${f.node}:${f.zone}:${f.type}`;
    w.num('tf', id, f.node);
    // value*2 + overflow: one entry per count; values stay far below 2^50.
    f.counts.forEach((c, i) => w.num('tv', `${id}:${i}`, c.value * 2 + (c.overflow ? 1 : 0)));
  }
  for (const b of p.blocks) {
    const id = `${b.node}:${b.zone}`;
    w.num('tk', id, b.node);
    for (const [type, v] of Object.entries(b.blocks)) w.num('tB', `${id}:${type}`, v);
  }
}

function vmstat(w: FlatWriter, v: Vmstat): void {
  for (const [name, value] of v.counters) w.big('v', name, value);
}

function tunables(w: FlatWriter, t: Tunables): void {
  for (const [name, v] of Object.entries(t)) if (v !== undefined) w.num('u', name, v);
}

function processes(w: FlatWriter, p: ProcessSummary): void {
  w.num('pn', '', p.count);
  w.num('pr', '', p.rssSumBytes);
  p.top.forEach((proc, i) => {
    w.num('pp', String(i), proc.pid);
    w.num('pR', String(i), proc.rssBytes);
    w.str('pc', String(i), proc.comm);
  });
}

interface SlabShape {
  readonly objSize: number;
  readonly objPerSlab: number;
  readonly pagesPerSlab: number;
  readonly limit: number | undefined;
  readonly batchCount: number | undefined;
  readonly sharedFactor: number | undefined;
  readonly sharedAvail: number | undefined;
  readonly id: number;
}

/** An integer the shape's decimal text carries exactly (not -0, not beyond 2^53). */
const plain = (v: number | undefined): boolean =>
  v === undefined || (Number.isSafeInteger(v) && (v !== 0 || 1 / v > 0));

/**
 * The id of the interned `objSize,objPerSlab,pagesPerSlab,limit,batchCount,sharedFactor,
 * sharedAvail` of a cache ('' for an absent field), or undefined when a value would not survive
 * the text form (the cache is then written field by field). The last shape seen per cache is
 * remembered, so the common case is seven number comparisons and no allocation.
 */
function slabShapeId(w: FlatWriter, c: SlabCache, entry: GroupEntry): number | undefined {
  const m = entry.memo as SlabShape | undefined;
  // Object.is, not ===: a -0 must not match a remembered 0.
  if (
    m !== undefined &&
    Object.is(m.objSize, c.objSize) &&
    Object.is(m.objPerSlab, c.objPerSlab) &&
    Object.is(m.pagesPerSlab, c.pagesPerSlab) &&
    Object.is(m.limit, c.limit) &&
    Object.is(m.batchCount, c.batchCount) &&
    Object.is(m.sharedFactor, c.sharedFactor) &&
    Object.is(m.sharedAvail, c.sharedAvail)
  ) {
    return m.id;
  }
  const values = [
    c.objSize,
    c.objPerSlab,
    c.pagesPerSlab,
    c.limit,
    c.batchCount,
    c.sharedFactor,
    c.sharedAvail,
  ];
  if (!values.every(plain)) return undefined;
  const id = w.dict.internKey('$', values.map((v) => (v === undefined ? '' : String(v))).join(','));
  const { objSize, objPerSlab, pagesPerSlab, limit, batchCount, sharedFactor, sharedAvail } = c;
  entry.memo = {
    objSize,
    objPerSlab,
    pagesPerSlab,
    limit,
    batchCount,
    sharedFactor,
    sharedAvail,
    id,
  };
  return id;
}

/** The general form: one entry per field, for caches with values the shape cannot carry. */
function slabCacheByField(w: FlatWriter, c: SlabCache): void {
  const n = c.name;
  w.num('so', n, c.objSize);
  w.num('sp', n, c.objPerSlab);
  w.num('sg', n, c.pagesPerSlab);
  w.num('sa', n, c.activeObjs);
  w.num('sn', n, c.numObjs);
  for (const [tag, field] of SLAB_OPTIONAL) {
    const v = c[field];
    if (v !== undefined) w.num(tag, n, v);
  }
}
