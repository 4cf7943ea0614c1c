import fc from 'fast-check';
import {
  ProcfsParseError,
  TUNABLE_NAMES,
  type Parsed,
  type SlabCache,
  type Tunables,
} from '@memfleet/procfs';
import type { SnapshotContent } from '../../libs/db/src/snapshots/codec/snapshot-content';

/** fast-check generators of SnapshotContent, including values the kernel never prints. */
const zoneName = fc.constantFrom('DMA', 'DMA32', 'Normal', 'HighMem', 'Movable', 'Device');
const anyName = fc.string({ minLength: 1, maxLength: 12 });
const count = fc.oneof(fc.nat(5000), fc.integer({ min: -5, max: 5 }), fc.maxSafeInteger());
/** Numbers that need the frame's exact-text side channel: huge, fractional, signed zero. */
const oddNumber = fc.oneof(
  count,
  fc.constantFrom(2 ** 52, -(2 ** 53), 0.5, -0, Number.MAX_SAFE_INTEGER),
  fc.double(),
);

const outcome = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<Parsed<T>> =>
  fc.oneof(
    { weight: 6, arbitrary: value.map((v) => ({ kind: 'ok' as const, value: v })) },
    { weight: 1, arbitrary: anyName.map((reason) => ({ kind: 'unavailable' as const, reason })) },
    {
      weight: 1,
      arbitrary: fc.tuple(anyName, fc.nat(10000), anyName).map(([file, line, reason]) => ({
        kind: 'error' as const,
        error: new ProcfsParseError(file, line, reason),
      })),
    },
  );

const record = (keys: fc.Arbitrary<string>, value: fc.Arbitrary<number>) =>
  fc.dictionary(keys, value, { maxKeys: 12 }).map((r) => {
    const out = Object.create(null) as Record<string, number>;
    for (const [k, v] of Object.entries(r)) out[k] = v;
    return out;
  });

const slabCache: fc.Arbitrary<SlabCache> = fc.record(
  {
    name: anyName,
    activeObjs: count,
    numObjs: count,
    objSize: count,
    objPerSlab: count,
    pagesPerSlab: count,
    limit: count,
    batchCount: count,
    sharedFactor: count,
    activeSlabs: count,
    numSlabs: count,
    sharedAvail: count,
  },
  { requiredKeys: ['name', 'activeObjs', 'numObjs', 'objSize', 'objPerSlab', 'pagesPerSlab'] },
);

const tunables: fc.Arbitrary<Tunables> = fc
  .subarray([...TUNABLE_NAMES])
  .chain((names) =>
    fc
      .tuple(...names.map(() => count))
      .map((vs) => Object.fromEntries(names.map((n, i) => [n, vs[i]]))),
  );

export const snapshotContentArb: fc.Arbitrary<SnapshotContent> = fc.record(
  {
    pageSize: fc.constantFrom(4096, 16384, 65536),
    kernelRelease: anyName,
    meminfo: outcome(
      fc.record({
        fields: record(anyName, oddNumber),
        countFields: fc.array(anyName, { maxLength: 3 }),
      }),
    ),
    slabinfo: outcome(
      fc.record(
        {
          version: fc.constantFrom('2.0' as const, '2.1' as const, '2.1 (statistics)' as const),
          caches: fc.array(slabCache, { maxLength: 8 }),
          anomalies: fc.array(fc.record({ line: fc.nat(), name: anyName, reason: anyName }), {
            maxLength: 2,
          }),
        },
        { requiredKeys: ['version', 'caches'] },
      ),
    ),
    buddyinfo: outcome(
      fc.record({
        zones: fc.array(
          fc.record({
            node: fc.nat(8),
            zone: zoneName,
            freeBlocks: fc.array(count, { maxLength: 11 }),
          }),
          { maxLength: 4 },
        ),
      }),
    ),
    zoneinfo: outcome(
      fc.record(
        {
          zones: fc.array(
            fc.record(
              {
                node: fc.nat(8),
                zone: zoneName,
                freePages: count,
                min: count,
                low: count,
                high: count,
                spanned: count,
                present: count,
                managed: count,
                protection: fc.array(count, { maxLength: 5 }),
                counters: record(anyName, count),
              },
              { requiredKeys: ['node', 'zone', 'counters'] },
            ),
            { maxLength: 3 },
          ),
          nodeStats: fc.array(fc.record({ node: fc.nat(8), counters: record(anyName, count) }), {
            maxLength: 2,
          }),
        },
        { requiredKeys: ['zones'] },
      ),
    ),
    pagetypeinfo: outcome(
      fc.record({
        pageBlockOrder: fc.nat(11),
        pagesPerBlock: fc.nat(4096),
        free: fc.array(
          fc.record({
            node: fc.nat(8),
            zone: zoneName,
            type: fc.constantFrom('Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA'),
            counts: fc.array(fc.record({ value: fc.nat(100000), overflow: fc.boolean() }), {
              maxLength: 11,
            }),
          }),
          { maxLength: 4 },
        ),
        blocks: fc.array(
          fc.record({
            node: fc.nat(8),
            zone: zoneName,
            blocks: record(fc.constantFrom('Unmovable', 'Movable', 'CMA'), count),
          }),
          { maxLength: 3 },
        ),
      }),
    ),
    vmstat: outcome(
      fc
        .array(
          fc.tuple(anyName, fc.oneof(fc.bigInt(0n, 1000n), fc.bigInt(-(2n ** 70n), 2n ** 70n))),
          { maxLength: 12 },
        )
        .map((entries) => ({ counters: new Map(entries) })),
    ),
    tunables: outcome(tunables),
    processes: outcome(
      fc.record({
        count: fc.nat(100000),
        rssSumBytes: count,
        top: fc.array(fc.record({ pid: fc.nat(4194304), rssBytes: count, comm: anyName }), {
          maxLength: 10,
        }),
      }),
    ),
  },
  {
    requiredKeys: [
      'pageSize',
      'meminfo',
      'slabinfo',
      'buddyinfo',
      'zoneinfo',
      'pagetypeinfo',
      'vmstat',
      'tunables',
      'processes',
    ],
  },
);

/** A small evolution of `c`: every slab cache's counts and every meminfo field shifted. */
export function evolve(c: SnapshotContent, shift: number): SnapshotContent {
  const meminfo: SnapshotContent['meminfo'] =
    c.meminfo.kind !== 'ok'
      ? c.meminfo
      : {
          kind: 'ok',
          value: {
            ...c.meminfo.value,
            fields: Object.fromEntries(
              Object.entries(c.meminfo.value.fields).map(([k, v]) => [k, v + shift]),
            ),
          },
        };
  const slabinfo: SnapshotContent['slabinfo'] =
    c.slabinfo.kind !== 'ok'
      ? c.slabinfo
      : {
          kind: 'ok',
          value: {
            ...c.slabinfo.value,
            caches: c.slabinfo.value.caches.map((cache) => ({
              ...cache,
              activeObjs: cache.activeObjs + shift,
              numObjs: cache.numObjs + shift * 2,
            })),
          },
        };
  return { ...c, meminfo, slabinfo };
}
