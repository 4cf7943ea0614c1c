import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { SshCollector, type CollectTarget } from '@memfleet/collector';
import { startFleetSim, type FleetSimHost } from './fleet-sim';

const targetOf = (h: FleetSimHost): CollectTarget => ({
  hostId: h.name,
  address: h.address,
  port: h.port,
  username: h.username,
  auth: { type: 'privateKey', privateKey: h.privateKey },
  useSudo: true,
  hostKey: { policy: 'pinned', fingerprint: h.hostKeyFingerprint },
});

/** Runs an arbitrary command the way any SSH client would; resolves with exit code and stderr. */
function runRaw(
  h: FleetSimHost,
  command: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('error', reject)
      .on('ready', () => {
        c.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stderr = '';
          let code: number | null = null;
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          stream.on('exit', (n: number | null) => (code = n));
          stream.on('close', () => {
            c.end();
            resolve({ code, stderr });
          });
          stream.resume();
        });
      })
      .connect({ host: h.address, port: h.port, username: h.username, password: h.password });
  });
}

describe('startFleetSim', () => {
  it('serves 200 hosts from one process, each with its own port and host key', async () => {
    const t0 = performance.now();
    const sim = await startFleetSim({
      hosts: Array.from({ length: 200 }, (_, i) => ({
        name: `h${i}`,
        scenario: i % 2 ? 'rsync' : 'leak',
      })),
    });
    const collector = new SshCollector();
    try {
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(new Set(sim.hosts.map((h) => h.port)).size).toBe(200);
      expect(new Set(sim.hosts.map((h) => h.hostKeyFingerprint)).size).toBe(200);
      const results = await Promise.all(sim.hosts.map((h) => collector.collect(targetOf(h))));
      expect(results.every((r) => Object.keys(r.sectionErrors).length === 0)).toBe(true);
    } finally {
      await collector.closeAll();
      await sim.stop();
    }
  });

  it('keeps host keys across restarts when given a key directory', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'fleet-sim-keys-'));
    try {
      const spec = { hosts: [{ name: 'a', scenario: 'healthy' as const }], keyDir };
      const first = await startFleetSim(spec);
      await first.stop();
      const second = await startFleetSim(spec);
      await second.stop();
      expect(second.hosts[0]?.hostKeyFingerprint).toBe(first.hosts[0]?.hostKeyFingerprint);
      expect(second.hosts[0]?.privateKey).toBe(first.hosts[0]?.privateKey);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it('runs nothing but the collector command', async () => {
    const sim = await startFleetSim({ hosts: [{ name: 'a', scenario: 'healthy' }] });
    try {
      const h = sim.hosts[0]!;
      expect(await runRaw(h, 'id')).toEqual({
        code: 127,
        stderr: 'memfleet-sim: only the collector command is served\n',
      });
      expect(sim.stats('a').execs).toBe(1);
    } finally {
      await sim.stop();
    }
  });

  it('presents the other host key after rotateHostKey', async () => {
    const sim = await startFleetSim({ hosts: [{ name: 'a', scenario: 'healthy' }] });
    const collector = new SshCollector();
    try {
      const h = sim.hosts[0]!;
      const rotated = sim.rotateHostKey('a');
      expect(rotated).toBe(h.hostKeyFingerprints[1]);
      expect(rotated).not.toBe(h.hostKeyFingerprint);
      const r = await collector.collect({ ...targetOf(h), hostKey: { policy: 'tofu' } });
      expect(r.hostKeyFingerprint).toBe(rotated);
    } finally {
      await collector.closeAll();
      await sim.stop();
    }
  });

  it('refuses unknown scenarios and duplicate names', async () => {
    await expect(
      startFleetSim({ hosts: [{ name: 'a', scenario: 'nope' as never }] }),
    ).rejects.toThrow('unknown scenario nope');
    await expect(
      startFleetSim({
        hosts: [
          { name: 'a', scenario: 'healthy' },
          { name: 'a', scenario: 'leak' },
        ],
      }),
    ).rejects.toThrow('duplicate host name a');
  });
});
