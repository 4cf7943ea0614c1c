import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import { FINGERPRINT, sshHost } from './host-bodies';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const http = () => request(api.url);

async function createHost(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await http().post('/api/v1/hosts').send(body).expect(201);
  return res.body as Record<string, unknown>;
}

describe('POST /api/v1/hosts', () => {
  it('registers an ssh host with the documented defaults and exactly the response fields', async () => {
    const body = await createHost(sshHost());
    expect(Object.keys(body).sort()).toEqual(
      [
        'id',
        'name',
        'collection',
        'address',
        'port',
        'username',
        'useSudo',
        'labels',
        'intervalSeconds',
        'enabled',
        'hostKey',
        'state',
        'lastSuccessAt',
        'lastError',
        'consecutiveFailures',
        'hasPrivateKey',
        'hasPassword',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(body).toMatchObject({
      collection: 'ssh',
      port: 22,
      useSudo: false,
      labels: {},
      intervalSeconds: 60,
      enabled: true,
      hostKey: { policy: 'tofu', fingerprint: null },
      state: 'never_collected',
      lastSuccessAt: null,
      consecutiveFailures: 0,
      hasPrivateKey: false,
      hasPassword: true,
    });
    expect(new Date(body.createdAt as string).toISOString()).toBe(body.createdAt);
  });

  it('registers a push host from a name alone', async () => {
    const body = await createHost({ name: uniqueName('pushed'), collection: 'push' });
    expect(body).toMatchObject({ collection: 'push', address: null, username: null });
    expect(body.hasPassword).toBe(false);
  });

  it('answers 400 problem+json naming every invalid field, including unknown ones', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send({
        name: 'bad name!',
        address: '10.0.0.5',
        username: 'memfleet',
        auth: { type: 'password', password: 'pw' },
        port: 0,
        intervalSeconds: 5,
        hostKey: { policy: 'pinned' },
        colour: 'blue',
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'hostKey.fingerprint', 'intervalSeconds', 'name', 'port']);
    expect(res.body).toMatchObject({
      type: 'urn:memfleet:problem:validation-failed',
      status: 400,
      instance: '/api/v1/hosts',
    });
  });

  it('requires address, username and auth for an ssh host', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('bare') })
      .expect(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'address',
      'auth',
      'username',
    ]);
  });

  it('lists missing ssh fields alongside other invalid fields, saying "required"', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('half'), auth: { type: 'password' } })
      .expect(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'auth.password', message: 'required' },
        { field: 'address', message: 'required for ssh collection' },
        { field: 'username', message: 'required for ssh collection' },
      ]),
    );
    expect(res.body.errors).toHaveLength(3);
  });

  it('rejects a pinned fingerprint that is not SHA256:<43 base64 chars>', async () => {
    const res = await http()
      .post('/api/v1/hosts')
      .send(sshHost({ hostKey: { policy: 'pinned', fingerprint: 'MD5:aa:bb' } }))
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'hostKey.fingerprint', message: expect.stringMatching(/SHA256/) },
    ]);
  });

  it('answers 409 when the name is taken', async () => {
    const name = uniqueName('dup');
    await createHost({ name, collection: 'push' });
    const res = await http().post('/api/v1/hosts').send({ name, collection: 'push' }).expect(409);
    expect(res.body.type).toBe('urn:memfleet:problem:host-name-taken');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GET/PATCH/DELETE /api/v1/hosts/{id}', () => {
  it('answers 404 problem+json for an unknown id and for a malformed one', async () => {
    for (const id of ['7d1f7c61-2b1a-4c55-9a43-3b9b1c0e0f00', 'not-a-uuid']) {
      const res = await http().get(`/api/v1/hosts/${id}`).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:memfleet:problem:host-not-found', status: 404 });
    }
  });

  it('updates only the given fields and replaces labels', async () => {
    const host = await createHost(sshHost({ labels: { env: 'prod', role: 'db' } }));
    const res = await http()
      .patch(`/api/v1/hosts/${host.id as string}`)
      .send({ labels: { env: 'staging' }, intervalSeconds: 300, enabled: false })
      .expect(200);
    expect(res.body).toMatchObject({
      name: host.name,
      address: '10.0.0.5',
      labels: { env: 'staging' },
      intervalSeconds: 300,
      enabled: false,
      hasPassword: true,
    });
  });

  it('pins a host key and rejects a patch that leaves an ssh host without an address', async () => {
    const host = await createHost({ name: uniqueName('p'), collection: 'push' });
    const id = host.id as string;
    const bad = await http().patch(`/api/v1/hosts/${id}`).send({ collection: 'ssh' }).expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'address',
      'auth',
      'username',
    ]);
    const pinned = await http()
      .patch(`/api/v1/hosts/${id}`)
      .send({ hostKey: { policy: 'pinned', fingerprint: FINGERPRINT } })
      .expect(200);
    expect(pinned.body.hostKey).toEqual({ policy: 'pinned', fingerprint: FINGERPRINT });
  });

  it('rejects unknown fields in a patch', async () => {
    const host = await createHost({ name: uniqueName('u'), collection: 'push' });
    const res = await http()
      .patch(`/api/v1/hosts/${host.id as string}`)
      .send({ state: 'ok' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'state', message: 'unknown field' }]);
  });

  it('deletes with 204, after which the host is gone', async () => {
    const host = await createHost({ name: uniqueName('del'), collection: 'push' });
    const id = host.id as string;
    const res = await http().delete(`/api/v1/hosts/${id}`).expect(204);
    expect(res.text).toBe('');
    await http().get(`/api/v1/hosts/${id}`).expect(404);
    await http().delete(`/api/v1/hosts/${id}`).expect(404);
  });
});
