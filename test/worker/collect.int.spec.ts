import type { INestApplicationContext } from '@nestjs/common';
import { startFleetSim, type FleetSim, type FleetSimHost } from '../../tools/fleet-sim/src';
import {
  CollectScheduler,
  TestHosts,
  collectQueue,
  eventually,
  finishedJob,
  flushRedisDb,
  snapshotRows,
  startWorker,
  testConfig,
  workerDatabase,
} from './support/worker-harness';

/** Redis DB 13 belongs to this spec (11 is the API specs', whose jobs this worker would take). */
const config = testConfig(workerDatabase('collect'), 13, {
  worker: { concurrency: 20 },
  collector: { handshakeTimeoutMs: 1_500, commandTimeoutMs: 1_500, maxOutputBytes: 1024 * 1024 },
});

describe('worker collecting from simulated hosts', () => {
  let sim: FleetSim;
  let hosts: TestHosts;
  let worker: INestApplicationContext | undefined;
  const queue = collectQueue(config);
  const simHost = (name: string): FleetSimHost => {
    const h = sim.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no sim host ${name}`);
    return h;
  };
  const keyOf = (h: FleetSimHost) => ({ privateKey: h.privateKey });

  beforeAll(async () => {
    sim = await startFleetSim({
      hosts: [
        { name: 'healthy-1', scenario: 'healthy' },
        { name: 'healthy-2', scenario: 'healthy' },
        { name: 'nosudo', scenario: 'healthy', sudo: false },
        { name: 'hanging', scenario: 'hanging' },
        // The overlap test's own, so its exec count is that test's alone.
        { name: 'overlap', scenario: 'hanging' },
        { name: 'flooding', scenario: 'flooding' },
        { name: 'garbage', scenario: 'garbage' },
        { name: 'pwonly', scenario: 'healthy', auth: 'password' },
        { name: 'rotated', scenario: 'healthy' },
      ],
    });
    hosts = new TestHosts(config.databaseUrl);
    await flushRedisDb(config);
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await hosts.deleteCreated();
    await flushRedisDb(config);
  });

  afterAll(async () => {
    await queue.close();
    await hosts.cleanup();
    await sim.stop();
  });

  it('lands a snapshot and marks the host ok, recording the host key on first use', async () => {
    const sh = simHost('healthy-1');
    const host = await hosts.create('healthy-1', sh, keyOf(sh));
    // The boot reconcile schedules the host; a scheduler's first run is immediate.
    worker = await startWorker(config);

    const done = await eventually('host ok', async () => {
      const h = await hosts.get(host.id);
      return h.state === 'ok' ? h : undefined;
    });
    expect(done.lastError).toBeNull();
    expect(done.consecutiveFailures).toBe(0);
    expect(done.hostKeyFingerprint).toBe(sh.hostKeyFingerprint);
    const rows = await snapshotRows(config.databaseUrl, host.id);
    expect(rows).toHaveLength(1);
  });

  it('marks a host degraded, saying which section, when sudo is refused', async () => {
    const sh = simHost('nosudo');
    const host = await hosts.create('nosudo', sh, keyOf(sh));
    worker = await startWorker(config);

    const h = await eventually('host degraded', async () => {
      const r = await hosts.get(host.id);
      return r.state === 'degraded' ? r : undefined;
    });
    expect(h.lastError).toMatch(/slabinfo: unreadable/);
    expect(await snapshotRows(config.databaseUrl, host.id)).toHaveLength(1);
  });

  it('gives each hostile host a clear lastError while healthy hosts keep being collected', async () => {
    const good = simHost('healthy-2');
    const healthy = await hosts.create('healthy-2', good, keyOf(good), { intervalSeconds: 1 });
    const hostile = {
      hanging: await hosts.create('hanging', simHost('hanging'), keyOf(simHost('hanging')), {
        intervalSeconds: 1,
      }),
      flooding: await hosts.create('flooding', simHost('flooding'), keyOf(simHost('flooding')), {
        intervalSeconds: 1,
      }),
      garbage: await hosts.create('garbage', simHost('garbage'), keyOf(simHost('garbage')), {
        intervalSeconds: 1,
      }),
      badpass: await hosts.create(
        'badpass',
        simHost('pwonly'),
        { password: 'wrong' },
        {
          intervalSeconds: 1,
        },
      ),
      closed: await hosts.create(
        'closed',
        { address: '127.0.0.1', port: 1, username: 'memfleet' },
        { password: 'x' },
        { intervalSeconds: 1 },
      ),
    };
    worker = await startWorker(config);

    await eventually(
      'healthy host collected 3 times',
      async () =>
        (await snapshotRows(config.databaseUrl, healthy.id)).length >= 3 ? true : undefined,
      20_000,
    );
    const after = async (id: string) => hosts.get(id);
    expect((await after(healthy.id)).state).toBe('ok');
    const hanging = await after(hostile.hanging.id);
    expect(hanging.state).toBe('unreachable');
    // Never "connection lost": a host is collected once at a time, so no attempt closes the
    // pooled connection under another.
    expect(hanging.lastError).toMatch(/did not finish within 1500 ms/);
    const flooding = await after(hostile.flooding.id);
    expect(flooding.state).toBe('unreachable');
    expect(flooding.lastError).toMatch(/exceeded 1048576 bytes/);
    const garbage = await after(hostile.garbage.id);
    expect(garbage.state).toBe('unreachable');
    expect(garbage.lastError).not.toBeNull();
    expect((await after(hostile.badpass.id)).state).toBe('auth_failed');
    expect((await after(hostile.closed.id)).state).toBe('unreachable');
    for (const h of Object.values(hostile)) {
      expect(await snapshotRows(config.databaseUrl, h.id)).toHaveLength(0);
      expect((await after(h.id)).consecutiveFailures).toBeGreaterThan(0);
    }
    const failedJobsOf = async (hostId: string) =>
      (await queue.getFailed(0, -1)).filter((j) => j.data.hostId === hostId);
    // A refused password is final: each of its jobs failed on the first attempt.
    const authJobs = await failedJobsOf(hostile.badpass.id);
    expect(authJobs.length).toBeGreaterThan(0);
    expect(authJobs.every((j) => j.attemptsMade === 1)).toBe(true);
    // Garbage may be a passing glitch: its jobs are retried (backoff 1 s, 2 s) before failing.
    const retried = await eventually(
      'a garbage job out of attempts',
      async () => (await failedJobsOf(hostile.garbage.id)).find((j) => j.attemptsMade === 3),
      10_000,
    );
    expect(retried.failedReason).not.toBe('');
  });

  it('stores nothing and does not retry when the host key changed; records the presented key', async () => {
    const sh = simHost('rotated');
    const wrongKey = sh.hostKeyFingerprints[1];
    if (wrongKey === undefined) throw new Error('sim host has no second key');
    const host = await hosts.create('rotated', sh, keyOf(sh), { hostKeyFingerprint: wrongKey });
    worker = await startWorker(config);

    const h = await eventually('host_key_mismatch', async () => {
      const r = await hosts.get(host.id);
      return r.state === 'host_key_mismatch' ? r : undefined;
    });
    expect(h.presentedHostKeyFingerprint).toBe(sh.hostKeyFingerprint);
    expect(h.hostKeyFingerprint).toBe(wrongKey);
    expect(h.lastError).toMatch(/host key .* changed/);
    const failed = await eventually('the job failed', async () => {
      const jobs = (await queue.getFailed(0, -1)).filter((j) => j.data.hostId === host.id);
      return jobs.length > 0 ? jobs : undefined;
    });
    expect(failed.map((j) => j.attemptsMade)).toEqual([1]);
    expect(await snapshotRows(config.databaseUrl, host.id)).toHaveLength(0);
  });

  it('fails a job for a deleted host without retry', async () => {
    const sh = simHost('healthy-1');
    const host = await hosts.create('deleted', sh, keyOf(sh));
    await hosts.repo.delete(host.id);
    worker = await startWorker(config);
    const jobId = await new CollectScheduler(queue).enqueueNow(host.id);
    const job = await eventually('job failed', () => finishedJob(queue, jobId, 'failed'));
    expect(job.failedReason).toMatch(/no longer exists/);
    expect(job.attemptsMade).toBe(1);
  });

  it('skips a job whose host is still being collected instead of collecting it twice', async () => {
    const sh = simHost('overlap');
    const host = await hosts.create('overlap', sh, keyOf(sh));
    // The first collection must outlast the manual job however loaded the machine is: at 1.5 s it
    // could time out first, and the manual job would then collect for real. It is ended below.
    worker = await startWorker({
      ...config,
      collector: { ...config.collector, handshakeTimeoutMs: 60_000, commandTimeoutMs: 60_000 },
    });
    try {
      // The command reached the host: the scheduled job is inside the collection, not about to be.
      await eventually('the scheduled collection in flight', async () =>
        sim.stats('overlap').execs === 1 ? true : undefined,
      );
      const jobId = await new CollectScheduler(queue).enqueueNow(host.id);
      const job = await eventually('manual job done', () => finishedJob(queue, jobId, 'completed'));
      expect(job.data.reason).toBe('manual');
      expect(job.returnvalue).toEqual({
        outcome: 'skipped',
        reason: 'a collection of this host is already running',
      });
      expect(sim.stats('overlap').execs).toBe(1);
    } finally {
      // Ends the hanging collection now rather than in 60 s, so the worker can close.
      sim.dropConnections('overlap');
    }
  });

  it('drops the scheduler of a host deleted without the API unscheduling it', async () => {
    const sh = simHost('healthy-2');
    const host = await hosts.create('vanishing', sh, keyOf(sh), { intervalSeconds: 1 });
    worker = await startWorker(config);
    await eventually('first collection', async () =>
      (await hosts.get(host.id)).state === 'ok' ? true : undefined,
    );
    expect(await queue.getJobScheduler(`collect:${host.id}`)).toBeDefined();
    await hosts.repo.delete(host.id);
    await eventually('scheduler removed', async () =>
      (await queue.getJobScheduler(`collect:${host.id}`)) === undefined ? true : undefined,
    );
  });

  it('on shutdown, finishes the collection in flight and records its outcome before closing', async () => {
    const sh = simHost('hanging');
    const host = await hosts.create('shutdown', sh, keyOf(sh));
    worker = await startWorker(config);
    await eventually('its collection in flight', async () => {
      const active = await queue.getActive();
      return active.some((j) => j.data.hostId === host.id) ? true : undefined;
    });
    const app = worker;
    worker = undefined;
    await app.close();
    // The hanging host times out (1.5 s) during close; close waited for it.
    const h = await hosts.get(host.id);
    expect(h.state).toBe('unreachable');
    expect(h.lastError).toMatch(/did not finish within 1500 ms/);
  });
});
