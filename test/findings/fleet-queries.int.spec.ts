import { FindingsUpdater, PrismaFindingRepository, PrismaFleetRepository } from '@memfleet/db';
import { randomUUID } from 'node:crypto';
import { closeTestDb, createTestHost, testDb } from '../db/test-db';
import { FRAGMENTED_BUDDYINFO, parsedBundle, type BundleOptions } from './findings-fixtures';

const db = testDb();
const updater = new FindingsUpdater(db.prisma, db.snapshots);
const findings = new PrismaFindingRepository(db.prisma);
const fleet = new PrismaFleetRepository(db.prisma);
afterAll(closeTestDb);

const T0 = Date.parse('2026-11-20T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Stores one snapshot through the real storage code, then runs the post-ingest hook. */
async function push(hostId: string, o: BundleOptions) {
  const parsed = parsedBundle(o);
  const { collectedAt } = await db.snapshots.ingest(hostId, parsed, { receivedAt: o.at });
  return updater.afterIngest(hostId, parsed, collectedAt);
}

describe('findings kept at ingest (real Postgres)', () => {
  const run = { run: randomUUID() };

  it('opens fragmentation on a fragmented host and ranks it above a healthy one', async () => {
    const bad = await createTestHost({ labels: run });
    const good = await createTestHost({ labels: run });
    for (let i = 0; i < 4; i++) {
      await push(bad.id, { at: at(i * 5), buddyinfo: FRAGMENTED_BUDDYINFO });
      await push(good.id, { at: at(i * 5) });
    }
    const open = await findings.listForHost(bad.id, { from: at(0), to: at(60) });
    expect(
      open
        .filter((f) => f.kind === 'fragmentation')
        .map((f) => f.subject)
        .sort(),
    ).toEqual(['node0/DMA32', 'node0/Normal']);
    expect(await findings.listForHost(good.id, { from: at(0), to: at(60) })).toEqual([]);

    const ranked = await fleet.fragmentation({ order: 4, labels: run, limit: 10 });
    expect(ranked.map((r) => r.hostId)).toEqual([bad.id, good.id]);
    expect(ranked[0]).toMatchObject({ subject: 'node0/Normal', fragmentedSince: at(0) });
    expect(ranked[0]?.unusableIndex).toBeGreaterThan(0.99);
    expect(ranked[1]?.fragmentedSince).toBeNull();

    const hosts = await fleet.findings({ labels: run, limit: 10 });
    expect(hosts.map((h) => [h.hostId, h.worstSeverity])).toEqual([[bad.id, 'critical']]);
  });

  it('closes a tunable_risk finding three clean snapshots after the value was fixed', async () => {
    const host = await createTestHost({ labels: run });
    await push(host.id, { at: at(0), vfsCachePressure: 0 });
    await push(host.id, { at: at(5), vfsCachePressure: 0 });
    const risky = await findings.listForHost(host.id, {
      from: at(0),
      to: at(5),
      kinds: ['tunable_risk'],
    });
    expect(risky.map((f) => [f.subject, f.severity, f.endedAt])).toEqual([
      ['vm.vfs_cache_pressure', 'critical', null],
    ]);
    for (const m of [10, 15]) await push(host.id, { at: at(m) });
    const stillOpen = await findings.listForHost(host.id, { from: at(0), to: at(15) });
    expect(stillOpen[0]?.endedAt).toBeNull();
    await push(host.id, { at: at(20) });
    const [closed] = await findings.listForHost(host.id, { from: at(0), to: at(20) });
    expect(closed?.endedAt).toEqual(at(10));
    expect(await findings.listForHost(host.id, { from: at(11), to: at(30) })).toEqual([]);
  });

  it('shows each tunable distribution and the host off the majority', async () => {
    const labels = { run: randomUUID() };
    const hosts = await Promise.all([1, 2, 3].map(() => createTestHost({ labels })));
    for (const [i, h] of hosts.entries())
      await push(h.id, { at: at(0), vfsCachePressure: i === 2 ? 0 : 100 });
    const tunables = await fleet.tunables(labels);
    const vfs = tunables.find((t) => t.name === 'vfs_cache_pressure');
    expect(vfs).toMatchObject({
      majority: 100,
      hostsReporting: 3,
      distribution: [
        { value: 100, hosts: 2 },
        { value: 0, hosts: 1 },
      ],
    });
    expect(vfs?.drift.map((d) => [d.hostId, d.value])).toEqual([[hosts[2]?.id, 0]]);
    expect(tunables.find((t) => t.name === 'swappiness')?.drift).toEqual([]);
  });

  it('ignores a backfilled snapshot older than the newest evaluated one', async () => {
    const host = await createTestHost({ labels: run });
    await push(host.id, { at: at(10) });
    expect(await push(host.id, { at: at(5), vfsCachePressure: 0 })).toBeNull();
    expect(await findings.listForHost(host.id, { from: at(0), to: at(20) })).toEqual([]);
  });

  it('keeps the stored window bounded to the newest windowPoints snapshots', async () => {
    const small = new FindingsUpdater(db.prisma, db.snapshots, { windowPoints: 3 });
    const host = await createTestHost({ labels: run });
    for (let i = 0; i < 6; i++) {
      const parsed = parsedBundle({ at: at(i) });
      await db.snapshots.ingest(host.id, parsed, { receivedAt: at(i) });
      await small.afterIngest(host.id, parsed, at(i));
    }
    const rows = await db.prisma.findingWindowPoint.findMany({
      where: { hostId: host.id },
      orderBy: { collectedAt: 'asc' },
    });
    expect(rows.map((r) => r.collectedAt)).toEqual([at(3), at(4), at(5)]);
  });

  it('opens collection_failing at the third failure and the summary counts it', async () => {
    const host = await createTestHost({ labels: run });
    for (let n = 1; n <= 3; n++) {
      const rec = await db.hosts.recordCollection(host.id, {
        at: at(n),
        state: 'unreachable',
        error: 'connect ECONNREFUSED',
      });
      await updater.afterCollectionFailure(rec, at(n));
    }
    const [f] = await findings.listForHost(host.id, { from: at(0), to: at(10) });
    expect(f).toMatchObject({ kind: 'collection_failing', startedAt: at(3), severity: 'warning' });
    const summary = await fleet.summary(1000);
    expect(summary.hostsByState.unreachable).toBeGreaterThanOrEqual(1);
    expect(
      summary.findingsByKind.find((k) => k.kind === 'collection_failing')?.open,
    ).toBeGreaterThanOrEqual(1);
    const top = summary.topHostsByKind.find((k) => k.kind === 'collection_failing');
    expect(top?.hosts.map((h) => h.hostId)).toContain(host.id);
  });
});
