import { startFleetSim, type FleetSim } from '../../tools/fleet-sim/src';
import { WorkerProcess } from './support/worker-process';
import {
  TestHosts,
  collectQueue,
  flushRedisDb,
  sleep,
  snapshotRows,
  testConfig,
  testEnv,
  workerDatabase,
} from './support/worker-harness';

/** Redis DB 12 belongs to this spec. */
const config = testConfig(workerDatabase('sidebyside'), 12, {
  worker: { concurrency: 10 },
  logLevel: 'debug',
});
const INTERVAL_S = 2;
const HOSTS = 6;

describe('two worker processes side by side', () => {
  let sim: FleetSim;
  let hosts: TestHosts;
  const workers: WorkerProcess[] = [];
  const queue = collectQueue(config);

  beforeAll(async () => {
    sim = await startFleetSim({
      hosts: Array.from({ length: HOSTS }, (_, i) => ({ name: `pair-${i}`, scenario: 'healthy' })),
    });
    hosts = new TestHosts(config.databaseUrl);
    await flushRedisDb(config);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    await hosts.cleanup();
    await sim.stop();
  });

  it('keeps one schedule per host and never collects a host twice in one interval', async () => {
    const created = [];
    for (const sh of sim.hosts) {
      created.push(
        await hosts.create(
          sh.name,
          sh,
          { privateKey: sh.privateKey },
          { intervalSeconds: INTERVAL_S },
        ),
      );
    }
    // Both boot (and reconcile) at the same moment.
    workers.push(new WorkerProcess(testEnv(config)), new WorkerProcess(testEnv(config)));
    await Promise.all(workers.map((w) => w.waitFor('worker started', 30_000)));
    const startedAt = Date.now();
    await sleep(4.5 * INTERVAL_S * 1_000);
    const codes = await Promise.all(workers.map((w) => w.stop()));
    const elapsedS = (Date.now() - startedAt) / 1_000;
    expect(codes).toEqual([0, 0]);

    const schedulers = await queue.getJobSchedulers(0, -1, true);
    expect(schedulers.map((s) => s.key).sort()).toEqual(
      created.map((h) => `collect:${h.id}`).sort(),
    );

    const intervals = Math.ceil(elapsedS / INTERVAL_S) + 1;
    let total = 0;
    for (const h of created) {
      const rows = await snapshotRows(config.databaseUrl, h.id);
      const execs = sim.stats(h.name.replace(/-[^-]+$/, '')).execs;
      expect(rows.length).toBeGreaterThanOrEqual(3);
      // Every exec stored exactly one snapshot, and there is at most one per interval.
      expect(execs).toBe(rows.length);
      expect(rows.length).toBeLessThanOrEqual(intervals);
      const times = rows.map((r) => r.collectedAt.getTime());
      for (let i = 1; i < times.length; i += 1) {
        expect(times[i]! - times[i - 1]!).toBeGreaterThan(INTERVAL_S * 1_000 * 0.5);
      }
      total += rows.length;
    }
    const collectedLogs = workers.map((w) => w.records('collected').length);
    expect(collectedLogs[0]! + collectedLogs[1]!).toBe(total);
  });
});
