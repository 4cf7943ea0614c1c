import { HostNotFoundError } from '@memfleet/db';

/**
 * Failures that retrying cannot fix. The processor turns them into BullMQ's UnrecoverableError;
 * everything else is thrown as is, so BullMQ retries it with backoff.
 */
export class PermanentCollectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The job names a host that no longer exists: its scheduler outlived it. */
export class HostGoneError extends PermanentCollectError {
  constructor(readonly hostId: string) {
    super(`host ${hostId} no longer exists`);
  }
}

/** The host record cannot be collected as it stands (no address, no credentials, bad secret). */
export class HostNotCollectableError extends PermanentCollectError {}

/** Duck-typed so the worker need not know every collector error class: they all carry these. */
interface CollectorFailure extends Error {
  readonly permanent: boolean;
  readonly hostState: 'auth_failed' | 'host_key_mismatch' | 'unreachable';
  readonly presentedFingerprint?: string;
}

export function isCollectorFailure(e: unknown): e is CollectorFailure {
  return (
    e instanceof Error &&
    typeof (e as Partial<CollectorFailure>).permanent === 'boolean' &&
    typeof (e as Partial<CollectorFailure>).hostState === 'string'
  );
}

export function isPermanentFailure(e: unknown): boolean {
  if (e instanceof PermanentCollectError) return true;
  // Deleted while being collected: recordCollection finds no row.
  if (e instanceof HostNotFoundError) return true;
  return isCollectorFailure(e) && e.permanent;
}
