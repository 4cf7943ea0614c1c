import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** CIDRs admitted despite being private (MEMFLEET_WEBHOOK_ALLOW_PRIVATE), parsed once. */
export interface AllowList {
  readonly cidrs: readonly Cidr[];
}

export const EMPTY_ALLOW_LIST: AllowList = Object.freeze({ cidrs: [] });

export class SsrfRefusedError extends Error {
  override readonly name = 'SsrfRefusedError';
  readonly code = 'E_SSRF_REFUSED';
  constructor(
    readonly address: string,
    readonly reason: string,
    readonly host?: string,
  ) {
    super(
      `refused to connect to ${address}${host && host !== address ? ` (${host})` : ''}: ${reason}`,
    );
  }
}

export class AllowListError extends Error {
  override readonly name = 'AllowListError';
}

// Cloud metadata services hand out credentials; no allow-list entry, not even 0.0.0.0/0, may
// reach them. The unspecified address is refused too: on Linux 0.0.0.0 reaches localhost.
const NEVER: readonly Cidr[] = [
  ipaddr.parseCIDR('169.254.169.254/32'),
  ipaddr.parseCIDR('fd00:ec2::254/128'),
  ipaddr.parseCIDR('0.0.0.0/8'),
  ipaddr.parseCIDR('::/128'),
];

/** Parses comma-separated CIDRs (a bare address means /32 or /128); unset means none. */
export function parseAllowList(raw: string | undefined): AllowList {
  if (raw === undefined || raw.trim() === '') return EMPTY_ALLOW_LIST;
  const cidrs: Cidr[] = [];
  const bad: string[] = [];
  for (const token of raw.split(',').map((t) => t.trim())) {
    try {
      if (isIP(token) !== 0) {
        const address = ipaddr.parse(token);
        cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else {
        cidrs.push(ipaddr.parseCIDR(token));
      }
    } catch {
      bad.push(token);
    }
  }
  if (bad.length > 0) {
    throw new AllowListError(
      `MEMFLEET_WEBHOOK_ALLOW_PRIVATE must be comma-separated CIDRs (e.g. "127.0.0.0/8"); bad entries: ${bad
        .map((t) => JSON.stringify(t))
        .join(', ')}`,
    );
  }
  return Object.freeze({ cidrs: Object.freeze(cidrs) });
}

function inAny(address: Address, cidrs: readonly Cidr[]): boolean {
  return cidrs.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
}

/**
 * Why `address` (an IP literal) must not be contacted, or null if it may. IPv4-mapped IPv6
 * (::ffff:127.0.0.1) is judged as the IPv4 address it reaches. Anything ipaddr.js does not
 * class as global unicast (private, loopback, link-local, CGNAT, unique-local, multicast,
 * reserved, 6to4/Teredo tunnels...) is refused unless the allow-list admits it.
 */
export function refusalReason(address: string, allow: AllowList = EMPTY_ALLOW_LIST): string | null {
  let parsed: Address;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (inAny(parsed, NEVER)) return 'cloud metadata or unspecified address, never allowed';
  const range = parsed.range();
  if (range === 'unicast') return null;
  if (inAny(parsed, allow.cidrs)) return null;
  return `${range} address`;
}

/** dns.lookup with `all: true`; replaceable so a spec can play a rebinding DNS server. */
export type Resolve = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolve: Resolve = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup replacement that drops refused addresses from the answer. It runs inside the
 * socket's connect, on the very answer the socket then uses, so a name that re-resolves to a
 * private address between check and connect (DNS rebinding) is still refused.
 */
export function guardedLookup(allow: AllowList, resolve: Resolve = systemResolve): LookupFunction {
  const lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (err, answers) => {
      if (err) return callback(err, []);
      const kept = answers.filter((a) => refusalReason(a.address, allow) === null);
      const first = kept[0];
      if (first === undefined) {
        const sample = answers[0]?.address ?? hostname;
        const reason = answers.length === 0 ? 'no address' : refusalReason(sample, allow);
        return callback(new SsrfRefusedError(sample, reason ?? 'refused', hostname), []);
      }
      if (options.all) return callback(null, kept);
      callback(null, first.address, first.family);
    });
  };
  return lookup as unknown as LookupFunction;
}

// Checks an IP literal before any socket exists (net skips lookup for literals), then hands
// names to the guarded lookup. Returns undefined after reporting the refusal via the callback,
// which http.Agent surfaces as the request's 'error'.
function guardedConnect<T extends { host?: string | null; hostname?: string | null }>(
  allow: AllowList,
  resolve: Resolve,
  options: T,
  callback: ((err: Error | null, stream: Duplex) => void) | undefined,
  connect: (opts: T) => Duplex | null | undefined,
): Duplex | null | undefined {
  const host = (options.host ?? options.hostname ?? '').replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const reason = refusalReason(host, allow);
    if (reason !== null) {
      const error = new SsrfRefusedError(host, reason);
      if (callback) {
        process.nextTick(() => callback(error, undefined as unknown as Duplex));
        return undefined;
      }
      throw error;
    }
  }
  return connect({ ...options, lookup: guardedLookup(allow, resolve) });
}

export class GuardedHttpAgent extends http.Agent {
  constructor(
    private readonly allow: AllowList,
    options?: http.AgentOptions,
    private readonly resolve: Resolve = systemResolve,
  ) {
    super(options);
  }
  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return guardedConnect(this.allow, this.resolve, options, callback, (o) =>
      super.createConnection(o, callback),
    );
  }
}

export class GuardedHttpsAgent extends https.Agent {
  constructor(
    private readonly allow: AllowList,
    options?: https.AgentOptions,
    private readonly resolve: Resolve = systemResolve,
  ) {
    super(options);
  }
  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    return guardedConnect(this.allow, this.resolve, options, callback, (o) =>
      super.createConnection(o, callback),
    );
  }
}

export interface GuardedAgents {
  http: GuardedHttpAgent;
  https: GuardedHttpsAgent;
}

export interface GuardedAgentOptions {
  /** TLS options for the https agent, e.g. a private `ca` for an internal receiver. */
  https?: https.AgentOptions;
  resolve?: Resolve;
}

export function createGuardedAgents(
  allow: AllowList = EMPTY_ALLOW_LIST,
  options: GuardedAgentOptions = {},
): GuardedAgents {
  return {
    http: new GuardedHttpAgent(allow, undefined, options.resolve),
    https: new GuardedHttpsAgent(allow, options.https, options.resolve),
  };
}

export type UrlCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

/**
 * For the 400 at webhook creation: the URL must be http(s) and resolve to at least one
 * admitted address. This is advice to the user only; the agents re-check at every connect.
 */
export async function checkUrlAtCreation(
  url: string,
  allow: AllowList = EMPTY_ALLOW_LIST,
  resolve: Resolve = systemResolve,
): Promise<UrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `scheme ${parsed.protocol} is not http or https` };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, reason: 'credentials in the URL would be sent in the clear to logs' };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      const answers = await new Promise<LookupAddress[]>((done, reject) =>
        resolve(host, { all: true }, (err, a) => (err ? reject(err) : done(a))),
      );
      addresses = answers.map((a) => a.address);
    } catch (err) {
      return { ok: false, reason: `cannot resolve ${host}: ${(err as Error).message}` };
    }
  }
  const admitted = addresses.filter((a) => refusalReason(a, allow) === null);
  if (admitted.length === 0) {
    const first = addresses[0] ?? host;
    return {
      ok: false,
      reason: `${host} resolves only to refused addresses (${first}: ${refusalReason(first, allow)})`,
    };
  }
  return { ok: true, addresses: admitted };
}
