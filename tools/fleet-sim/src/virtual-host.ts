import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  Server as SshServer,
  utils,
  type AuthContext,
  type Connection,
  type ServerChannel,
} from 'ssh2';
import { COLLECT_COMMAND, COLLECT_COMMAND_SUDO } from '@memfleet/collector';
import type { BaseSnapshot } from './base-snapshot';
import { encodeHeader, encodeSectionStart } from '@memfleet/collector';
import { renderCollectOutput } from './collect-output';
import { scenarioState, seedOf, type ScenarioName } from './scenario';

export type SimAuthMode = 'password' | 'publickey' | 'both';

export interface VirtualHostSpec {
  readonly name: string;
  readonly scenario: ScenarioName;
  /** Fixed port; default basePort + index, or an ephemeral port without basePort. */
  readonly port?: number;
  readonly auth?: SimAuthMode;
  /** Whether `sudo -n cat` of the root-only files succeeds. Default true. */
  readonly sudo?: boolean;
  /** hostkey-change: the key changes once this many connections were served. Default 3. */
  readonly hostKeyChangeAfter?: number;
  /** flaky: chance that an exec loses its connection midway. Default 0.5. */
  readonly dropProbability?: number;
  /** Refuse session channels after this many on one connection, as a server going away does. */
  readonly sessionsPerConnection?: number;
}

export interface SharedContext {
  readonly base: BaseSnapshot;
  readonly username: string;
  readonly clientPublicKey: ReturnType<typeof utils.parseKey>;
  readonly timeScale: number;
  readonly startedAt: number;
  readonly random: () => number;
}

export interface HostStats {
  connections: number;
  authenticated: number;
  execs: number;
}

/**
 * One simulated machine: its own TCP port and host keys, answering the collector's fixed command
 * with its scenario's snapshot and nothing else. Sockets are accepted by a plain net.Server and
 * handed to the ssh2 server of the key in force, which lets a host change its key at runtime.
 */
export class VirtualHost {
  readonly password = randomBytes(12).toString('base64url');
  readonly stats: HostStats = { connections: 0, authenticated: 0, execs: 0 };
  private readonly net: NetServer;
  private readonly sockets = new Set<Socket>();
  private readonly ssh: SshServer[];
  private readonly baseObjs: (cache: string) => number;
  private keyIndex = 0;
  port = 0;

  constructor(
    readonly spec: VirtualHostSpec,
    readonly hostKeys: readonly string[],
    private readonly ctx: SharedContext,
  ) {
    this.ssh = hostKeys.map((key) => new SshServer({ hostKeys: [key] }, (c) => this.onClient(c)));
    this.net = createServer((sock) => this.onSocket(sock));
    const byName = new Map(ctx.base.slabs.map((c) => [c.name, c.numObjs]));
    this.baseObjs = (cache) => byName.get(cache) ?? 0;
  }

  get hostKeyIndex(): number {
    return this.keyIndex;
  }

  /** Presents the next host key from now on; returns its index. */
  rotateHostKey(): number {
    this.keyIndex = (this.keyIndex + 1) % this.hostKeys.length;
    return this.keyIndex;
  }

