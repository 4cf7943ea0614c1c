import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { SshCollector } from '@memfleet/collector';
import type { FleetSimHost } from './fleet-sim';

const ROOT = resolve(__dirname, '../../..');

/** Starts the CLI and resolves with the host list it prints once it is listening. */
function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; hosts: FleetSimHost[] }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/fleet-sim/src/main.ts', ...args],
    { cwd: ROOT },
  );
  return new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      try {
        res({ child, hosts: (JSON.parse(out) as { hosts: FleetSimHost[] }).hosts });
      } catch {
        // not the whole document yet
      }
    });
    child.once('exit', (code) => rej(new Error(`fleet-sim exited with ${code}`)));
  });
}

describe('fleet-sim CLI', () => {
  it('prints its hosts as JSON and serves them until SIGTERM', async () => {
    const { child, hosts } = await startCli([
      '--hosts',
      '3',
      '--scenarios',
      'healthy,leak',
      '--time-scale',
      '60',
    ]);
    try {
      expect(hosts.map((h) => [h.name, h.scenario])).toEqual([
        ['sim-001', 'healthy'],
        ['sim-002', 'leak'],
        ['sim-003', 'healthy'],
      ]);
      const h = hosts[1]!;
      expect(h.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      const collector = new SshCollector();
      const r = await collector.collect({
        hostId: h.name,
        address: h.address,
        port: h.port,
        username: h.username,
        auth: { type: 'password', password: h.password },
        useSudo: true,
        hostKey: { policy: 'pinned', fingerprint: h.hostKeyFingerprint },
      });
      await collector.closeAll();
      expect(r.bundle.kernelRelease).toBe('6.18.0-memfleet-sim');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses an unknown scenario with a usage message', async () => {
    await expect(startCli(['--scenarios', 'healthy,nope'])).rejects.toThrow('exited with 2');
  });
});
