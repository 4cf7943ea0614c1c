import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ MEMFLEET_MAX_BUNDLE_BYTES: '4096' });
});
afterAll(() => api.close());

const http = () => request(api.url);
const PROBLEM = /^application\/problem\+json/;

describe('health and routing', () => {
  it('serves liveness outside the API prefix', async () => {
    const res = await http().get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    await http().get('/api/v1/health/live').expect(404);
  });

  it('reports ready when Postgres and Redis answer', async () => {
    const res = await http().get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', queue: 'ok' } });
  });

  it('answers an unknown route with problem+json', async () => {
    const res = await http().get('/api/v1/nope').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 404, instance: '/api/v1/nope' });
  });
});

describe('request ids', () => {
  it('echoes an incoming x-request-id in the header and in problems', async () => {
    const res = await http().get('/api/v1/nope').set('x-request-id', 'trace-123').expect(404);
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
  });

  it('mints a request id when none (or a hostile one) is given', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const none = await http().get('/health/live').expect(200);
    expect(none.headers['x-request-id']).toMatch(uuid);
    for (const hostile of ['two words', '"quoted"', 'x'.repeat(129)]) {
      const res = await http().get('/health/live').set('x-request-id', hostile).expect(200);
      expect(res.headers['x-request-id']).toMatch(uuid);
    }
  });
});

describe('body errors', () => {
  it('answers malformed JSON with a 400 problem', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toBe('urn:memfleet:problem:malformed-json');
  });

  it('asks for a JSON body when the body is not JSON', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .set('content-type', 'text/plain')
      .send('name=web-1')
      .expect(400);
    expect(res.body.errors).toEqual([{ field: '(body)', message: expect.stringMatching(/JSON/) }]);
  });

  it('answers a body over MEMFLEET_MAX_BUNDLE_BYTES with a 413 problem', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('big'), collection: 'push', labels: { pad: 'x'.repeat(5000) } })
      .expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ type: 'urn:memfleet:problem:payload-too-large', status: 413 });
  });
});

describe('push ingest size limit', () => {
  it('answers a bundle over MEMFLEET_MAX_BUNDLE_BYTES with 413 and stores nothing', async () => {
    const host = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('push'), collection: 'push' })
      .expect(201);
    const bundle = {
      collectedAt: '2026-11-25T09:00:00Z',
      files: { '/proc/meminfo': 'MemTotal: 1 kB\n'.repeat(400) },
    };
    const res = await http()
      .post(`/api/v1/hosts/${host.body.id as string}/snapshots`)
      .send(bundle)
      .expect(413);
    expect(res.body.detail).toMatch(/4096 bytes/);
    const list = await http()
      .get(`/api/v1/hosts/${host.body.id as string}/snapshots`)
      .expect(200);
    expect(list.body.total).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents every route with its schemas and problem responses', async () => {
    const doc = (await http().get('/api/openapi.json').expect(200)).body as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'GET /health/live',
        'GET /health/ready',
        'POST /api/v1/hosts',
        'POST /api/v1/hosts/import',
        'GET /api/v1/hosts',
        'GET /api/v1/hosts/{id}',
        'PATCH /api/v1/hosts/{id}',
        'DELETE /api/v1/hosts/{id}',
        'POST /api/v1/hosts/{id}/collect',
        'POST /api/v1/hosts/{id}/trust-host-key',
        'POST /api/v1/hosts/{id}/snapshots',
        'GET /api/v1/hosts/{id}/snapshots',
        'GET /api/v1/hosts/{id}/findings',
        'GET /api/v1/fleet/fragmentation',
        'GET /api/v1/fleet/findings',
        'GET /api/v1/fleet/summary',
        'GET /api/v1/fleet/tunables',
        'GET /api/v1/hosts/{id}/snapshots/{snapshotId}',
        'GET /api/v1/hosts/{id}/accounting',
        'GET /api/v1/hosts/{id}/memory/series',
        'GET /api/v1/hosts/{id}/slab/series',
        'GET /api/v1/hosts/{id}/slab/drops',
        'GET /api/v1/hosts/{id}/slab/leak',
        'GET /api/v1/hosts/{id}/fragmentation',
      ].sort(),
    );
    expect(Object.keys(doc.components.schemas.CreateHost?.properties ?? {})).toContain('hostKey');
    expect(doc.components.schemas.Host?.properties).not.toHaveProperty('auth');
    expect(doc.components.schemas.Problem?.properties).toHaveProperty('requestId');
    expect(doc.paths['/api/v1/hosts']?.post?.responses).toHaveProperty('400');
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const response of Object.values(op.responses)) {
          expect(response).toHaveProperty(['headers', 'x-request-id']);
        }
      }
    }
  });

  it('serves Swagger UI', async () => {
    const res = await http().get('/api/docs/').expect(200);
    expect(res.text).toMatch(/swagger-ui/i);
  });
});