  listen(port: number, address: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(port, address, () => {
        const a = this.net.address();
        this.port = typeof a === 'object' && a ? a.port : port;
        resolve(this.port);
      });
    });
  }

  /** Stops reading from open connections without closing them: a host that froze. */
  freezeConnections(): void {
    for (const s of this.sockets) s.pause();
  }

  /** Cuts every open connection, as a reboot or a NAT timeout would. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.net.close(() => resolve()));
  }

  private onSocket(sock: Socket): void {
    this.stats.connections += 1;
    this.sockets.add(sock);
    sock.once('close', () => this.sockets.delete(sock));
    sock.on('error', () => undefined);
    const after = this.spec.hostKeyChangeAfter ?? 3;
    if (
      this.spec.scenario === 'hostkey-change' &&
      this.stats.connections > after &&
      this.keyIndex === 0
    ) {
      this.keyIndex = 1;
    }
    this.ssh[this.keyIndex]?.injectSocket(sock);
  }

  private onClient(client: Connection): void {
    client.on('error', () => undefined);
    client.on('authentication', (auth) => this.authenticate(auth));
    client.on('ready', () => {
      this.stats.authenticated += 1;
      let sessions = 0;
      client.on('session', (accept, reject) => {
        sessions += 1;
        const limit = this.spec.sessionsPerConnection;
        if (limit !== undefined && sessions > limit) return reject();
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          this.stats.execs += 1;
          this.exec(acceptExec(), info.command, client);
        });
      });
    });
  }

  private authenticate(auth: AuthContext): void {
    const mode = this.spec.auth ?? 'both';
    if (auth.username !== this.ctx.username) return auth.reject();
    if (auth.method === 'password' && mode !== 'publickey') {
      return safeEqual(auth.password, this.password) ? auth.accept() : auth.reject();
    }
    if (auth.method === 'publickey' && mode !== 'password') {
      const allowed = this.ctx.clientPublicKey;
      if (allowed instanceof Error) return auth.reject();
      const sameKey =
        auth.key.algo === allowed.type && auth.key.data.equals(allowed.getPublicSSH());
      if (!sameKey) return auth.reject();
      if (
        auth.signature &&
        auth.blob &&
        allowed.verify(auth.blob, auth.signature, auth.hashAlgo) !== true
      ) {
        return auth.reject();
      }
      return auth.accept();
    }
    return auth.reject(
      mode === 'password' ? ['password'] : mode === 'publickey' ? ['publickey'] : undefined,
    );
  }

  private exec(stream: ServerChannel, command: string, client: Connection): void {
    stream.on('error', () => undefined);
    if (command !== COLLECT_COMMAND && command !== COLLECT_COMMAND_SUDO) {
      stream.stderr.write('memfleet-sim: only the collector command is served\n');
      stream.exit(127);
      stream.end();
      return;
    }
    const nonce = randomUUID();
    switch (this.spec.scenario) {
      case 'hanging':
        // Starts like a real host, then never finishes.
        stream.write(`${encodeHeader(nonce)}${encodeSectionStart(nonce, 'clock')}`);
        return;
      case 'flooding':
        return flood(stream, nonce);
      case 'garbage':
        stream.write(randomBytes(16 * 1024));
        stream.exit(0);
        stream.end();
        return;
      default:
        break;
    }
    const out = this.render(nonce, command === COLLECT_COMMAND_SUDO);
    if (this.spec.scenario === 'flaky' && this.ctx.random() < (this.spec.dropProbability ?? 0.5)) {
      // Half the answer, then the connection dies the way a rebooting host's does.
      stream.write(out.subarray(0, out.length >> 1), () => dropConnection(client));
      return;
    }
    stream.write(out);
    stream.exit(0);
    stream.end();
  }

  /** Virtual seconds this host has lived. */
  virtualTime(now = Date.now()): number {
    return ((now - this.ctx.startedAt) / 1000) * this.ctx.timeScale;
  }

  render(nonce: string, sudo: boolean, now = Date.now()): Buffer {
    const t = this.virtualTime(now);
    const seed = seedOf(this.spec.name) * 2 * Math.PI;
    const state = scenarioState(this.spec.scenario, t, seed, this.baseObjs);
    const rootRead = !sudo
      ? { status: 1, reason: 'Permission denied' }
      : this.spec.sudo === false
        ? { status: 1, reason: 'sudo: a password is required' }
        : undefined;
    return renderCollectOutput(this.ctx.base, state, { nonce, t, now, rootRead });
  }
}

function flood(stream: ServerChannel, nonce: string): void {
  const line = 'MemFree:        24306440 kB\n'.repeat(2048);
  const chunk = Buffer.from(line);
  let open = true;
  stream.on('close', () => (open = false));
  stream.write(`${encodeHeader(nonce)}${encodeSectionStart(nonce, '/proc/meminfo')}`);
  const pump = () => {
    while (open) {
      if (!stream.write(chunk)) {
        stream.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** ssh2 keeps the socket private; a hard drop needs it (end() would be a polite goodbye). */
function dropConnection(client: Connection): void {
  const sock = (client as unknown as { _sock?: Socket })._sock;
  if (sock) sock.destroy();
  else client.end();
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
