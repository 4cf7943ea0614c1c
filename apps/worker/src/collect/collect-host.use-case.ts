import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CollectResult, CollectTarget, SshAuth } from '@memfleet/collector';
import type { HostRecord } from '@memfleet/db';
import { parseBundle } from '@memfleet/procfs';
import type { Logger } from 'pino';
import { LOGGER } from '../logger';
import { assessSnapshot, summarizeReasons } from './collection-health';
import { HostGoneError, HostNotCollectableError, isCollectorFailure } from './collect-failure';
import {
  CLOCK,
  COLLECTOR,
  FINDINGS,
  HOST_STORE,
  SECRET_OPENER,
  SNAPSHOT_STORE,
  type Clock,
  type Collector,
  type FindingsRecorder,
  type HostStore,
  type SecretOpener,
  type SnapshotStore,
} from './collect.ports';

export type CollectHostResult =
  | { readonly outcome: 'collected'; readonly state: 'ok' | 'degraded'; readonly collectedAt: Date }
  | { readonly outcome: 'skipped'; readonly reason: string };

/** The decrypted JSON of HostRecord.authSecret, as the API seals it. */
type AuthSecret = { privateKey?: string; passphrase?: string; password?: string };

/**
 * Collect one host: load it, open its credentials, collect over SSH, parse, decide ok/degraded,
 * store the snapshot, record the outcome on the host. Failures are recorded on the host before
 * they are thrown, so `lastError` tells the operator what happened even while BullMQ retries.
 */
@Injectable()
export class CollectHostUseCase {
  constructor(
    @Inject(HOST_STORE) private readonly hosts: HostStore,
    @Inject(SNAPSHOT_STORE) private readonly snapshots: SnapshotStore,
    @Inject(COLLECTOR) private readonly collector: Collector,
    @Inject(SECRET_OPENER) private readonly secrets: SecretOpener,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() @Inject(FINDINGS) private readonly findings?: FindingsRecorder,
  ) {}

  async execute(hostId: string): Promise<CollectHostResult> {
    const host = await this.hosts.findById(hostId);
    if (host === null) throw new HostGoneError(hostId);
    if (!host.enabled || host.collection !== 'ssh') {
      return {
        outcome: 'skipped',
        reason: `host is ${host.enabled ? host.collection : 'disabled'}`,
      };
    }
    const target = await this.targetOf(host);
    const collected = await this.collect(host, target);

    const receivedAt = this.clock();
    const parsed = parseBundle(collected.bundle);
    const health = assessSnapshot(parsed, collected.sectionErrors);
    const { collectedAt } = await this.snapshots.ingest({ hostId, parsed, receivedAt });
    await this.hosts.recordCollection(hostId, {
      at: receivedAt,
      state: health.state,
      error: summarizeReasons(health.reasons),
      seenHostKeyFingerprint: collected.hostKeyFirstUse ? collected.hostKeyFingerprint : undefined,
    });
    await this.updateFindings(hostId, (f) => f.afterIngest(hostId, parsed, collectedAt));
    return { outcome: 'collected', state: health.state, collectedAt };
  }

  /** Runs the collector; a typed collector failure is recorded on the host, then rethrown. */
  private async collect(host: HostRecord, target: CollectTarget): Promise<CollectResult> {
    try {
      return await this.collector.collect(target);
    } catch (error) {
      if (!isCollectorFailure(error)) throw error;
      const at = this.clock();
      const recorded = await this.hosts.recordCollection(host.id, {
        at,
        state: error.hostState,
        error: error.message,
        // At a mismatch, remember what was presented so an operator can choose to trust it.
        seenHostKeyFingerprint: error.presentedFingerprint,
      });
      await this.updateFindings(host.id, (f) => f.afterCollectionFailure(recorded, at));
      throw error;
    }
  }

  private async targetOf(host: HostRecord): Promise<CollectTarget> {
    const { address, username, authType, authSecret } = host;
    if (address === null || username === null || authType === null || authSecret === null) {
      return this.refuse(host, 'unreachable', 'host has no address, username or credentials');
    }
    let secret: AuthSecret;
    try {
      secret = this.secrets.decrypt<AuthSecret>(authSecret);
    } catch (error) {
      // SecretBox messages name the key id, never the secret.
      const why = error instanceof Error ? error.message : 'unknown error';
      return this.refuse(host, 'auth_failed', `credentials cannot be decrypted: ${why}`);
    }
    const auth = authOf(authType, secret);
    if (auth === undefined) {
      return this.refuse(host, 'auth_failed', `stored credentials hold no ${authType}`);
    }
    return {
      hostId: host.id,
      address,
      port: host.port,
      username,
      auth,
      useSudo: host.useSudo,
      hostKey: { policy: host.hostKeyPolicy, fingerprint: host.hostKeyFingerprint },
    };
  }

  private async refuse(
    host: HostRecord,
    state: 'unreachable' | 'auth_failed',
    reason: string,
  ): Promise<never> {
    const at = this.clock();
    const recorded = await this.hosts.recordCollection(host.id, { at, state, error: reason });
    await this.updateFindings(host.id, (f) => f.afterCollectionFailure(recorded, at));
    throw new HostNotCollectableError(`host ${host.id}: ${reason}`);
  }

  /**
   * Findings are derived data and the next snapshot re-evaluates them, so a failure here is
   * logged, not thrown: thrown, it would retry the job, collecting the host again for an interval
   * already stored, or, on the failure path, replace a permanent collector error with a
   * transient one and retry a changed host key.
   */
  private async updateFindings(
    hostId: string,
    update: (findings: FindingsRecorder) => Promise<unknown>,
  ): Promise<void> {
    if (this.findings === undefined) return;
    try {
      await update(this.findings);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ hostId, err: message }, 'findings not updated');
    }
  }
}

function authOf(type: 'privateKey' | 'password', s: AuthSecret): SshAuth | undefined {
  if (type === 'password') {
    return s.password === undefined ? undefined : { type, password: s.password };
  }
  if (s.privateKey === undefined) return undefined;
  return s.passphrase === undefined
    ? { type, privateKey: s.privateKey }
    : { type, privateKey: s.privateKey, passphrase: s.passphrase };
}
