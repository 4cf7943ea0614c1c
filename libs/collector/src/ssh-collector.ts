import { performance } from 'node:perf_hooks';
import { collectCommand } from './command';
import { ConnectionPool, type Lease } from './connection-pool';
import {
  CollectorError,
  GarbageOutputError,
  HostKeyMismatchError,
  InvalidTargetError,
  ProtocolError,
  UnreachableError,
} from './errors';
import { decideHostKey } from './host-key-policy';
import { ChannelOpenError, runCommand } from './run-command';
import { splitOutput } from './split-output';
import { toBundle } from './to-bundle';
import {
  DEFAULT_COLLECTOR_OPTIONS,
  type CollectResult,
  type CollectTarget,
  type CollectorOptions,
} from './types';

/**
 * Collects snapshot bundles over SSH with one pooled connection per host. Every failure is a
 * CollectorError subclass; anything else escaping is a bug.
 */
export class SshCollector {
  private readonly opts: Required<CollectorOptions>;
  private readonly pool: ConnectionPool;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing = false;

  constructor(options: CollectorOptions = {}) {
    this.opts = { ...DEFAULT_COLLECTOR_OPTIONS, ...options };
    this.pool = new ConnectionPool(this.opts);
  }

  collect(target: CollectTarget): Promise<CollectResult> {
    if (this.closing) {
      return Promise.reject(new UnreachableError(target.hostId, 'collector is shutting down'));
    }
    const run = this.collectOnce(target, true);
    this.inFlight.add(run);
    const forget = () => this.inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  /**
   * Refuses new collections, waits for those in flight (at most graceMs; the rest then fail as
   * UnreachableError when their connections close), then closes every connection.
   */
  async closeAll(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = Number.isFinite(graceMs)
      ? new Promise<void>((r) => (timer = setTimeout(r, graceMs)))
      : new Promise<void>(() => undefined);
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
    await this.pool.closeAll();
  }

  /** Open pooled connections (for metrics and tests). */
  get openConnections(): number {
    return this.pool.size;
  }

  private async collectOnce(target: CollectTarget, mayRetry: boolean): Promise<CollectResult> {
    if (target.hostKey.policy === 'pinned' && !target.hostKey.fingerprint) {
      throw new InvalidTargetError(
        target.hostId,
        `${target.hostId} is pinned but has no fingerprint`,
      );
    }
    const started = performance.now();
    const lease = await this.pool.acquire(target);
    try {
      // A pooled connection was verified against the policy it was opened with; re-check against
      // the current record (an operator may have pinned a different key since).
      const decision = decideHostKey(target.hostKey, lease.conn.presentedFingerprint);
      if (!decision.accept) {
        this.pool.discard(target.hostId, lease.conn);
        throw new HostKeyMismatchError(
          target.hostId,
          decision.expected,
          lease.conn.presentedFingerprint,
        );
      }
      const output = await runCommand(
        lease.conn,
        target.hostId,
        collectCommand(target.useSudo),
        this.opts,
      );
      return this.finish(target, lease, output.stdout, started, decision.firstUse);
    } catch (err) {
      // A pooled connection can die while idle (server restart, NAT timeout): try once afresh.
      if (mayRetry && !lease.fresh && err instanceof ChannelOpenError) {
        this.pool.discard(target.hostId, lease.conn);
        lease.release();
        return this.collectOnce(target, false);
      }
      if (err instanceof CollectorError && !(err instanceof HostKeyMismatchError)) {
        this.pool.discard(target.hostId, lease.conn);
      }
      throw err;
    } finally {
      lease.release();
    }
  }

  private finish(
    target: CollectTarget,
    lease: Lease,
    stdout: Buffer,
    started: number,
    firstUse: boolean,
  ): CollectResult {
    const split = splitOutput(stdout);
    if (!split.ok) {
      const msg = `${target.hostId}: ${split.reason}`;
      throw split.garbage
        ? new GarbageOutputError(target.hostId, msg)
        : new ProtocolError(target.hostId, msg);
    }
    const built = toBundle(split.sections);
    if (!built.ok) throw new ProtocolError(target.hostId, `${target.hostId}: ${built.reason}`);
    return {
      bundle: built.bundle,
      sectionErrors: built.sectionErrors,
      hostKeyFingerprint: lease.conn.presentedFingerprint,
      hostKeyFirstUse: firstUse,
      durationMs: performance.now() - started,
      bytes: stdout.length,
      connected: lease.fresh,
    };
  }
}
