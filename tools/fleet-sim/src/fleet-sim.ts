import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { fingerprintOfKeyBlob } from '@memfleet/collector';
import { loadBaseSnapshot } from './base-snapshot';
import { isScenario, type ScenarioName } from './scenario';
import { VirtualHost, type HostStats, type VirtualHostSpec } from './virtual-host';

export interface FleetSimOptions {
  readonly hosts: readonly VirtualHostSpec[];
  /** Host i listens on basePort + i unless it names a port. Omit for ephemeral ports. */
  readonly basePort?: number;
  /** Virtual seconds per real second. Default 1. */
  readonly timeScale?: number;
  /** Default 127.0.0.1. */
  readonly bindAddress?: string;
  /** Login name every host accepts. Default `memfleet`. */
  readonly username?: string;
  /** Keep host keys (and the client key) here so fingerprints survive restarts. */
  readonly keyDir?: string;
  /** Seed for flaky drops, so a run can be replayed. */
  readonly seed?: number;
}

export interface FleetSimHost {
  readonly name: string;
  readonly scenario: ScenarioName;
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** OpenSSH private key accepted by every host whose auth allows publickey. */
  readonly privateKey: string;
  /** The key presented now (for hostkey-change: before the change). */
  readonly hostKeyFingerprint: string;
  /** Every key this host may present, index 0 first. */
  readonly hostKeyFingerprints: readonly string[];
}

export interface FleetSim {
  readonly hosts: readonly FleetSimHost[];
  /** Connections, authentications and execs served, per host. */
  stats(name: string): HostStats;
  /** Makes the host present its other key from now on; returns the new fingerprint. */
  rotateHostKey(name: string): string;
  currentHostKeyFingerprint(name: string): string;
  /** Cuts the host's open connections (clients must reconnect). */
  dropConnections(name: string): void;
  /** Keeps the host's connections open but stops answering on them (a frozen host). */
  freezeConnections(name: string): void;
  stop(): Promise<void>;
}

function keyPair(keyDir: string | undefined, file: string): { private: string; public: string } {
  const path = keyDir ? join(keyDir, file) : undefined;
  if (path && existsSync(path)) {
    return { private: readFileSync(path, 'utf8'), public: readFileSync(`${path}.pub`, 'utf8') };
  }
  // ssh2 1.17's generator emits an unparseable ed25519 key about once in 200 (checked with 2000
  // keys): regenerate until ssh2 itself can read the key back.
  let k = utils.generateKeyPairSync('ed25519');
  while (utils.parseKey(k.private) instanceof Error) k = utils.generateKeyPairSync('ed25519');
  if (path) {
    writeFileSync(path, k.private, { mode: 0o600 });
    writeFileSync(`${path}.pub`, k.public);
  }
  return k;
}

function fingerprintOfPrivate(key: string): string {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  return fingerprintOfKeyBlob(parsed.getPublicSSH());
}

export async function startFleetSim(opts: FleetSimOptions): Promise<FleetSim> {
  const address = opts.bindAddress ?? '127.0.0.1';
  const username = opts.username ?? 'memfleet';
  if (opts.keyDir) mkdirSync(opts.keyDir, { recursive: true });
  const names = new Set<string>();
  for (const h of opts.hosts) {
    if (!isScenario(h.scenario))
      throw new Error(`unknown scenario ${String(h.scenario)} for ${h.name}`);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(h.name)) throw new Error(`bad host name ${h.name}`);
    if (names.has(h.name)) throw new Error(`duplicate host name ${h.name}`);
    names.add(h.name);
  }

  const client = keyPair(opts.keyDir, 'client_ed25519');
  const clientPublicKey = utils.parseKey(client.public);
  let state = (opts.seed ?? 1) >>> 0 || 1;
  const random = () => {
    // xorshift32: deterministic per seed, good enough for "sometimes".
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const ctx = {
    base: loadBaseSnapshot(),
    username,
    clientPublicKey,
    timeScale: opts.timeScale ?? 1,
    startedAt: Date.now(),
    random,
  };

  const vhosts: VirtualHost[] = [];
  try {
    for (const [i, spec] of opts.hosts.entries()) {
      const keys = [keyPair(opts.keyDir, `${spec.name}.host_key`).private];
      keys.push(keyPair(opts.keyDir, `${spec.name}.host_key_alt`).private);
      const vh = new VirtualHost(spec, keys, ctx);
      vhosts.push(vh);
      const port = spec.port ?? (opts.basePort !== undefined ? opts.basePort + i : 0);
      await vh.listen(port, address);
    }
  } catch (err) {
    await Promise.all(vhosts.map((v) => v.close()));
    throw err;
  }

  const fingerprints = new Map(vhosts.map((v) => [v, v.hostKeys.map(fingerprintOfPrivate)]));
  const byName = new Map(vhosts.map((v) => [v.spec.name, v]));
  const get = (name: string) => {
    const v = byName.get(name);
    if (!v) throw new Error(`no simulated host named ${name}`);
    return v;
  };
  const current = (v: VirtualHost) => fingerprints.get(v)?.[v.hostKeyIndex] ?? '';

  return {
    hosts: vhosts.map((v) => ({
      name: v.spec.name,
      scenario: v.spec.scenario,
      address,
      port: v.port,
      username,
      password: v.password,
      privateKey: client.private,
      hostKeyFingerprint: current(v),
      hostKeyFingerprints: fingerprints.get(v) ?? [],
    })),
    stats: (name) => ({ ...get(name).stats }),
    rotateHostKey: (name) => {
      const v = get(name);
      v.rotateHostKey();
      return current(v);
    },
    currentHostKeyFingerprint: (name) => current(get(name)),
    dropConnections: (name) => get(name).dropConnections(),
    freezeConnections: (name) => get(name).freezeConnections(),
    stop: async () => {
      await Promise.all(vhosts.map((v) => v.close()));
    },
  };
}
