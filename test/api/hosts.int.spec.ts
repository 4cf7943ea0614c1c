import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { PrismaHostRepository, createPrismaClient, type PrismaClient } from '@memfleet/db';
import { SecretBox } from '@memfleet/secrets';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import { testDatabaseUrl } from './test-database';

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

let api: RunningApi;
let db: Client;
beforeAll(async () => {
  api = await startApi();
  db = new Client({ connectionString: testDatabaseUrl() });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await api.close();
});

const http = () => request(api.url);

const sshHost = (overrides: Record<string, unknown> = {}) => ({
  name: uniqueName('web'),
  address: '10.0.0.5',
  username: 'memfleet',
  auth: { type: 'password', password: 'pw' },
  ...overrides,
});

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

describe('secrets', () => {
  it('never returns a secret, and stores only ciphertext that the configured key opens', async () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const created = await http()
      .post('/api/v1/hosts')
      .send(
        sshHost({
          auth: { type: 'privateKey', privateKey: `${canary}-key`, passphrase: `${canary}-pp` },
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ hasPrivateKey: true, hasPassword: false });
    const patched = await http()
      .patch(`/api/v1/hosts/${id}`)
      .send({ auth: { type: 'password', password: `${canary}-pw` } })
      .expect(200);
    expect(patched.body).toMatchObject({ hasPrivateKey: false, hasPassword: true });
    const responses = [
      created.text,
      patched.text,
      (await http().get(`/api/v1/hosts/${id}`).expect(200)).text,
      (await http().get('/api/v1/hosts?limit=500').expect(200)).text,
    ];
    for (const text of responses) expect(text).not.toContain(canary);

    const { rows } = await db.query('SELECT * FROM host WHERE id = $1', [id]);
    const row = rows[0] as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(canary);
    expect(row.auth_secret_key_id).toBe('k1');
    // Not even the ciphertext leaves the API.
    for (const text of responses) expect(text).not.toContain(row.auth_secret_ciphertext);
    const opened = new SecretBox(api.config.secretKeys).decrypt({
      keyId: row.auth_secret_key_id as string,
      ciphertext: row.auth_secret_ciphertext as string,
    });
    expect(opened).toEqual({ password: `${canary}-pw` });
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

describe('POST /api/v1/hosts/{id}/collect and /trust-host-key', () => {
  it('queues a collection for an enabled ssh host', async () => {
    const host = await createHost(sshHost());
    const res = await http()
      .post(`/api/v1/hosts/${host.id as string}/collect`)
      .expect(202);
    expect(res.body).toEqual({ jobId: expect.any(String) });
  });

  it('refuses to collect a push host or a disabled one with 409', async () => {
    const push = await createHost({ name: uniqueName('push'), collection: 'push' });
    const off = await createHost(sshHost({ enabled: false }));
    for (const host of [push, off]) {
      const res = await http()
        .post(`/api/v1/hosts/${host.id as string}/collect`)
        .expect(409);
      expect(res.body.type).toBe('urn:memfleet:problem:host-not-collectable');
    }
  });

  it('trusts the key presented at a mismatch and clears the mismatch', async () => {
    const host = await createHost(
      sshHost({ hostKey: { policy: 'pinned', fingerprint: FINGERPRINT } }),
    );
    const id = host.id as string;
    const presented = `SHA256:${'B'.repeat(43)}`;
    // What the worker records when the host shows another key (libs/db, the worker's own path).
    const prisma: PrismaClient = createPrismaClient(testDatabaseUrl());
    try {
      await new PrismaHostRepository(prisma).recordCollection(id, {
        at: new Date(),
        state: 'host_key_mismatch',
        error: 'host key changed',
        seenHostKeyFingerprint: presented,
      });
    } finally {
      await prisma.$disconnect();
    }
    const mismatched = await http()
      .get('/api/v1/hosts?state=host_key_mismatch&limit=500')
      .expect(200);
    expect((mismatched.body.items as { id: string }[]).map((h) => h.id)).toContain(id);

    const res = await http().post(`/api/v1/hosts/${id}/trust-host-key`).expect(200);
    expect(res.body).toMatchObject({
      hostKey: { policy: 'pinned', fingerprint: presented },
      state: 'never_collected',
      lastError: null,
    });
    await http().post(`/api/v1/hosts/${id}/trust-host-key`).expect(409);
  });

  it('answers 409 to trust-host-key when no mismatch presented a key', async () => {
    const host = await createHost(sshHost());
    const res = await http()
      .post(`/api/v1/hosts/${host.id as string}/trust-host-key`)
      .expect(409);
    expect(res.body.type).toBe('urn:memfleet:problem:no-presented-host-key');
  });
});
