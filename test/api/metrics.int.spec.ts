import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';

const CAPTURE = join(__dirname, '..', 'fixtures', 'timelines', 'rsync-drop-regrowth', 'snapshots');
const TOKEN = 'metrics-token-0123456789abcdef';

function firstSnapshotBundle() {
  const [snapshot] = readdirSync(CAPTURE).sort();
  const read = (file: string) => readFileSync(join(CAPTURE, snapshot ?? '', file), 'utf8');
  return {
    collectedAt: '2026-11-25T08:00:00Z',
    files: {
      '/proc/meminfo': read('meminfo'),
      '/proc/slabinfo': read('slabinfo'),
      '/proc/buddyinfo': read('buddyinfo'),
      '/proc/vmstat': read('vmstat'),
    },
    ps: read('ps'),
    pageSize: 4096,
    kernelRelease: '6.18.0',
  };
}

/** The value of the first sample whose name and labels start with `prefix`. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics without a token', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());
  const http = () => request(api.url);

  it('serves process and fleet metrics in the Prometheus text format', async () => {
    const name = uniqueName('metrics');
    const host = await http().post('/api/v1/hosts').send({ name, collection: 'push' }).expect(201);
    await http()
      .post(`/api/v1/hosts/${host.body.id as string}/snapshots`)
      .send(firstSnapshotBundle())
      .expect(201);

    const res = await http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'memfleet_snapshots_stored_total')).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'memfleet_queue_depth{queue="collect",state="waiting"}'),
    ).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^memfleet_hosts\{state="[a-z_]+"\} [1-9]/m);
    expect(text).toMatch(/^# TYPE memfleet_findings_active gauge$/m);
    expect(sample(text, `memfleet_host_slab_bytes{host="${name}"}`)).toBeGreaterThan(1024 * 1024);
    const zone = new RegExp(
      `^memfleet_host_unusable_index\\{host="${name}",node="0",zone="\\w+",order="4"\\} ([0-9.e-]+)$`,
      'm',
    );
    const index = Number(zone.exec(text)?.[1]);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(index).toBeLessThanOrEqual(1);
  });

  it('drops a deleted host from the per-host gauges', async () => {
    const name = uniqueName('metrics-gone');
    const host = await http().post('/api/v1/hosts').send({ name, collection: 'push' }).expect(201);
    const id = host.body.id as string;
    await http().post(`/api/v1/hosts/${id}/snapshots`).send(firstSnapshotBundle()).expect(201);
    expect((await http().get('/metrics').expect(200)).text).toContain(`host="${name}"`);
    await http().delete(`/api/v1/hosts/${id}`).expect(204);
    expect((await http().get('/metrics').expect(200)).text).not.toContain(`host="${name}"`);
  });

  it('is not part of the versioned API', async () => {
    await http().get('/api/v1/metrics').expect(404);
  });
});

describe('/metrics with MEMFLEET_METRICS_TOKEN', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ MEMFLEET_METRICS_TOKEN: TOKEN });
  });
  afterAll(() => api.close());
  const http = () => request(api.url);

  it('answers 401 problem+json without the bearer token or with a wrong one', async () => {
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
      const req = http().get('/metrics');
      if (authorization !== undefined) req.set('authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, instance: '/metrics' });
      expect(res.text).not.toContain('memfleet_');
    }
  });

  it('serves the metrics with the right bearer token', async () => {
    const res = await http().get('/metrics').set('authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.text).toContain('memfleet_hosts');
  });
});

describe('security headers', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());
  const http = () => request(api.url);

  it('sends helmet headers on API, health and error responses', async () => {
    for (const [path, status] of [
      ['/health/live', 200],
      ['/api/v1/hosts', 200],
      ['/api/v1/nope', 404],
    ] as const) {
      const res = await http().get(path).expect(status);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers).not.toHaveProperty('x-powered-by');
    }
  });

  it('keeps Swagger UI loadable under the CSP: no inline scripts, its assets are served', async () => {
    const page = await http().get('/api/docs/').expect(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'/);
    // Over plain HTTP this directive would send the browser to https for every asset.
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) {
      // An inline <script> would be blocked by script-src 'self'.
      const src = /src="([^"]+)"/.exec(attrs)?.[1];
      expect(src).toBeDefined();
      expect(src).not.toMatch(/^https?:/);
      await http()
        .get(new URL(src ?? '', `${api.url}/api/docs/`).pathname)
        .expect(200);
    }
    await http().get('/api/openapi.json').expect(200);
  });
});
