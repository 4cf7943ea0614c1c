import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { PrismaHostRepository, createPrismaClient, type PrismaClient } from '@memfleet/db';
import { SecretBox } from '@memfleet/secrets';
import { startApi, uniqueName, type RunningApi } from './api-harness';
import { FINGERPRINT, sshHost } from './host-bodies';
import { testDatabaseUrl } from './test-database';

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

async function createHost(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await http().post('/api/v1/hosts').send(body).expect(201);
  return res.body as Record<string, unknown>;
}

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
