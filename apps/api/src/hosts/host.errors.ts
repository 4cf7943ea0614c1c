import { DomainError } from '@memfleet/db';

/** "Collect now" on a host the worker would not collect: push-only or disabled. */
export class HostNotCollectableError extends DomainError {
  constructor(
    readonly hostId: string,
    readonly reason: 'push' | 'disabled',
  ) {
    super(
      reason === 'push'
        ? `host ${hostId} is a push host: it sends its own snapshots and is never collected over SSH`
        : `host ${hostId} is disabled; enable it before asking for a collection`,
    );
  }
}

/** Redis (the collect queue) did not answer: retry later; the host itself is unaffected. */
export class QueueUnavailableError extends DomainError {
  constructor(
    what: string,
    /** For the log only: may name internal addresses. */
    readonly reason: string,
  ) {
    super(`cannot ${what}: the collect queue is unavailable; retry shortly`);
  }
}
