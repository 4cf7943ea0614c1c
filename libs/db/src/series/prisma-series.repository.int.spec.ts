import type { ParsedSnapshot } from '@memfleet/procfs';
import { timelineSnapshots } from '../../../../test/db/fixtures';
import { closeTestDb, createTestHost, testDb } from '../../../../test/db/test-db';
import {
  KEYFRAME_INTERVAL,
  NOT_DECODED,
  toSnapshotContent,
  type SectionSelection,
  type SnapshotContent,
} from '../snapshots/codec';
import type { SnapshotSummary } from '../snapshots/snapshot.types';
import { PrismaSeriesRepository } from './prisma-series.repository';

const timeline = timelineSnapshots();
const receivedAt = new Date('2026-11-25T12:00:00Z');
const timeOf = (i: number): Date => (timeline[i] as ParsedSnapshot).collectedAt as Date;
const first = timeOf(0);
const last = timeOf(timeline.length - 1);

const SELECT: SectionSelection = {
  sections: ['meminfo', 'slabinfo', 'vmstat'],
  vmstatCounters: ['pgfault', 'drop_slab'],
};

/** What a selective decode of timeline[i] must give. */
function selected(i: number): SnapshotContent {
  const full = toSnapshotContent(timeline[i] as ParsedSnapshot);
  if (full.vmstat.kind !== 'ok') throw new Error('timeline snapshot without vmstat');
  const counters = new Map(
    [...full.vmstat.value.counters].filter(([k]) => SELECT.vmstatCounters?.includes(k)),
  );
  // Left-out sections that were collected are `not decoded`; the others keep their outcome.
  const gone = <T extends { kind: string }>(p: T) =>
    p.kind === 'ok' ? ({ kind: 'unavailable', reason: NOT_DECODED } as const) : p;
  return {
    ...full,
    vmstat: { kind: 'ok', value: { counters } },
    buddyinfo: gone(full.buddyinfo),
    zoneinfo: gone(full.zoneinfo),
    pagetypeinfo: gone(full.pagetypeinfo),
    tunables: gone(full.tunables),
    processes: gone(full.processes),
  };
}

