import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { parseBundle, snapshotBundleSchema } from '@memfleet/procfs';
import { ensureSshd, type SshdFacts } from '../../../test/sshd/ensure-sshd';
import {
  AuthFailedError,
  CollectorError,
  HostKeyMismatchError,
  InvalidTargetError,
  ProtocolError,
  UnreachableError,
} from './errors';
import { SshCollector } from './ssh-collector';
import type { CollectTarget } from './types';

const memTotal = (text: string | undefined) => /^MemTotal:\s+(\d+) kB$/m.exec(text ?? '')?.[1];

/** Bytes appended to a log since `from`, so a test reads only its own connection's lines. */
function logSince(file: string, from: number): string {
  return readFileSync(file).subarray(from).toString('utf8');
}

describe('SshCollector against a real OpenSSH server', () => {
  let sshd: SshdFacts;
  let collector: SshCollector;
  let target: CollectTarget;

  // A fresh machine installs openssh-server first: allow for apt.
  beforeAll(() => {
    sshd = ensureSshd();
  }, 300_000);
  beforeEach(() => {
    collector = new SshCollector({ readyTimeoutMs: 5000, commandTimeoutMs: 10_000 });
    target = {
      hostId: 'local-sshd',
      address: sshd.host,
      port: sshd.port,
      username: sshd.username,
      auth: { type: 'privateKey', privateKey: sshd.privateKey },
      useSudo: true,
      hostKey: { policy: 'tofu' },
    };
  });
  afterEach(() => collector.closeAll());

  it('collects this machine’s /proc with key auth, trusting the key on first use', async () => {
    const r = await collector.collect(target);
    expect(memTotal(r.bundle.files['/proc/meminfo'])).toBe(
      memTotal(readFileSync('/proc/meminfo', 'utf8')),
    );
    expect(r.bundle.files['/proc/slabinfo']).toMatch(/^slabinfo - version: 2\.1\n/);
    expect(r.bundle.files['/proc/pagetypeinfo']).toMatch(/^Page block order: \d+/);
    expect(r.sectionErrors).toEqual({});
    expect(r.hostKeyFingerprint).toBe(sshd.hostKeyFingerprint);
    expect(r.hostKeyFirstUse).toBe(true);
    expect(r.connected).toBe(true);
    expect(r.bytes).toBeGreaterThan(10_000);
    expect(snapshotBundleSchema.safeParse(r.bundle).success).toBe(true);
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

  it('reuses the pooled connection for the next collection', async () => {
    await collector.collect(target);
    const second = await collector.collect({
      ...target,
      hostKey: { policy: 'tofu', fingerprint: sshd.hostKeyFingerprint },
    });
    expect(second.connected).toBe(false);
    expect(second.hostKeyFirstUse).toBe(false);
    expect(collector.openConnections).toBe(1);
    await collector.closeAll();
    expect(collector.openConnections).toBe(0);
  });

  it('collects with password auth; without sudo the root-only files fail alone', async () => {
    const r = await collector.collect({
      ...target,
      auth: { type: 'password', password: sshd.password },
      useSudo: false,
    });
    expect(r.sectionErrors).toEqual({
      '/proc/slabinfo': 'exit status 1: cat: /proc/slabinfo: Permission denied',
      '/proc/pagetypeinfo': 'exit status 1: cat: /proc/pagetypeinfo: Permission denied',
    });
    expect(r.bundle.files['/proc/slabinfo']).toBeUndefined();
    expect(memTotal(r.bundle.files['/proc/meminfo'])).toBe(
      memTotal(readFileSync('/proc/meminfo', 'utf8')),
    );
  });

  it('collects with a passphrase-protected key', async () => {
    const r = await collector.collect({
      ...target,
      auth: { type: 'privateKey', privateKey: sshd.passphraseKey, passphrase: sshd.passphrase },
    });
    expect(r.bundle.files['/proc/meminfo']).toBeDefined();
  });

  it('fails a wrong password as permanent AuthFailedError without echoing it', async () => {
    const wrong = `${sshd.password}-wrong`;
    const err = await collector
      .collect({ ...target, auth: { type: 'password', password: wrong } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailedError);
    expect((err as CollectorError).permanent).toBe(true);
    expect((err as Error).message).not.toContain(wrong);
  });

  it('fails a wrong passphrase as AuthFailedError without echoing it', async () => {
    const err = await collector
      .collect({
        ...target,
        auth: { type: 'privateKey', privateKey: sshd.passphraseKey, passphrase: 'not-it' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthFailedError);
    expect((err as Error).message).not.toContain('not-it');
  });

  it('refuses a changed host key before authenticating: no login, so no command ran', async () => {
    // Positive control: the alternate server logs an accepted login when its own key is expected.
    let from = statSync(sshd.altLogFile).size;
    await collector.collect({
      ...target,
      port: sshd.altPort,
      hostKey: { policy: 'tofu', fingerprint: sshd.altHostKeyFingerprint },
    });
    expect(logSince(sshd.altLogFile, from)).toMatch(/Accepted publickey for memfleet-ssh/);
    await collector.closeAll();

    collector = new SshCollector({ readyTimeoutMs: 5000 });
    from = statSync(sshd.altLogFile).size;
    const err = await collector
      .collect({
        ...target,
        port: sshd.altPort,
        hostKey: { policy: 'tofu', fingerprint: sshd.hostKeyFingerprint },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err).toMatchObject({
      permanent: true,
      hostState: 'host_key_mismatch',
      expectedFingerprint: sshd.hostKeyFingerprint,
      presentedFingerprint: sshd.altHostKeyFingerprint,
      presentedKeyType: 'ssh-ed25519',
    });
    await new Promise((r) => setTimeout(r, 200)); // let sshd flush its log line for the drop
    const log = logSince(sshd.altLogFile, from);
    expect(log).not.toMatch(/Accepted|Failed (password|publickey)|Postponed/);
  });

  it('refuses a pinned host whose key differs, and a pinned host without a pin', async () => {
    const mismatch = await collector
      .collect({
        ...target,
        hostKey: { policy: 'pinned', fingerprint: sshd.altHostKeyFingerprint },
      })
      .catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(HostKeyMismatchError);
    const ok = await collector.collect({
      ...target,
      hostKey: { policy: 'pinned', fingerprint: sshd.hostKeyFingerprint },
    });
    expect(ok.hostKeyFirstUse).toBe(false);
    await expect(
      collector.collect({ ...target, hostKey: { policy: 'pinned' } }),
    ).rejects.toBeInstanceOf(InvalidTargetError);
  });

  it('reports a closed port and an unknown name as transient UnreachableError', async () => {
    const refused = await collector.collect({ ...target, port: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnreachableError);
    expect((refused as CollectorError).permanent).toBe(false);
    const dns = await collector
      .collect({ ...target, address: 'no-such-host.invalid' })
      .catch((e: unknown) => e);
    expect(dns).toBeInstanceOf(UnreachableError);
  });

  describe('with TCP peers that do not speak SSH', () => {
    let silent: Server;
    beforeAll(async () => {
      // Reads (so it notices the client hanging up) but never answers.
      silent = createServer((sock) => sock.resume());
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise((r) => silent.close(r)));

    it.each([
      ['an HTTP server', (sock: Socket) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n')],
      [
        'an SSH banner followed by noise',
        (sock: Socket) =>
          sock.end(Buffer.concat([Buffer.from('SSH-2.0-x\r\n'), Buffer.alloc(4096, 7)])),
      ],
    ])('fails %s as ProtocolError', async (_what, speak) => {
      const noisy = createServer((sock) => {
        sock.resume(); // read, so it sees the client hang up and close() can finish
        speak(sock);
      });
      await new Promise<void>((r) => noisy.listen(0, '127.0.0.1', r));
      try {
        const port = (noisy.address() as { port: number }).port;
        await expect(collector.collect({ ...target, port })).rejects.toBeInstanceOf(ProtocolError);
      } finally {
        await new Promise((r) => noisy.close(r));
      }
    });

    it('gives up at the handshake timeout', async () => {
      const port = (silent.address() as { port: number }).port;
      const quick = new SshCollector({ readyTimeoutMs: 500 });
      const t0 = Date.now();
      const err = await quick.collect({ ...target, port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      expect((err as Error).message).toMatch(/handshake timed out/);
      expect(Date.now() - t0).toBeLessThan(3000);
      await quick.closeAll();
    });
  });

  it('closes a connection that stayed idle past the idle timeout', async () => {
    const idle = new SshCollector({ idleTimeoutMs: 200 });
    await idle.collect(target);
    expect(idle.openConnections).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    expect(idle.openConnections).toBe(0);
    await idle.closeAll();
  });

  it('closeAll waits for a collection in flight', async () => {
    const running = collector.collect(target);
    await new Promise((r) => setImmediate(r));
    await collector.closeAll();
    await expect(running).resolves.toMatchObject({ connected: true });
    await expect(collector.collect(target)).rejects.toThrow(/shutting down/);
  });
});
