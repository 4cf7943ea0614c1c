import type { ParsedSnapshot } from '@memfleet/procfs';
import { closeTestDb, createTestHost, testDb } from '../../../../test/db/test-db';
import {
  FRAGMENTED_BUDDYINFO,
  parsedBundle,
  type BundleOptions,
} from '../../../../test/findings/findings-fixtures';
import { FindingsUpdater } from './findings-updater';
import { hostLatestOf } from './host-latest';

const db = testDb();
afterAll(closeTestDb);

const T0 = Date.parse('2026-11-21T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Risky tunable, then fragmented, then clean: findings open, refresh, miss and close. */
const STEPS: Omit<BundleOptions, 'at'>[] = [
  { vfsCachePressure: 0 },
  { vfsCachePressure: 0, buddyinfo: FRAGMENTED_BUDDYINFO },
  { buddyinfo: FRAGMENTED_BUDDYINFO },
  {},
  { swappiness: 100 },
  {},
  {},
];

async function storedSteps(hostId: string): Promise<{ parsed: ParsedSnapshot; at: Date }[]> {
  const out = [];
  for (const [i, s] of STEPS.entries()) {
    const parsed = parsedBundle({ ...s, at: at(i * 5) });
    await db.snapshots.ingest(hostId, parsed, { receivedAt: at(i * 5) });
    out.push({ parsed, at: at(i * 5) });
  }
  return out;
}

/** Everything an evaluation writes for a host, without ids and times of the write itself. */
async function written(hostId: string) {
  const p = db.prisma;
  const [findings, latest, zones, window] = await Promise.all([
    p.finding.findMany({ where: { hostId }, orderBy: [{ kind: 'asc' }, { subject: 'asc' }] }),
    p.hostLatest.findUnique({ where: { hostId } }),
    p.hostZoneLatest.findMany({ where: { hostId }, orderBy: [{ node: 'asc' }, { zone: 'asc' }] }),
    p.findingWindowPoint.findMany({ where: { hostId }, orderBy: { collectedAt: 'asc' } }),
  ]);
  return {
    findings: findings.map((f) => ({
      ...f,
      id: undefined,
      hostId: undefined,
      updatedAt: undefined,
      fingerprint: f.fingerprint?.replace(hostId, 'HOST') ?? null,
    })),
    latest: { ...latest, hostId: undefined },
    zones: zones.map((z) => ({ ...z, hostId: undefined })),
    window: window.map((w) => ({ ...w, hostId: undefined })),
  };
}

describe('FindingsUpdater batches concurrent evaluations', () => {
  it('writes exactly what one-at-a-time evaluations write, for many hosts at once', async () => {
    const updater = new FindingsUpdater(db.prisma, db.snapshots);
    const alone = await createTestHost();
    const together = await Promise.all([1, 2, 3, 4].map(() => createTestHost()));
    const aloneSteps = await storedSteps(alone.id);
    const steps = await Promise.all(together.map((h) => storedSteps(h.id)));

    const sequential = [];
    for (const s of aloneSteps)
      sequential.push(await updater.afterIngest(alone.id, s.parsed, s.at));
    const concurrent = [];
    for (const [i] of STEPS.entries()) {
      concurrent.push(
        await Promise.all(
          together.map((h, k) => {
            const s = steps[k]![i]!;
            return updater.afterIngest(h.id, s.parsed, s.at);
          }),
        ),
      );
    }

    const expected = await written(alone.id);
    expect(expected.findings.map((f) => [f.kind, f.endedAt !== null])).toContainEqual([
      'tunable_risk',
      true,
    ]);
    expect(expected.findings.some((f) => f.kind === 'fragmentation')).toBe(true);
    // The newest snapshot's zones only: DMA32 of the fragmented steps is gone.
    const last = hostLatestOf(aloneSteps.at(-1)!.parsed, aloneSteps.at(-1)!.at);
    expect(expected.zones.map((z) => [z.node, z.zone, Number(z.freeBytes)])).toEqual(
      last.zones!.map((z) => [z.node, z.zone, z.freeBytes]),
    );
    expect(expected.latest).toMatchObject({
      collectedAt: last.collectedAt,
      tunables: last.tunables,
    });
    expect(expected.window.map((w) => w.collectedAt)).toEqual(aloneSteps.map((s) => s.at));
    for (const h of together) expect(await written(h.id)).toEqual(expected);
    for (const k of together.keys()) expect(concurrent.map((r) => r[k])).toEqual(sequential);
  });

  it('evaluates two snapshots of one host arriving together in order', async () => {
    const updater = new FindingsUpdater(db.prisma, db.snapshots);
    const alone = await createTestHost();
    const host = await createTestHost();
    const aloneSteps = await storedSteps(alone.id);
    const steps = await storedSteps(host.id);
    for (const s of aloneSteps) await updater.afterIngest(alone.id, s.parsed, s.at);
    const results = await Promise.all(
      steps.map((s) => updater.afterIngest(host.id, s.parsed, s.at)),
    );
    expect(results.every((r) => r !== null)).toBe(true);
    expect(await written(host.id)).toEqual(await written(alone.id));
  });

  it('still updates the other hosts of a batch when one host was deleted', async () => {
    const updater = new FindingsUpdater(db.prisma, db.snapshots);
    const [a, gone, b] = await Promise.all([1, 2, 3].map(() => createTestHost()));
    const first = parsedBundle({ at: at(0), vfsCachePressure: 0 });
    for (const h of [a!, gone!, b!]) {
      await db.snapshots.ingest(h.id, first, { receivedAt: at(0) });
      await updater.afterIngest(h.id, first, at(0));
    }
    const next = parsedBundle({ at: at(5), vfsCachePressure: 0 });
    for (const h of [a!, b!]) await db.snapshots.ingest(h.id, next, { receivedAt: at(5) });
    await db.prisma.host.delete({ where: { id: gone!.id } });

    const results = await Promise.allSettled(
      [a!, gone!, b!].map((h) => updater.afterIngest(h.id, next, at(5))),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    for (const h of [a!, b!]) {
      const latest = await db.prisma.hostLatest.findUnique({ where: { hostId: h.id } });
      expect(latest?.collectedAt).toEqual(at(5));
    }
  });
});
