import type { INestApplicationContext } from '@nestjs/common';
import { createServer } from 'node:net';
import { startFleetSim, type FleetSim } from '../../tools/fleet-sim/src';
import {
  TestHosts,
  eventually,
  flushRedisDb,
  startWorker,
  testConfig,
  workerDatabase,
} from '../worker/support/worker-harness';

/** A port free right now; the worker binds it a moment later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const TOKEN = 'worker-metrics-token-0123456789';

/** The worker's own /metrics: counters of the collections that this worker ran. */
describe('worker /metrics', () => {
  let sim: FleetSim;
  let hosts: TestHosts;
  let worker: INestApplicationContext | undefined;
  let url: string;
  // Redis database 9 and its own Postgres database belong to this spec.
  const base = testConfig(workerDatabase('metrics'), 9);

  beforeAll(async () => {
    sim = await startFleetSim({ hosts: [{ name: 'healthy', scenario: 'healthy' }] });
    hosts = new TestHosts(base.databaseUrl);
    await flushRedisDb(base);
  });

  afterAll(async () => {
    await worker?.close();
    await hosts.cleanup();
    await flushRedisDb(base);
    await sim.stop();
  });

  const scrape = async (token?: string) =>
    fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('counts collections by outcome and reason and times them', async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const sh = sim.hosts[0];
    if (sh === undefined) throw new Error('no sim host');
    await hosts.create('metrics-ok', sh, { privateKey: sh.privateKey });
    // Nothing listens on port 1: the collector fails with a connection refused.
    await hosts.create(
      'metrics-down',
      { address: '127.0.0.1', port: 1, username: 'x' },
      {
        password: 'x',
      },
    );
    worker = await startWorker({ ...base, metrics: { token: TOKEN, workerPort: port } });

    expect((await scrape()).status).toBe(401);
    const text = await eventually('both collections counted', async () => {
      const body = await (await scrape(TOKEN)).text();
      const collected = /^memfleet_collections_total\{outcome="collected",reason="ok"\} 1$/m;
      const failed = /^memfleet_collections_total\{outcome="failed",reason="unreachable"\} [1-9]/m;
      return collected.test(body) && failed.test(body) ? body : undefined;
    });
    expect(text).toMatch(/^memfleet_collection_duration_seconds_count\{outcome="collected"\} 1$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  it('stops serving when the worker closes', async () => {
    await worker?.close();
    worker = undefined;
    await expect(scrape(TOKEN)).rejects.toThrow();
  });
});
