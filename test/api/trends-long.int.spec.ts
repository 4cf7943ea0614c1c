import type { PrismaSnapshotRepository } from '@memfleet/db';
import { parseBundle } from '@memfleet/procfs';
import request from 'supertest';
import { SNAPSHOT_REPOSITORY } from '../../apps/api/src/platform/tokens';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import { bundleOf, capturedAt, captureFiles, snapshotNames } from './trends-timeline';

/**
 * Past 400 snapshots the slab endpoints stop decoding everything: columns for every snapshot,
 * payloads for a sample and both sides of each drop. The drop must come out the same.
 */
let api: RunningApi;
const names = snapshotNames();
const PAD = 420;

beforeAll(async () => {
  api = await startApi({ LOG_LEVEL: 'error' });
});
afterAll(() => api.close());

async function hostWithTimeline(pad: number): Promise<string> {
  const id = (
    await request(api.url)
      .post('/api/v1/hosts')
      .send({ name: uniqueName('long'), collection: 'push' })
      .expect(201)
  ).body.id as string;
  const repo = api.app.get<PrismaSnapshotRepository>(SNAPSHOT_REPOSITORY);
  const t0 = Date.parse(capturedAt(names[0] as string));
  // Before the capture: its baseline, unchanged, every 3 s (a quiet host).
  const quiet = captureFiles(names[0] as string);
  const bundles = [
    ...Array.from({ length: pad }, (_, i) =>
      bundleOf(quiet, new Date(t0 - (pad - i) * 3000).toISOString()),
    ),
    ...names.map((n) => bundleOf(captureFiles(n), capturedAt(n))),
  ];
  await repo.ingestMany(
    bundles.map((b) => ({ hostId: id, parsed: parseBundle(b), receivedAt: new Date() })),
  );
  return id;
}

const drops = async (hostId: string, from: string) =>
  (
    await request(api.url)
      .get(`/api/v1/hosts/${hostId}/slab/drops?from=${from}&to=${capturedAt(names[57] as string)}`)
      .expect(200)
  ).body;

it('finds the same drop_caches drop with exact per-cache figures when only a sample is decoded', async () => {
  const [short, long] = await Promise.all([hostWithTimeline(0), hostWithTimeline(PAD)]);
  const from = new Date(Date.parse(capturedAt(names[0] as string)) - PAD * 3000).toISOString();
  const exact = await drops(short, from);
  const sampled = await drops(long, from);
  expect(exact.decodedCount).toBe(names.length);
  expect(sampled.pointCount).toBe(PAD + names.length);
  expect(sampled.decodedCount).toBeLessThan(100);
  const dc = (b: { drops: { trigger: string }[] }) =>
    b.drops.filter((d) => d.trigger === 'drop_caches');
  expect(dc(sampled)).toHaveLength(1);
  const [e, s] = [dc(exact)[0], dc(sampled)[0]] as Record<string, unknown>[];
  for (const k of ['at', 'beforeAt', 'beforeBytes', 'afterBytes', 'freedBytes', 'perCacheFreed'])
    expect(s?.[k]).toEqual(e?.[k]);
  const ratio = (d: Record<string, unknown> | undefined) =>
    (d?.regrowth as { ratio: number }).ratio;
  expect(ratio(s)).toBe(ratio(e));
});

it('keeps the leak verdict and SUnreclaim figures of the decode-everything path', async () => {
  const long = await hostWithTimeline(PAD);
  const { body } = await request(api.url)
    .get(`/api/v1/hosts/${long}/slab/leak?from=2026-01-01T00:00:00Z`)
    .expect(200);
  expect(body.pointCount).toBe(PAD + names.length);
  expect(body.decodedCount).toBeLessThan(100);
  expect(body.verdict).not.toBe('leaking');
  expect(body.reclaimable.pointCount).toBe(PAD + names.length);
});
