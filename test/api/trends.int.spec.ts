import { computeAccounting } from '@memfleet/analysis';
import { parseBundle } from '@memfleet/procfs';
import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import {
  bundleOf,
  capturedAt,
  captureFiles,
  eventAt,
  kernelUnusable,
  snapshotNames,
} from './trends-timeline';

let api: RunningApi;
let hostId: string;
const names = snapshotNames();
const first = capturedAt(names[0] as string);
const last = capturedAt(names[names.length - 1] as string);
const range = `from=${first}&to=${last}`;

const http = () => request(api.url);
const get = (path: string) => http().get(`/api/v1/hosts/${hostId}/${path}`);

beforeAll(async () => {
  api = await startApi({ LOG_LEVEL: 'error' });
  hostId = (
    await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('trends'), collection: 'push' })
      .expect(201)
  ).body.id as string;
  for (const n of names)
    await http()
      .post(`/api/v1/hosts/${hostId}/snapshots`)
      .send(bundleOf(captureFiles(n), capturedAt(n)))
      .expect(201);
}, 60_000);
afterAll(() => api.close());

describe('GET /hosts/{id}/slab/drops on the real rsync timeline', () => {
  it('reports exactly one drop_caches drop, ~184 MB freed mostly dentry, ~52 % regrown', async () => {
    const { body } = await get(`slab/drops?${range}`).expect(200);
    expect(body.measure).toBe('SReclaimable');
    expect(body.pointCount).toBe(names.length);
    const dc = body.drops.filter((d: { trigger: string }) => d.trigger === 'drop_caches');
    expect(dc).toHaveLength(1);
    const drop = dc[0];
    expect(drop.freedBytes).toBeGreaterThan(186e6);
    expect(drop.freedBytes).toBeLessThan(192e6);
    expect(drop.freedBytes).toBe(drop.beforeBytes - drop.afterBytes);
    expect(drop.perCacheFreed[0].name).toBe('dentry');
    expect(drop.regrowth.ratio).toBeGreaterThan(0.47);
    expect(drop.regrowth.ratio).toBeLessThan(0.57);
    expect(drop.regrowth).toEqual(
      expect.objectContaining({
        peakBytes: expect.any(Number),
        timeTo50PctSeconds: expect.any(Number),
        rateBytesPerHour: expect.any(Number),
      }),
    );
    expect(drop.topRegrowingCaches.map((c: { name: string }) => c.name)).toContain('dentry');
    expect(drop.survivors.map((c: { name: string }) => c.name)).toContain('ext4_inode_cache');
    const dropAt = eventAt('drop_caches_2').getTime();
    expect(Date.parse(drop.at)).toBeGreaterThan(dropAt);
    expect(Date.parse(drop.at) - dropAt).toBeLessThan(10_000);
  });

  it('sees no drop_caches during the rm -rf cleanup', async () => {
    const { body } = await get(`slab/drops?${range}`).expect(200);
    const cleanup = eventAt('cleanup_start').getTime();
    const during = body.drops.filter(
      (d: { trigger: string; at: string }) =>
        d.trigger === 'drop_caches' && Date.parse(d.at) >= cleanup,
    );
    expect(during).toEqual([]);
  });
});

describe('GET /hosts/{id}/memory/series', () => {
  it('buckets the whole range from the columns with sane numbers', async () => {
    const { body } = await get(`memory/series?${range}&bucket=30s`).expect(200);
    expect(body.bucketSeconds).toBe(30);
    const buckets = body.buckets as {
      start: string;
      snapshots: number;
      memTotalBytes: number;
      usedBytes: number;
      availableBytes: number;
      slabReclaimableBytes: number;
      processRssBytes: number;
      unexplainedBytes: number;
      buffCacheBytes: null;
    }[];
    expect(buckets.reduce((s, b) => s + b.snapshots, 0)).toBe(names.length);
    expect(Date.parse(buckets[0]!.start)).toBe(Date.parse(first));
    expect(Date.parse(buckets[buckets.length - 1]!.start) + 30_000).toBeGreaterThan(
      Date.parse(last),
    );
    for (const b of buckets) {
      expect(b.memTotalBytes).toBe(24683656 * 1024);
      expect(b.usedBytes + b.availableBytes).toBe(b.memTotalBytes);
      expect(b.usedBytes).toBeGreaterThan(0);
      expect(b.processRssBytes).toBeGreaterThan(0);
      expect(b.processRssBytes).toBeLessThan(b.memTotalBytes);
      expect(b.buffCacheBytes).toBeNull();
    }
    // SReclaimable peaks near 852 MB after the files are written (README of the capture).
    const peak = Math.max(...buckets.map((b) => b.slabReclaimableBytes));
    expect(peak).toBeGreaterThan(800e6);
    expect(peak).toBeLessThan(900e6);
    expect(body.unavailable.map((u: { field: string }) => u.field)).toContain('buffCacheBytes');
  });

  it('defaults to the last 24 h', async () => {
    const { body } = await get('memory/series').expect(200);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * 3600 * 1000);
  });
});

