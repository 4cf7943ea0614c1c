import type { INestApplicationContext } from '@nestjs/common';
import { startFleetSim, type FleetSim } from '../../tools/fleet-sim/src';
import { PrivateRedis } from './support/local-redis';
import { TcpProxy } from './support/tcp-proxy';
import {
  TestHosts,
  collectQueue,
  eventually,
  flushRedisDb,
  sleep,
  snapshotRows,
  startWorker,
  testConfig,
  workerDatabase,
} from './support/worker-harness';

const databaseUrl = workerDatabase('outages');
const INTERVAL_S = 1;

describe('worker through Redis and Postgres outages', () => {
  let sim: FleetSim;
  let hosts: TestHosts;
  let worker: INestApplicationContext | undefined;
  const redis = new PrivateRedis(6391);

  beforeAll(async () => {
    await redis.start();
    sim = await startFleetSim({
      hosts: [0, 1, 2].map((i) => ({ name: `outage-${i}`, scenario: 'healthy' as const })),
    });
    hosts = new TestHosts(databaseUrl);
    for (const sh of sim.hosts) {
      await hosts.create(
        sh.name,
        sh,
        { privateKey: sh.privateKey },
        { intervalSeconds: INTERVAL_S },
      );
    }
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  afterAll(async () => {
    await redis.stop();
    await hosts.cleanup();
    await sim.stop();
  });

  const newestAfter = async (at: number) => {
    const newest = await Promise.all(
      hosts.created.map(async (h) => {
        const rows = await snapshotRows(databaseUrl, h.id);
        return rows.at(-1)?.collectedAt.getTime() ?? 0;
      }),
    );
    return newest.every((t) => t > at) ? true : undefined;
  };

  it('rebuilds the schedules Redis lost in a restart and keeps collecting', async () => {
    const config = { ...testConfig(databaseUrl, 0), redisUrl: redis.url };
    await flushRedisDb(config);
    worker = await startWorker(config);
    await eventually('first collections', () => newestAfter(0));

    await redis.restart(1_500);
    const restartedAt = Date.now();

    await eventually('collections after the restart', () => newestAfter(restartedAt), 30_000);
    const queue = collectQueue(config);
    try {
      expect(await queue.getJobSchedulersCount()).toBe(hosts.created.length);
    } finally {
      await queue.close();
    }
  }, 60_000);

  it('retries while Postgres is unreachable; afterwards nothing is missing or stored twice', async () => {
    const target = new URL(databaseUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(databaseUrl);
    viaProxy.port = String(proxy.port);
    const config = testConfig(viaProxy.toString(), 14);
    await flushRedisDb(config);
    const queue = collectQueue(config);
    try {
      worker = await startWorker(config);
      await eventually('first collections', () => newestAfter(0));

      await proxy.stop();
      const cutAt = Date.now();
      await sleep(2_500);
      await proxy.start();
      const restoredAt = Date.now();
      await eventually(
        'collections after Postgres returned',
        () => newestAfter(restoredAt),
        30_000,
      );

      for (const h of hosts.created) {
        const rows = await snapshotRows(databaseUrl, h.id);
        // seq is the per-host ingest order: a gap would be a half-stored batch, a repeat a duplicate.
        expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
        const times = rows.map((r) => r.collectedAt.getTime());
        expect(new Set(times).size).toBe(times.length);
        expect((await hosts.get(h.id)).state).toBe('ok');
      }
      // Some jobs failed on the database and then succeeded on a retry.
      const completed = await queue.getCompleted(0, -1);
      const retried = completed.filter(
        (j) => (j.stacktrace?.length ?? 0) > 0 && j.timestamp >= cutAt - 2_000,
      );
      expect(retried.length).toBeGreaterThan(0);
    } finally {
      await queue.close();
      await proxy.stop();
    }
  }, 60_000);
});
