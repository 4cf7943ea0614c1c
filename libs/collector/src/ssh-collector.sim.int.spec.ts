import { parseBundle } from '@memfleet/procfs';
import { startFleetSim, type FleetSim, type FleetSimHost } from '../../../tools/fleet-sim/src';
import {
  AuthFailedError,
  CollectionTimeoutError,
  GarbageOutputError,
  HostKeyMismatchError,
  OutputTooLargeError,
  UnreachableError,
} from './errors';
import { SshCollector } from './ssh-collector';
import type { CollectTarget } from './types';

const COMMAND_TIMEOUT_MS = 3000;

describe('SshCollector against the fleet simulator', () => {
  let sim: FleetSim;
  let collector: SshCollector;
  const host = (name: string): FleetSimHost => {
    const h = sim.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  };
  const target = (name: string, over: Partial<CollectTarget> = {}): CollectTarget => {
    const h = host(name);
    return {
      hostId: h.name,
      address: h.address,
      port: h.port,
      username: h.username,
      auth: { type: 'privateKey', privateKey: h.privateKey },
      useSudo: true,
      hostKey: { policy: 'tofu', fingerprint: h.hostKeyFingerprint },
      ...over,
    };
  };

  beforeAll(async () => {
    sim = await startFleetSim({
      seed: 7,
      hosts: [
        ...['h1', 'h2', 'h3', 'h4'].map((name) => ({ name, scenario: 'healthy' as const })),
        { name: 'hang', scenario: 'hanging' },
        { name: 'flood', scenario: 'flooding' },
        { name: 'noise', scenario: 'garbage' },
        { name: 'flaky', scenario: 'flaky', dropProbability: 1 },
        { name: 'rekey', scenario: 'hostkey-change', hostKeyChangeAfter: 1 },
        { name: 'pw-only', scenario: 'healthy', auth: 'password' },
        { name: 'no-sudo', scenario: 'leak', sudo: false },
        { name: 'one-shot', scenario: 'healthy', sessionsPerConnection: 1 },
      ],
    });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    collector = new SshCollector({
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      maxOutputBytes: 2 * 1024 * 1024,
    });
  });
  afterEach(() => collector.closeAll());

  it('collects a simulated host into a bundle every procfs parser accepts', async () => {
    const r = await collector.collect(target('h1'));
    expect(r.sectionErrors).toEqual({});
    expect(r.hostKeyFingerprint).toBe(host('h1').hostKeyFingerprint);
    const parsed = parseBundle(r.bundle);
    for (const key of [
      'meminfo',
      'slabinfo',
      'buddyinfo',
      'zoneinfo',
      'pagetypeinfo',
      'vmstat',
      'tunables',
      'ps',
    ] as const) {
      expect([key, parsed[key].kind]).toEqual([key, 'ok']);
    }
  });

  it('hanging, flooding, garbage and flaky hosts fail alone, without delaying healthy hosts collected at the same time', async () => {
    const t0 = performance.now();
    const hanging = collector.collect(target('hang')).then(
      () => undefined,
      (e: unknown) => ({ err: e, ms: performance.now() - t0 }),
    );
    // The other hostile hosts misbehave at the same moment, each on its own connection.
    const others = ['flood', 'noise', 'flaky'].map((n) =>
      collector.collect(target(n)).catch((e: unknown) => e),
    );
    const healthy = await Promise.all(
      ['h1', 'h2', 'h3', 'h4'].map((n) =>
        collector.collect(target(n)).then(() => performance.now() - t0),
      ),
    );
    const hung = await hanging;
    expect(hung?.err).toBeInstanceOf(CollectionTimeoutError);
    const [flood, noise, flaky] = await Promise.all(others);
    expect(flood).toBeInstanceOf(OutputTooLargeError);
    expect(noise).toBeInstanceOf(GarbageOutputError);
    expect(flaky).toBeInstanceOf(UnreachableError);
    expect(hung?.ms).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
    // Every healthy host finished long before the hanging one gave up.
    for (const ms of healthy) expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS / 2);
  });

  it('a flooding host is cut off at the output cap', async () => {
    const t0 = performance.now();
    const err = await collector.collect(target('flood')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputTooLargeError);
    expect(err).toMatchObject({ limitBytes: 2 * 1024 * 1024, permanent: false });
    expect(performance.now() - t0).toBeLessThan(COMMAND_TIMEOUT_MS);
    expect(collector.openConnections).toBe(0);
  });

  it('a host printing random bytes fails with GarbageOutputError', async () => {
    await expect(collector.collect(target('noise'))).rejects.toBeInstanceOf(GarbageOutputError);
  });

  it('a host that drops the connection mid-output fails as transient UnreachableError', async () => {
    const err = await collector.collect(target('flaky')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({ permanent: false });
  });

  it('a host whose key changed is refused before any command runs', async () => {
    const first = await collector.collect(target('rekey'));
    expect(first.hostKeyFingerprint).toBe(host('rekey').hostKeyFingerprints[0]);
    await collector.closeAll();
    const before = sim.stats('rekey');

    const fresh = new SshCollector();
    const err = await fresh.collect(target('rekey')).catch((e: unknown) => e);
    await fresh.closeAll();
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err).toMatchObject({
      expectedFingerprint: host('rekey').hostKeyFingerprints[0],
      presentedFingerprint: host('rekey').hostKeyFingerprints[1],
    });
    const after = sim.stats('rekey');
    expect(after.connections).toBe(before.connections + 1);
    expect(after.authenticated).toBe(before.authenticated);
    expect(after.execs).toBe(before.execs);
  });

  it('a host that accepts only passwords refuses the key and accepts the password', async () => {
    await expect(collector.collect(target('pw-only'))).rejects.toBeInstanceOf(AuthFailedError);
    const r = await collector.collect(
      target('pw-only', { auth: { type: 'password', password: host('pw-only').password } }),
    );
    expect(r.bundle.files['/proc/meminfo']).toBeDefined();
  });

  it('reports sudo needing a password per section and keeps the rest', async () => {
    const r = await collector.collect(target('no-sudo'));
    expect(r.sectionErrors).toEqual({
      '/proc/slabinfo': 'exit status 1: sudo: a password is required',
      '/proc/pagetypeinfo': 'exit status 1: sudo: a password is required',
    });
    expect(r.bundle.files['/proc/meminfo']).toBeDefined();
  });

  it('reconnects after the host cut the pooled connection', async () => {
    const first = await collector.collect(target('h2'));
    expect(first.connected).toBe(true);
    sim.dropConnections('h2');
    await new Promise((r) => setTimeout(r, 100));
    const second = await collector.collect(target('h2'));
    expect(second.connected).toBe(true);
    expect(second.sectionErrors).toEqual({});
  });

  it('retries once on a fresh connection when the pooled one refuses the exec channel', async () => {
    const first = await collector.collect(target('one-shot'));
    expect(first.connected).toBe(true);
    const before = sim.stats('one-shot').connections;
    const second = await collector.collect(target('one-shot'));
    // The pooled connection refused; the collection still succeeded, over one new connection.
    expect(second.connected).toBe(true);
    expect(sim.stats('one-shot').connections).toBe(before + 1);
    expect(second.sectionErrors).toEqual({});
  });

  it('closeAll with a grace period cuts a hanging collection instead of waiting for its timeout', async () => {
    const slow = new SshCollector({ commandTimeoutMs: 60_000 });
    const hanging = slow.collect(target('hang')).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300)); // connected and exec started
    const t0 = performance.now();
    await slow.closeAll(200);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(await hanging).toBeInstanceOf(UnreachableError);
  });

  it('keepalive notices a host that froze with the connection open, and the pool lets it go', async () => {
    const watchful = new SshCollector({ keepaliveIntervalMs: 100 });
    try {
      await watchful.collect(target('h4'));
      expect(watchful.openConnections).toBe(1);
      sim.freezeConnections('h4');
      // keepaliveCountMax is 3: about four unanswered intervals, then ssh2 gives up.
      await new Promise((r) => setTimeout(r, 1000));
      expect(watchful.openConnections).toBe(0);
    } finally {
      await watchful.closeAll();
    }
  });

  it('keeps one connection per host across repeated collections', async () => {
    const before = sim.stats('h3').connections;
    for (let i = 0; i < 5; i++) await collector.collect(target('h3'));
    expect(sim.stats('h3').connections).toBe(before + 1);
    expect(sim.stats('h3').execs).toBeGreaterThanOrEqual(5);
  });
});