describe('GET /hosts/{id}/slab/series', () => {
  it('follows dentry and ext4_inode_cache by default, sized like slabtop', async () => {
    const { body } = await get(`slab/series?${range}&bucket=1s`).expect(200);
    expect(body.at).toHaveLength(names.length);
    const byName = new Map(
      (body.caches as { name: string; bytes: number[] }[]).map((c) => [c.name, c.bytes]),
    );
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['dentry', 'ext4_inode_cache']));
    const dentry = byName.get('dentry') as number[];
    expect(Math.max(...dentry)).toBeGreaterThan(90e6);
    expect(Math.min(...dentry)).toBeLessThan(15e6);
  });

  it('downsamples to about 100 points by default', async () => {
    const { body } = await get(`slab/series?${range}`).expect(200);
    expect(body.bucketSeconds).toBe(5); // 175 s of capture / 100, rounded up to a round bucket
    expect(body.at.length).toBeLessThan(names.length);
    expect(body.at.length).toBeGreaterThanOrEqual(175 / 5 - 1);
    expect(body.caches.every((c: { bytes: unknown[] }) => c.bytes.length === body.at.length)).toBe(
      true,
    );
  });

  it('returns only the caches asked for, downsampled by bucket', async () => {
    const { body } = await get(`slab/series?${range}&bucket=1m&caches=dentry,kmalloc-64`).expect(
      200,
    );
    expect(body.caches.map((c: { name: string }) => c.name)).toEqual(['dentry', 'kmalloc-64']);
    expect(body.at.length).toBeLessThanOrEqual(4);
    expect(body.at.length).toBeGreaterThanOrEqual(3);
  });
});

describe('GET /hosts/{id}/fragmentation', () => {
  it('gives DMA, DMA32 and Normal with the kernel’s own unusable index', async () => {
    const { body } = await get(`fragmentation?${range}&order=4&bucket=1s`).expect(200);
    expect(body.zones.map((z: { zone: string }) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    // Snapshot 00012: buddyinfo read before and after the debugfs files were identical.
    const at = capturedAt('00012');
    for (const zone of ['DMA32', 'Normal']) {
      const z = body.zones.find((x: { zone: string }) => x.zone === zone);
      const point = z.series.find((p: { at: string }) => p.at === at);
      expect(point.unusableIndex).toBe(kernelUnusable('00012', zone)[4]);
      expect(z.verdict).toMatch(/^(ok|fragmented|fragmenting|insufficient_data)$/);
      expect(z.compactStallPerHour).toBe(body.compactStallPerHour);
    }
    const normal = body.zones.find((x: { zone: string }) => x.zone === 'Normal');
    expect(normal.series).toHaveLength(names.length);
    expect(normal.series[0].highestFreeOrder).toBe(10);
  });

  it('computes the index at the order asked for', async () => {
    const { body } = await get(`fragmentation?${range}&order=9&bucket=1s`).expect(200);
    const normal = body.zones.find((x: { zone: string }) => x.zone === 'Normal');
    const point = normal.series.find((p: { at: string }) => p.at === capturedAt('00000'));
    expect(point.unusableIndex).toBe(kernelUnusable('00000', 'Normal')[9]);
  });
});

describe('GET /hosts/{id}/slab/leak', () => {
  it('does not call the rsync timeline a leak', async () => {
    const { body } = await get(`slab/leak?${range}`).expect(200);
    expect(body.verdict).not.toBe('leaking');
    expect(body.reclaimable.pointCount).toBe(names.length);
  });
});

describe('GET /hosts/{id}/accounting', () => {
  it('equals computeAccounting of the same files for the snapshot nearest `at`', async () => {
    const snap = '00020';
    const files = captureFiles(snap);
    const parsed = parseBundle(bundleOf(files, capturedAt(snap)));
    if (parsed.meminfo.kind !== 'ok' || parsed.ps.kind !== 'ok') throw new Error('fixture');
    const expected = JSON.parse(
      JSON.stringify(computeAccounting(parsed.meminfo.value, parsed.ps.value)),
    );
    const nudged = new Date(Date.parse(capturedAt(snap)) + 400).toISOString();
    const { body } = await get(`accounting?at=${nudged}`).expect(200);
    expect(body.collectedAt).toBe(capturedAt(snap));
    expect(body.accounting).toEqual(expected);
    expect(body.accounting.gap.unexplainedBytes).not.toBeNull();
    expect(body.topProcesses).toHaveLength(10);
  });

  it('uses the latest snapshot without `at`', async () => {
    const { body } = await get('accounting').expect(200);
    expect(body.collectedAt).toBe(last);
  });
});