describe('PrismaSeriesRepository (real Postgres)', () => {
  const { prisma, snapshots } = testDb();
  const series = new PrismaSeriesRepository(prisma);
  let hostId: string;
  let summaries: SnapshotSummary[];
  afterAll(closeTestDb);

  beforeAll(async () => {
    hostId = (await createTestHost()).id;
    await snapshots.ingestMany(timeline.map((parsed) => ({ hostId, parsed, receivedAt })));
    summaries = [...(await snapshots.list(hostId, { limit: 100, order: 'asc' })).items];
  });

  it('columnPoints gives every snapshot’s derived columns, oldest first, counters exact', async () => {
    const points = await series.columnPoints(hostId, { from: first, to: last });
    expect(points).toHaveLength(timeline.length);
    points.forEach((p, i) => {
      const s = summaries[i] as SnapshotSummary;
      expect(p.seq).toBe(i);
      expect(p.collectedAt).toEqual(s.collectedAt);
      expect(p).toMatchObject({
        memTotalBytes: s.memTotalBytes,
        memAvailableBytes: s.memAvailableBytes,
        sReclaimableBytes: s.sReclaimableBytes,
        sUnreclaimBytes: s.sUnreclaimBytes,
        slabBytes: s.slabBytes,
        processRssBytes: s.processRssBytes,
      });
      expect(p.dropSlab).toBe(BigInt(s.dropSlab as number));
      expect(p.compactStall).toBe(BigInt(s.compactStall as number));
    });
    // The drop_caches of the capture's README: drop_slab 5 -> 6 between snapshots 17 and 18.
    expect([points[17]?.dropSlab, points[18]?.dropSlab]).toEqual([5n, 6n]);
  });

  it('memoryBuckets averages the columns per date_bin bucket aligned on `from`', async () => {
    const buckets = await series.memoryBuckets(hostId, { from: first, to: last }, 30);
    expect(buckets.reduce((n, b) => n + b.snapshots, 0)).toBe(timeline.length);
    expect(buckets[0]?.start).toEqual(first);
    for (const b of buckets) {
      const inside = summaries.filter(
        (s) =>
          s.collectedAt.getTime() >= b.start.getTime() &&
          s.collectedAt.getTime() < b.start.getTime() + 30_000,
      );
      expect(inside).toHaveLength(b.snapshots);
      const avg = (f: (s: SnapshotSummary) => number) =>
        Math.round(inside.reduce((sum, s) => sum + f(s), 0) / inside.length);
      const n = (v: number | null) => v as number;
      expect(b.availableBytes).toBe(avg((s) => n(s.memAvailableBytes)));
      expect(b.usedBytes).toBe(avg((s) => n(s.memTotalBytes) - n(s.memAvailableBytes)));
      expect(b.slabReclaimableBytes).toBe(avg((s) => n(s.sReclaimableBytes)));
      expect(b.minAvailableBytes).toBe(Math.min(...inside.map((s) => n(s.memAvailableBytes))));
      expect(b.unexplainedBytes).toBe(
        avg(
          (s) =>
            n(s.memTotalBytes) -
            n(s.memAvailableBytes) -
            n(s.processRssBytes) -
            n(s.sUnreclaimBytes),
        ),
      );
    }
  });

  it('sampled(0) decodes every snapshot exactly as stored', async () => {
    const all = await series.sampled(hostId, { from: first, to: last }, 0);
    expect(all.map((d) => d.seq)).toEqual(timeline.map((_, i) => i));
    all.forEach((d, i) => {
      expect(d.content).toEqual(toSnapshotContent(timeline[i] as ParsedSnapshot));
      expect(d.id).toBe(summaries[i]?.id);
    });
  });

  it('sampled decodes a range that starts mid-chain (its keyframe outside the range)', async () => {
    const mid = await series.sampled(hostId, { from: timeOf(40), to: last }, 0);
    expect(mid.map((d) => d.seq)).toEqual(timeline.slice(40).map((_, i) => 40 + i));
    for (const d of mid)
      expect(d.content).toEqual(toSnapshotContent(timeline[d.seq] as ParsedSnapshot));
    const one = await series.sampled(hostId, { from: timeOf(5), to: timeOf(9) }, 3600);
    // No keyframe inside: the earliest is the nearest to its chain's start, the cheapest.
    expect(one.map((d) => d.seq)).toEqual([5]);
    expect(one[0]?.content).toEqual(toSnapshotContent(timeline[5] as ParsedSnapshot));
  });

  it('sampled(bucket) takes one per bucket, preferring the keyframe, and decodes it exactly', async () => {
    const bucket = 60;
    const picked = await series.sampled(hostId, { from: first, to: last }, bucket);
    const bucketOf = (t: Date) => Math.floor((t.getTime() - first.getTime()) / 1000 / bucket);
    const buckets = new Set(summaries.map((s) => bucketOf(s.collectedAt)));
    expect(picked).toHaveLength(buckets.size);
    expect(new Set(picked.map((d) => bucketOf(d.collectedAt))).size).toBe(buckets.size);
    for (const d of picked)
      expect(d.content).toEqual(toSnapshotContent(timeline[d.seq] as ParsedSnapshot));
    // Keyframes are seq 0 and 32: the buckets holding them pick them.
    expect(picked.map((d) => d.seq)).toEqual(expect.arrayContaining([0, KEYFRAME_INTERVAL]));
  });

  it('decodeSeqs decodes scattered snapshots across chains', async () => {
    const seqs = [40, 5, KEYFRAME_INTERVAL - 1, 57];
    const decoded = await series.decodeSeqs(hostId, seqs);
    expect(decoded.map((d) => d.seq)).toEqual([5, KEYFRAME_INTERVAL - 1, 40, 57]);
    for (const d of decoded)
      expect(d.content).toEqual(toSnapshotContent(timeline[d.seq] as ParsedSnapshot));
  });

  it('nearest picks the closest snapshot to `at`, or the latest', async () => {
    const mid = new Date(timeOf(10).getTime() + (timeOf(11).getTime() - timeOf(10).getTime()) / 4);
    expect((await series.nearest(hostId, mid))?.seq).toBe(10);
    const late = new Date(timeOf(11).getTime() - 1);
    expect((await series.nearest(hostId, late))?.seq).toBe(11);
    expect((await series.nearest(hostId, new Date('2000-01-01T00:00:00Z')))?.seq).toBe(0);
    expect((await series.nearest(hostId))?.seq).toBe(timeline.length - 1);
    const empty = await createTestHost();
    expect(await series.nearest(empty.id)).toBeNull();
    expect(await series.nearest('not-a-uuid')).toBeNull();
  });

  it('a section selection decodes exactly those sections, the same again from the cache', async () => {
    const cached = new PrismaSeriesRepository(prisma);
    const range = { from: first, to: last };
    const cold = await cached.sampled(hostId, range, 60, SELECT);
    const warm = await cached.sampled(hostId, range, 60, SELECT);
    expect(cold.length).toBeGreaterThan(1);
    expect(warm).toEqual(cold);
    for (const d of warm) expect(d.content).toEqual(selected(d.seq));
    const seqs = [3, 40, 57];
    const edges = await cached.decodeSeqs(hostId, seqs, SELECT);
    expect(edges.map((d) => [d.seq, d.content])).toEqual(seqs.map((q) => [q, selected(q)]));
    // The full decode is never served from the selective cache.
    const [full] = await cached.decodeSeqs(hostId, [40]);
    expect(full?.content).toEqual(toSnapshotContent(timeline[40] as ParsedSnapshot));
  });

  it('the decode cache never hands one host the snapshot of another at the same seq', async () => {
    const other = (await createTestHost()).id;
    const reversed = [...timeline].reverse().map((parsed, i) => ({
      hostId: other,
      parsed: { ...parsed, collectedAt: timeOf(i) },
      receivedAt,
    }));
    await snapshots.ingestMany(reversed);
    const [mine] = await series.decodeSeqs(hostId, [0], SELECT);
    const [theirs] = await series.decodeSeqs(other, [0], SELECT);
    expect(mine?.content).toEqual(selected(0));
    const last = timeline.length - 1;
    expect(theirs?.content.slabinfo).toEqual(selected(last).slabinfo);
    expect(theirs?.content.slabinfo).not.toEqual(mine?.content.slabinfo);
  });

  it('columnPoints gives null for columns a snapshot lacks, and nothing for an empty range', async () => {
    const bare = (await createTestHost()).id;
    const base = timeline[0] as ParsedSnapshot;
    const gone = { kind: 'unavailable', reason: 'not collected' } as const;
    await snapshots.ingestMany([
      { hostId: bare, parsed: { ...base, meminfo: gone, vmstat: gone }, receivedAt },
    ]);
    const [p, ...rest] = await series.columnPoints(bare, { from: first, to: last });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ seq: 0, collectedAt: first, memTotalBytes: null, dropSlab: null });
    expect(p?.sUnreclaimBytes).toBeNull();
    expect(p?.compactFail).toBeNull();
    const before = new Date(first.getTime() - 60_000);
    expect(await series.columnPoints(hostId, { from: before, to: before })).toEqual([]);
  });
});
