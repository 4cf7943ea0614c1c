import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import { addMeminfo, bundleOf, captureFiles, growCache } from './trends-timeline';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ LOG_LEVEL: 'error' });
});
afterAll(() => api.close());

const http = () => request(api.url);
const newHost = async (): Promise<string> =>
  (
    await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('leak'), collection: 'push' })
      .expect(201)
  ).body.id as string;

/**
 * A real capture (the timeline's baseline) turned into a steady kmalloc-64 leak: every 5 minutes
 * the cache gains `slabsPerStep` one-page slabs, and SUnreclaim/Slab rise (MemFree/MemAvailable
 * fall) by exactly that much, as the kernel would account it.
 */
async function pushLeak(hostId: string, steps: number, slabsPerStep: number, start: number) {
  const base = captureFiles('00000');
  for (let i = 0; i < steps; i++) {
    const kib = i * slabsPerStep * 4;
    const files = {
      ...base,
      slabinfo: growCache(base.slabinfo, 'kmalloc-64', i * slabsPerStep),
      meminfo: addMeminfo(base.meminfo, {
        SUnreclaim: kib,
        Slab: kib,
        MemFree: -kib,
        MemAvailable: -kib,
      }),
    };
    const at = new Date(start + i * 300_000).toISOString();
    await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundleOf(files, at)).expect(201);
  }
}

describe('GET /hosts/{id}/slab/leak', () => {
  it('calls a steady kmalloc-64 growth over many snapshots leaking, and names the cache', async () => {
    const hostId = await newHost();
    // 24 snapshots, 2 h, 20 MiB per 5 min: 240 MiB/h, far above 0.5 % of 24 GiB per day.
    await pushLeak(hostId, 24, 5120, Date.now() - 3 * 3600_000);
    const { body } = await http().get(`/api/v1/hosts/${hostId}/slab/leak`).expect(200);
    expect(body.verdict).toBe('leaking');
    expect(body.slopeBytesPerHour).toBeCloseTo(240 * 1024 * 1024, -5);
    expect(body.monotonicity).toBeGreaterThan(0.99);
    expect(body.growthBytes).toBe(23 * 5120 * 4096);
    expect(body.projectedExhaustionAt).not.toBeNull();
    expect(body.topGrowingCaches[0].name).toBe('kmalloc-64');
    expect(body.reclaimable.slopeBytesPerHour).toBe(0);
    expect(body.pointCount).toBe(24);
  });

  it('says insufficient_data for a host with too few snapshots', async () => {
    const hostId = await newHost();
    await pushLeak(hostId, 2, 5120, Date.now() - 3600_000);
    const { body } = await http().get(`/api/v1/hosts/${hostId}/slab/leak`).expect(200);
    expect(body.verdict).toBe('insufficient_data');
  });
});

describe('trend endpoints: errors', () => {
  const endpoints = [
    'accounting',
    'memory/series',
    'slab/series',
    'slab/drops',
    'slab/leak',
    'fragmentation',
  ];

  it.each(endpoints)('%s: 404 problem+json for an unknown or malformed host id', async (path) => {
    for (const id of ['3f1b0c8e-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await http().get(`/api/v1/hosts/${id}/${path}`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('urn:memfleet:problem:host-not-found');
    }
  });

  it('404 on accounting for a host without snapshots', async () => {
    const hostId = await newHost();
    const res = await http().get(`/api/v1/hosts/${hostId}/accounting`).expect(404);
    expect(res.body.type).toBe('urn:memfleet:problem:snapshot-not-found');
  });

  it.each([
    ['memory/series?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'],
    ['slab/drops?from=2099-01-01T00:00:00Z', 'from'],
    ['memory/series?bucket=5x', 'bucket'],
    ['memory/series?bucket=0', 'bucket'],
    ['slab/series?from=2026-10-01T00:00:00Z&to=2026-10-31T00:00:00Z&bucket=1m', 'bucket'],
    ['fragmentation?order=11', 'order'],
    ['slab/series?caches=dentry,bad%20name', 'caches.1'],
    ['slab/leak?from=yesterday', 'from'],
    ['slab/leak?window=1h', 'window'],
    ['accounting?at=noon', 'at'],
    ['memory/series?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
  ])('400 for %s, naming %s', async (query, field) => {
    const hostId = await newHost();
    const res = await http().get(`/api/v1/hosts/${hostId}/${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('documents every trend endpoint in OpenAPI with its response schema', async () => {
    const { body } = await http().get('/api/openapi.json').expect(200);
    const schemas: Record<string, string> = {
      accounting: 'HostAccounting',
      'memory/series': 'MemorySeries',
      'slab/series': 'SlabSeries',
      'slab/drops': 'SlabDrops',
      'slab/leak': 'SlabLeak',
      fragmentation: 'Fragmentation',
    };
    for (const [path, schema] of Object.entries(schemas)) {
      const op = body.paths[`/api/v1/hosts/{id}/${path}`].get;
      expect(op.responses['200'].content['application/json'].schema.$ref).toBe(
        `#/components/schemas/${schema}`,
      );
      expect(op.responses['404']).toBeDefined();
      expect(body.components.schemas[schema]).toBeDefined();
    }
  });
});
