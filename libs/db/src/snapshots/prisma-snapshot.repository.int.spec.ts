import { randomUUID } from 'node:crypto';
import type { ParsedSnapshot } from '@memfleet/procfs';
import { procfsFixtureSnapshots, timelineSnapshots } from '../../../../test/db/fixtures';
import { closeTestDb, createTestHost, testDb } from '../../../../test/db/test-db';
import { HostNotFoundError, InvalidCursorError, SnapshotNotFoundError } from '../errors';
import { KEYFRAME_INTERVAL, toSnapshotContent } from './codec';
import { PrismaSnapshotRepository } from './prisma-snapshot.repository';

const timeline = timelineSnapshots();
const at = (i: number): ParsedSnapshot => timeline[i] as ParsedSnapshot;
const receivedAt = new Date('2026-11-25T12:00:00Z');
const field = (p: ParsedSnapshot, name: string): number | undefined =>
  p.meminfo.kind === 'ok' ? p.meminfo.value.fields[name] : undefined;

describe('PrismaSnapshotRepository (real Postgres)', () => {
  const { prisma, snapshots } = testDb();
  afterAll(closeTestDb);

  it('stores the 58-snapshot timeline and gives each one back exactly, with derived columns', async () => {
    const host = await createTestHost();
    const results = await snapshots.ingestMany(
      timeline.map((parsed) => ({ hostId: host.id, parsed, receivedAt })),
    );
    expect(results.every((r) => r.created)).toBe(true);
    for (const i of [0, 1, 17, 18, KEYFRAME_INTERVAL - 1, KEYFRAME_INTERVAL, 57]) {
      const d = await snapshots.get(host.id, (results[i] as { snapshotId: string }).snapshotId);
      const { summary, ...content } = d;
      expect(content).toEqual(toSnapshotContent(at(i)));
      expect(summary).toMatchObject({
        hostId: host.id,
        collectedAt: at(i).collectedAt,
        memTotalBytes: field(at(i), 'MemTotal'),
        sReclaimableBytes: field(at(i), 'SReclaimable'),
        missingSections: ['zoneinfo', 'pagetypeinfo'],
      });
    }
    const page = await snapshots.list(host.id, { limit: 100, order: 'asc' });
    expect(page.total).toBe(58);
    // The drop_caches of the README happened between snapshots 17 and 18.
    expect(page.items[17]?.dropSlab).toBe(5);
    expect(page.items[18]?.dropSlab).toBe(6);
    expect(page.items[17]?.sReclaimableBytes).toBeGreaterThan(800e6);
    expect(page.items[18]?.fragMaxFreeOrder).toBe(10);
  });

  it('decodes a time range in one pass, oldest first, exactly', async () => {
    const host = await createTestHost();
    // Stored out of time order: chains follow ingest order, the range follows collectedAt.
    const order = [...timeline.keys()].reverse();
    await snapshots.ingestMany(order.map((i) => ({ hostId: host.id, parsed: at(i), receivedAt })));
    const range = await snapshots.getRange(host.id, {
      from: at(10).collectedAt,
      to: at(40).collectedAt,
      limit: 100,
    });
    expect(range.map((d) => d.summary.collectedAt)).toEqual(
      timeline.slice(10, 41).map((p) => p.collectedAt),
    );
    range.forEach(({ summary: _s, ...content }, k) =>
      expect(content).toEqual(toSnapshotContent(at(10 + k))),
    );
    expect(
      await snapshots.getRange(host.id, {
        from: new Date('2000-01-01'),
        to: new Date('2000-01-02'),
        limit: 5,
      }),
    ).toEqual([]);
  });

  it('is idempotent on (host, collectedAt): a retry returns the stored id and stores nothing', async () => {
    const host = await createTestHost();
    const first = await snapshots.ingest(host.id, at(3), { receivedAt });
    const again = await snapshots.ingest(host.id, at(3), { receivedAt: new Date() });
    const twice = await snapshots.ingestMany([
      { hostId: host.id, parsed: at(4), receivedAt },
      { hostId: host.id, parsed: at(4), receivedAt },
    ]);
    expect(again).toEqual({ ...first, created: false });
    expect(twice.map((r) => r.created)).toEqual([true, false]);
    expect(twice[0]?.snapshotId).toBe(twice[1]?.snapshotId);
    expect((await snapshots.list(host.id, { limit: 10 })).total).toBe(2);
  });

  it('uses receivedAt as collectedAt when the bundle carried no time, and NULL columns for missing sections', async () => {
    const host = await createTestHost();
    const parsed = procfsFixtureSnapshots()[0]?.parsed as ParsedSnapshot;
    const r = await snapshots.ingest(
      host.id,
      { ...parsed, collectedAt: undefined },
      { receivedAt },
    );
    expect(r.collectedAt).toEqual(receivedAt);
    // Columns of sections the bundle lacked are NULL, never 0.
    const [summary] = (await snapshots.list(host.id, { limit: 1 })).items;
    expect(summary).toMatchObject({
      memTotalBytes: field(parsed, 'MemTotal'),
      slabBytes: null,
      dropSlab: null,
    });
    expect(summary?.missingSections).toContain('slabinfo');
  });

  it("keeps every host's chain decodable when batches interleave hosts and two writers share a host", async () => {
    const [a, b] = await Promise.all([createTestHost(), createTestHost()]);
    const other = new PrismaSnapshotRepository(prisma);
    const ids: { host: string; id: string; i: number }[] = [];
    for (let i = 0; i < 12; i += 3) {
      const writer = i % 2 === 0 ? snapshots : other;
      const batch = [i, i + 1, i + 2].flatMap((k) => [
        { hostId: a.id, parsed: at(k), receivedAt },
        { hostId: b.id, parsed: at(57 - k), receivedAt },
      ]);
      const results = await writer.ingestMany(batch);
      results.forEach((r, n) =>
        ids.push({
          host: n % 2 ? b.id : a.id,
          id: r.snapshotId,
          i: n % 2 ? 57 - (i + (n >> 1)) : i + (n >> 1),
        }),
      );
    }
    for (const { host, id, i } of ids) {
      const { summary: _summary, ...content } = await other.get(host, id);
      expect(content).toEqual(toSnapshotContent(at(i)));
    }
  });

  it('serialises concurrent writers of one host so that every snapshot still decodes', async () => {
    const host = await createTestHost();
    const writers = [
      snapshots,
      new PrismaSnapshotRepository(prisma),
      new PrismaSnapshotRepository(prisma),
    ];
    const results = await Promise.all(
      writers.map((w, k) =>
        w.ingestMany(
          [0, 1, 2, 3].map((j) => ({ hostId: host.id, parsed: at(k * 4 + j), receivedAt })),
        ),
      ),
    );
    const seqs = await prisma.$queryRaw<{ seq: number }[]>`
      SELECT seq FROM snapshot WHERE host_id = ${host.id}::uuid ORDER BY seq`;
    expect(seqs.map((r) => r.seq)).toEqual([...Array(12).keys()]);
    for (const [k, batch] of results.entries()) {
      for (const [j, r] of batch.entries()) {
        const { summary: _s, ...content } = await writers[(k + 1) % 3]!.get(host.id, r.snapshotId);
        expect(content).toEqual(toSnapshotContent(at(k * 4 + j)));
      }
    }
  });

  it('stores nothing of a batch that names an unknown host', async () => {
    const host = await createTestHost();
    await expect(
      snapshots.ingestMany([
        { hostId: host.id, parsed: at(0), receivedAt },
        { hostId: randomUUID(), parsed: at(1), receivedAt },
      ]),
    ).rejects.toThrow(HostNotFoundError);
    await expect(snapshots.ingest('nope', at(0), { receivedAt })).rejects.toThrow(
      HostNotFoundError,
    );
    expect((await snapshots.list(host.id, { limit: 1 })).total).toBe(0);
  });

  it('lists a time range newest first, page by page, with the range total', async () => {
    const host = await createTestHost();
    await snapshots.ingestMany(
      timeline.slice(0, 10).map((parsed) => ({ hostId: host.id, parsed, receivedAt })),
    );
    const from = at(2).collectedAt as Date;
    const to = at(7).collectedAt as Date;
    const p1 = await snapshots.list(host.id, { from, to, limit: 4 });
    expect(p1.total).toBe(6);
    expect(p1.items.map((s) => s.collectedAt)).toEqual([7, 6, 5, 4].map((i) => at(i).collectedAt));
    const p2 = await snapshots.list(host.id, {
      from,
      to,
      limit: 4,
      cursor: p1.nextCursor ?? undefined,
    });
    expect(p2.items.map((s) => s.collectedAt)).toEqual([3, 2].map((i) => at(i).collectedAt));
    expect(p2.nextCursor).toBeNull();
    await expect(snapshots.list(host.id, { limit: 1, cursor: 'x' })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('refuses snapshots of another host, unknown ids and malformed ids', async () => {
    const [a, b] = await Promise.all([createTestHost(), createTestHost()]);
    const r = await snapshots.ingest(a.id, at(0), { receivedAt });
    await expect(snapshots.get(b.id, r.snapshotId)).rejects.toThrow(SnapshotNotFoundError);
    await expect(snapshots.get(a.id, '999999999999')).rejects.toThrow(SnapshotNotFoundError);
    await expect(snapshots.get(a.id, 'abc')).rejects.toThrow(SnapshotNotFoundError);
  });

  it('prunes whole delta chains only, so every kept snapshot still decodes', async () => {
    const host = await createTestHost();
    const results = await snapshots.ingestMany(
      timeline.map((parsed) => ({ hostId: host.id, parsed, receivedAt })),
    );
    const cutoff = at(40).collectedAt as Date;
    const deleted = await snapshots.pruneBefore(cutoff, host.id);
    // Snapshot 40 belongs to the chain that starts at keyframe 32: 0..31 go, 32..57 stay.
    expect(deleted).toBe(KEYFRAME_INTERVAL);
    const left = await snapshots.list(host.id, { limit: 100, order: 'asc' });
    expect(left.items[0]?.collectedAt).toEqual(at(KEYFRAME_INTERVAL).collectedAt);
    const { summary: _s, ...content } = await snapshots.get(
      host.id,
      (results[40] as { snapshotId: string }).snapshotId,
    );
    expect(content).toEqual(toSnapshotContent(at(40)));
    // New snapshots after pruning still chain onto what is left.
    const next = await snapshots.ingest(
      host.id,
      { ...at(0), collectedAt: new Date('2027-01-01T00:00:00Z') },
      { receivedAt },
    );
    const { summary: _n, ...again } = await snapshots.get(host.id, next.snapshotId);
    expect(again).toEqual(toSnapshotContent(at(0)));
    expect(await snapshots.pruneBefore(new Date('2030-01-01T00:00:00Z'), host.id)).toBe(
      58 - KEYFRAME_INTERVAL + 1,
    );
  });

  it('prunes across all hosts when no host is given', async () => {
    const host = await createTestHost();
    const old = (i: number): ParsedSnapshot => ({
      ...at(i),
      collectedAt: new Date(Date.UTC(1999, 0, 1, 0, i)),
    });
    await snapshots.ingestMany(
      [0, 1, 2].map((i) => ({ hostId: host.id, parsed: old(i), receivedAt })),
    );
    // Nothing else in the shared test database is that old.
    expect(await snapshots.pruneBefore(new Date(Date.UTC(2000, 0, 1)))).toBe(3);
    expect((await snapshots.list(host.id, { limit: 1 })).total).toBe(0);
  });

  it("deletes a host's snapshots and dictionary with the host", async () => {
    const host = await createTestHost();
    await snapshots.ingest(host.id, at(0), { receivedAt });
    await testDb().hosts.delete(host.id);
    const left = await prisma.$queryRaw<{ n: number }[]>`
      SELECT (SELECT count(*) FROM snapshot WHERE host_id = ${host.id}::uuid)::int
           + (SELECT count(*) FROM snapshot_dictionary WHERE host_id = ${host.id}::uuid)::int AS n`;
    expect(left[0]?.n).toBe(0);
  });
});
