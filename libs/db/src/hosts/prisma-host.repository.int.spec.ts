import { randomUUID } from 'node:crypto';
import {
  closeTestDb,
  createTestHost,
  hostData,
  testDb,
  uniqueName,
} from '../../../../test/db/test-db';
import {
  HostNameTakenError,
  HostNotFoundError,
  InvalidCursorError,
  NoPresentedHostKeyError,
} from '../errors';

describe('PrismaHostRepository (real Postgres)', () => {
  const { hosts } = testDb();
  afterAll(closeTestDb);

  it('creates a host and reads back every field, the secret as key id + ciphertext', async () => {
    const data = hostData({ labels: { env: 'prod', team: 'mm' }, useSudo: true, port: 2222 });
    const created = await hosts.create(data);
    expect(created).toMatchObject({
      ...data,
      state: 'never_collected',
      consecutiveFailures: 0,
      lastSuccessAt: null,
    });
    expect(await hosts.findById(created.id)).toEqual(created);
  });

  it('refuses a second host with the same name', async () => {
    const name = uniqueName();
    await createTestHost({ name });
    await expect(createTestHost({ name })).rejects.toThrow(HostNameTakenError);
  });

  it('returns null for unknown and malformed ids, and not-found errors on update and delete', async () => {
    expect(await hosts.findById(randomUUID())).toBeNull();
    expect(await hosts.findById('not-a-uuid')).toBeNull();
    await expect(hosts.update(randomUUID(), { port: 1 })).rejects.toThrow(HostNotFoundError);
    await expect(hosts.delete(randomUUID())).rejects.toThrow(HostNotFoundError);
  });

  it('updates only the given fields, clears the secret with null, and maps a taken name', async () => {
    const a = await createTestHost();
    const b = await createTestHost();
    const updated = await hosts.update(a.id, {
      port: 2200,
      authSecret: null,
      labels: { env: 'dev' },
    });
    expect(updated).toMatchObject({
      port: 2200,
      authSecret: null,
      authType: 'privateKey',
      labels: { env: 'dev' },
      name: a.name,
    });
    await expect(hosts.update(a.id, { name: b.name })).rejects.toThrow(HostNameTakenError);
    await hosts.delete(a.id);
    expect(await hosts.findById(a.id)).toBeNull();
  });

  it('pages through hosts matching every label given, with a stable cursor and a total', async () => {
    const run = uniqueName('run');
    const made = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        createTestHost({ name: `${run}-${i}`, labels: { run, parity: i % 2 ? 'odd' : 'even' } }),
      ),
    );
    await createTestHost({ labels: { parity: 'even' } });
    const first = await hosts.list({ labels: { run, parity: 'even' }, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.items.map((h) => h.name)).toEqual([`${run}-0`, `${run}-2`]);
    const second = await hosts.list({
      labels: { run, parity: 'even' },
      limit: 2,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items.map((h) => h.name)).toEqual([`${run}-4`]);
    expect(second.nextCursor).toBeNull();
    await hosts.recordCollection((made[1] as { id: string }).id, {
      at: new Date(),
      state: 'unreachable',
      error: 'timeout',
    });
    const unreachable = await hosts.list({ labels: { run }, state: 'unreachable', limit: 10 });
    expect(unreachable.items.map((h) => h.name)).toEqual([`${run}-1`]);
    await expect(hosts.list({ limit: 1, cursor: '!!' })).rejects.toThrow(InvalidCursorError);
  });

  it('lists only enabled ssh hosts as schedulable', async () => {
    const ssh = await createTestHost();
    const push = await createTestHost({ collection: 'push', address: null });
    const disabled = await createTestHost({ enabled: false });
    const ids = (await hosts.listSchedulable()).map((h) => h.id);
    expect(ids).toContain(ssh.id);
    expect(ids).not.toContain(push.id);
    expect(ids).not.toContain(disabled.id);
  });

  it('counts consecutive failures and resets them on a (degraded) success', async () => {
    const h = await createTestHost();
    const t1 = new Date('2026-11-25T10:00:00Z');
    await hosts.recordCollection(h.id, {
      at: t1,
      state: 'unreachable',
      error: 'connect ETIMEDOUT',
    });
    const failed = await hosts.recordCollection(h.id, {
      at: t1,
      state: 'auth_failed',
      error: 'auth',
    });
    expect(failed).toMatchObject({
      state: 'auth_failed',
      consecutiveFailures: 2,
      lastError: 'auth',
      lastSuccessAt: null,
      lastAttemptAt: t1,
    });
    const t2 = new Date('2026-11-25T10:01:00Z');
    const ok = await hosts.recordCollection(h.id, { at: t2, state: 'degraded', error: null });
    expect(ok).toMatchObject({
      state: 'degraded',
      consecutiveFailures: 0,
      lastError: null,
      lastSuccessAt: t2,
    });
    await expect(
      hosts.recordCollection(randomUUID(), { at: t2, state: 'ok', error: null }),
    ).rejects.toThrow(HostNotFoundError);
  });

  it('records the first key under TOFU, never overwrites it, and trusts a presented key on request', async () => {
    const h = await createTestHost();
    const at = new Date();
    const first = await hosts.recordCollection(h.id, {
      at,
      state: 'ok',
      error: null,
      seenHostKeyFingerprint: 'SHA256:first',
    });
    expect(first.hostKeyFingerprint).toBe('SHA256:first');
    await hosts.recordCollection(h.id, {
      at,
      state: 'ok',
      error: null,
      seenHostKeyFingerprint: 'SHA256:other',
    });
    await expect(hosts.trustPresentedHostKey(h.id)).rejects.toThrow(NoPresentedHostKeyError);
    const mismatch = await hosts.recordCollection(h.id, {
      at,
      state: 'host_key_mismatch',
      error: 'host key changed',
      seenHostKeyFingerprint: 'SHA256:new',
    });
    expect(mismatch).toMatchObject({
      hostKeyFingerprint: 'SHA256:first',
      presentedHostKeyFingerprint: 'SHA256:new',
    });
    const trusted = await hosts.trustPresentedHostKey(h.id);
    expect(trusted).toMatchObject({
      hostKeyFingerprint: 'SHA256:new',
      presentedHostKeyFingerprint: null,
      state: 'ok',
    });
    await expect(hosts.trustPresentedHostKey(randomUUID())).rejects.toThrow(HostNotFoundError);
  });

  it('does not record a seen key over a pinned one', async () => {
    const h = await createTestHost({ hostKeyPolicy: 'pinned', hostKeyFingerprint: null });
    const r = await hosts.recordCollection(h.id, {
      at: new Date(),
      state: 'ok',
      error: null,
      seenHostKeyFingerprint: 'SHA256:x',
    });
    expect(r.hostKeyFingerprint).toBeNull();
  });
});
