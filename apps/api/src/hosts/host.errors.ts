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
