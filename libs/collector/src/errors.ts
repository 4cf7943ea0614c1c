/**
 * Typed failures of one collection. `permanent` tells the worker whether retrying can help: a
 * rejected password or a changed host key will not fix itself, a timeout might. `hostState` is the
 * state the host record should take. Messages name the host and the cause, never a secret: no
 * password, key or passphrase is ever formatted into one.
 */
export type CollectorFailureState = 'auth_failed' | 'host_key_mismatch' | 'unreachable';

export abstract class CollectorError extends Error {
  abstract readonly permanent: boolean;
  abstract readonly hostState: CollectorFailureState;
  constructor(
    readonly hostId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class AuthFailedError extends CollectorError {
  readonly permanent = true;
  readonly hostState = 'auth_failed' as const;
}

/** The host presented a key other than the recorded/pinned one. Nothing was sent to it. */
export class HostKeyMismatchError extends CollectorError {
  readonly permanent = true;
  readonly hostState = 'host_key_mismatch' as const;
  constructor(
    hostId: string,
    readonly expectedFingerprint: string,
    readonly presentedFingerprint: string,
    /** e.g. `ssh-ed25519`: a host with several keys presents the type ssh2 prefers. */
    readonly presentedKeyType?: string,
  ) {
    super(
      hostId,
      `host key of ${hostId} changed: expected ${expectedFingerprint}, presented ` +
        `${presentedFingerprint}${presentedKeyType ? ` (${presentedKeyType})` : ''}`,
    );
  }
}

/** The target itself is unusable (e.g. `pinned` without a fingerprint): fix the host record. */
export class InvalidTargetError extends CollectorError {
  readonly permanent = true;
  readonly hostState = 'unreachable' as const;
}

/** Connection refused, DNS failure, handshake timeout, or the connection died mid-collection. */
export class UnreachableError extends CollectorError {
  readonly permanent = false;
  readonly hostState = 'unreachable' as const;
}

export class CollectionTimeoutError extends CollectorError {
  readonly permanent = false;
  readonly hostState = 'unreachable' as const;
  constructor(
    hostId: string,
    readonly timeoutMs: number,
  ) {
    super(hostId, `collection from ${hostId} did not finish within ${timeoutMs} ms`);
  }
}

export class OutputTooLargeError extends CollectorError {
  readonly permanent = false;
  readonly hostState = 'unreachable' as const;
  constructor(
    hostId: string,
    readonly limitBytes: number,
  ) {
    super(hostId, `output of ${hostId} exceeded ${limitBytes} bytes; the connection was closed`);
  }
}

/** The output does not follow the wire format (truncated, sections out of shape). */
export class ProtocolError extends CollectorError {
  readonly permanent = false;
  readonly hostState = 'unreachable' as const;
}

/** The output is not ours at all (no header): a wrapper, a banner, or noise. */
export class GarbageOutputError extends ProtocolError {}

export function isPermanentCollectorError(e: unknown): boolean {
  return e instanceof CollectorError && e.permanent;
}
