import { Client, type ConnectConfig } from 'ssh2';
import {
  AuthFailedError,
  CollectorError,
  HostKeyMismatchError,
  ProtocolError,
  UnreachableError,
} from './errors';
import { fingerprintOfKeyBlob, keyTypeOfBlob } from './fingerprint';
import { decideHostKey } from './host-key-policy';
import type { CollectTarget, CollectorOptions } from './types';

/** One authenticated SSH connection to one host. */
export interface SshConnection {
  readonly client: Client;
  readonly presentedFingerprint: string;
  readonly firstUse: boolean;
  /** Set once the connection ended for any reason; a closed connection is never reused. */
  readonly closed: () => boolean;
  /** Calls fn once the connection ends; returns a function that unsubscribes. */
  readonly onClose: (fn: () => void) => () => void;
  /** Hard close: drops the socket without waiting for the server. */
  readonly destroy: () => void;
}

type ConnectOptions = Required<Pick<CollectorOptions, 'readyTimeoutMs' | 'keepaliveIntervalMs'>>;

/**
 * Connects and authenticates. The host key is checked in hostVerifier, during key exchange, so a
 * mismatching host never sees a credential and never gets a command.
 */
export function openConnection(
  target: CollectTarget,
  opts: ConnectOptions,
): Promise<SshConnection> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: string | undefined;
    let mismatch: HostKeyMismatchError | undefined;
    let firstUse = false;
    let ready = false;
    let closed = false;
    const closeListeners = new Set<() => void>();

    const fail = (err: CollectorError) => {
      if (ready) return;
      ready = true; // settle once
      client.destroy();
      reject(err);
    };

    client.on('ready', () => {
      if (ready) return;
      ready = true;
      resolve({
        client,
        presentedFingerprint: presented ?? '',
        firstUse,
        closed: () => closed,
        onClose: (fn) => {
          if (closed) {
            fn();
            return () => undefined;
          }
          closeListeners.add(fn);
          return () => closeListeners.delete(fn);
        },
        destroy: () => client.destroy(),
      });
    });
    client.on('error', (err: Error & { level?: string }) => {
      fail(mismatch ?? classifyConnectError(target.hostId, err));
    });
    client.on('close', () => {
      closed = true;
      fail(
        mismatch ??
          new UnreachableError(
            target.hostId,
            `${target.hostId} closed the connection during the handshake`,
          ),
      );
      for (const fn of [...closeListeners]) fn();
      closeListeners.clear();
    });

    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.username,
      readyTimeout: opts.readyTimeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      tryKeyboard: false,
      hostVerifier: (key: Buffer): boolean => {
        presented = fingerprintOfKeyBlob(key);
        const decision = decideHostKey(target.hostKey, presented);
        if (decision.accept) {
          firstUse = decision.firstUse;
          return true;
        }
        mismatch = new HostKeyMismatchError(
          target.hostId,
          decision.expected,
          presented,
          keyTypeOfBlob(key),
        );
        return false;
      },
    };
    if (target.auth.type === 'password') config.password = target.auth.password;
    else {
      config.privateKey = target.auth.privateKey;
      if (target.auth.passphrase !== undefined) config.passphrase = target.auth.passphrase;
    }
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 parses the private key synchronously; its message names the problem, not the key.
      const why = err instanceof Error ? err.message.replace(/^Cannot parse privateKey: /, '') : '';
      fail(
        new AuthFailedError(target.hostId, `private key for ${target.hostId} is unusable: ${why}`),
      );
    }
  });
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

export function classifyConnectError(
  hostId: string,
  err: Error & { level?: string; code?: string },
): CollectorError {
  const cause = { cause: err };
  if (err.level === 'client-authentication') {
    return new AuthFailedError(
      hostId,
      `${hostId} rejected the credentials (${err.message})`,
      cause,
    );
  }
  if (err.level === 'client-timeout') {
    return new UnreachableError(hostId, `${hostId}: SSH handshake timed out`, cause);
  }
  if (
    err.level === 'client-dns' ||
    err.level === 'client-socket' ||
    (err.code && UNREACHABLE_CODES.has(err.code))
  ) {
    return new UnreachableError(
      hostId,
      `${hostId} is unreachable: ${err.code ?? err.message}`,
      cause,
    );
  }
  // ssh2's packet parser throws plain errors ("Bad packet length") without a level; socket
  // failures always carry an errno code. So: a code means the network, no code means the peer.
  if (err.level === 'protocol' || err.level === 'handshake' || !err.code) {
    return new ProtocolError(hostId, `${hostId}: SSH protocol failure: ${err.message}`, cause);
  }
  return new UnreachableError(hostId, `${hostId}: connection failed: ${err.code}`, cause);
}
