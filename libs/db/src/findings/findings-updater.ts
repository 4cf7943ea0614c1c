import {
  ALL_FINDING_KINDS,
  DEFAULT_FINDINGS_ENGINE_OPTIONS,
  diagnoseSnapshot,
  evaluateCollectionFailure,
  fromCompactPoint,
  reconcileFindings,
  seriesPointFromSnapshot,
  snapshotCandidates,
  toCompactPoint,
  type FindingsEngineOptions,
  type FindingsUpdate,
  type SeriesPoint,
} from '@memfleet/analysis';
import type { ParsedSnapshot } from '@memfleet/procfs';
import type { PrismaClient } from '../generated/prisma/client';
import type { HostRecord } from '../hosts/host.types';
import type { PrismaSnapshotRepository } from '../snapshots/prisma-snapshot.repository';
import type { SnapshotDetail } from '../snapshots/snapshot.types';
import {
  fingerprintOf,
  lockHosts,
  readState,
  sameFinding,
  writeBatch,
  type BatchWrites,
} from './findings-batch';
import { hostLatestOf } from './host-latest';
import { PrismaFindingRepository, readWindow } from './prisma-finding.repository';

interface Pending {
  readonly hostId: string;
  readonly parsed: ParsedSnapshot;
  readonly collectedAt: Date;
  readonly resolve: (u: FindingsUpdate | null) => void;
  readonly reject: (e: unknown) => void;
}

/** Evaluations of one batch share one transaction; more would hold the host locks too long. */
const MAX_BATCH = 200;

/**
 * Keeps each host's findings current: called once after every stored snapshot (API push and
 * worker) and after every failed collection. The cost is bounded: the detectors see at most
 * windowPoints snapshots of the last windowSeconds, never the host's whole history.
 */
export class FindingsUpdater {
  private readonly findings: PrismaFindingRepository;
  private readonly options: FindingsEngineOptions;
  private pending: Pending[] = [];
  private writing = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly snapshots: Pick<PrismaSnapshotRepository, 'getRange'>,
    options: Partial<FindingsEngineOptions> = {},
  ) {
    this.findings = new PrismaFindingRepository(prisma);
    this.options = { ...DEFAULT_FINDINGS_ENGINE_OPTIONS, ...options };
  }

  /**
   * After `parsed` was stored for the host (created or an idempotent retry). A snapshot older than
   * the newest one already evaluated (a backfill) changes nothing: findings describe the present.
   * Returns null when skipped.
   */
  afterIngest(
    hostId: string,
    parsed: ParsedSnapshot,
    collectedAt: Date,
  ): Promise<FindingsUpdate | null> {
    // Group commit, as for snapshots: the first caller is evaluated at once, callers arriving
    // meanwhile share the next batch (one transaction, a fixed number of statements).
    return new Promise((resolve, reject) => {
      this.pending.push({ hostId, parsed, collectedAt, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        // One evaluation per host per batch: a host's second snapshot must see the first's result.
        const batch: Pending[] = [];
        const rest: Pending[] = [];
        const hosts = new Set<string>();
        for (const p of this.pending) {
          if (batch.length < MAX_BATCH && !hosts.has(p.hostId)) {
            hosts.add(p.hostId);
            batch.push(p);
          } else rest.push(p);
        }
        this.pending = rest;
        await this.flush(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    let results: (FindingsUpdate | null | undefined)[];
    try {
      results = await this.evaluateBatch(batch);
    } catch (error) {
      // One bad item (its host was deleted) must not cost the others their update.
      if (batch.length === 1) return (batch[0] as Pending).reject(error);
      for (const p of batch) await this.flush([p]);
      return;
    }
    for (const [i, p] of batch.entries()) {
      const r = results[i];
      if (r !== undefined) {
        p.resolve(r);
        continue;
      }
      // No stored window yet: start it from the decoded snapshots, once, on its own.
      await this.evaluateAlone(p).then(p.resolve, p.reject);
    }
  }

  /** Per item: the update, null (a backfill: skipped) or undefined (no window: evaluate alone). */
  private evaluateBatch(batch: readonly Pending[]): Promise<(FindingsUpdate | null | undefined)[]> {
    const { windowPoints, windowSeconds } = this.options;
    const sinceOf = (p: Pending) => new Date(p.collectedAt.getTime() - windowSeconds * 1000);
    return this.prisma.$transaction(async (tx) => {
      await lockHosts(
        tx,
        batch.map((p) => p.hostId),
      );
      const state = await readState(
        tx,
        batch.map((p) => ({ hostId: p.hostId, since: sinceOf(p), before: p.collectedAt })),
        windowPoints - 1,
      );
      const writes: BatchWrites & {
        opened: BatchWrites['opened'][number][];
        changed: BatchWrites['changed'][number][];
        latest: BatchWrites['latest'][number][];
        points: BatchWrites['points'][number][];
        trim: BatchWrites['trim'][number][];
      } = { opened: [], changed: [], latest: [], points: [], trim: [], keepPoints: windowPoints };
      const results = batch.map((p) => {
        const { hostId, parsed, collectedAt } = p;
        const latest = state.latest.get(hostId);
        if (latest && collectedAt < latest) return null;
        const stored = state.window.get(hostId);
        if (stored === undefined) return undefined;
        const window = stored.map(fromCompactPoint);
        const now = seriesPointFromSnapshot(parsed, { at: collectedAt });
        if (now) window.push(now);
        const candidates = snapshotCandidates(
          { at: collectedAt, snapshotFindings: diagnoseSnapshot(parsed).findings, window },
          this.options,
        );
        const active = state.open.get(hostId) ?? [];
        const update = reconcileFindings(
          active,
          candidates,
          collectedAt,
          ALL_FINDING_KINDS,
          this.options,
        );
        const loaded = new Map(active.map((f) => [fingerprintOf(hostId, f), f]));
        for (const f of update.opened) writes.opened.push({ hostId, finding: f });
        for (const f of update.updated) {
          const was = loaded.get(fingerprintOf(hostId, f));
          // Passed through or refreshed to the same values: most evaluations change nothing.
          if (was === f || (was !== undefined && sameFinding(was, f))) continue;
          writes.changed.push({ hostId, finding: f, endedAt: null });
        }
        for (const f of update.closed)
          writes.changed.push({ hostId, finding: f, endedAt: f.endedAt });
        writes.latest.push({ hostId, data: hostLatestOf(parsed, collectedAt) });
        if (now) writes.points.push({ hostId, collectedAt, point: toCompactPoint(now) });
        writes.trim.push({ hostId, keepSince: sinceOf(p) });
        return update;
      });
      await writeBatch(tx, writes);
      return results;
    });
  }

  /** One evaluation in its own transaction: the path of a host without stored window points. */
  private async evaluateAlone(p: Pending): Promise<FindingsUpdate | null> {
    const { hostId, parsed, collectedAt } = p;
    const latest = await this.findings.latestEvaluatedAt(hostId);
    if (latest && collectedAt < latest) return null;
    const { window, added } = await this.window(hostId, parsed, collectedAt);
    const candidates = snapshotCandidates(
      { at: collectedAt, snapshotFindings: diagnoseSnapshot(parsed).findings, window },
      this.options,
    );
    const { windowPoints, windowSeconds } = this.options;
    return this.findings.evaluate(
      hostId,
      (active) =>
        reconcileFindings(active, candidates, collectedAt, ALL_FINDING_KINDS, this.options),
      {
        latest: hostLatestOf(parsed, collectedAt),
        window: {
          points: added.map((p) => ({ collectedAt: p.at, point: toCompactPoint(p) })),
          keepPoints: windowPoints,
          keepSince: new Date(collectedAt.getTime() - windowSeconds * 1000),
        },
      },
    );
  }

  /** After a failed collection was recorded on the host (pass the HostRecord it returned). */
  afterCollectionFailure(
    host: Pick<HostRecord, 'id' | 'consecutiveFailures' | 'state' | 'lastError'>,
    at: Date,
  ): Promise<FindingsUpdate> {
    return this.findings.evaluate(host.id, (active) =>
      evaluateCollectionFailure(
        active,
        {
          at,
          consecutiveFailures: host.consecutiveFailures,
          state: host.state,
          lastError: host.lastError,
        },
        this.options,
      ),
    );
  }

  /**
   * The recent points, oldest first, ending with the new snapshot; and the points to add to the
   * stored window. Read from the compact window rows; a host without any (first evaluation, or
   * history from before findings existed) starts from its decoded snapshots, once.
   */
  private async window(
    hostId: string,
    parsed: ParsedSnapshot,
    at: Date,
  ): Promise<{ window: SeriesPoint[]; added: SeriesPoint[] }> {
    const { windowPoints, windowSeconds } = this.options;
    const since = new Date(at.getTime() - windowSeconds * 1000);
    const stored = await readWindow(this.prisma, hostId, {
      since,
      before: at,
      limit: windowPoints - 1,
    });
    if (stored.length > 0) {
      const now = seriesPointFromSnapshot(parsed, { at });
      const window = stored.map(fromCompactPoint);
      if (now) window.push(now);
      return { window, added: now ? [now] : [] };
    }
    // The (host_id, collected_at) unique index finds where the newest windowPoints begin.
    const rows = await this.prisma.$queryRaw<{ collected_at: Date }[]>`
      SELECT collected_at FROM snapshot
      WHERE host_id = ${hostId}::uuid AND collected_at <= ${at} AND collected_at >= ${since}
      ORDER BY collected_at DESC OFFSET ${windowPoints - 1} LIMIT 1`;
    const from = rows[0]?.collected_at ?? since;
    const details = await this.snapshots.getRange(hostId, { from, to: at, limit: windowPoints });
    const window: SeriesPoint[] = [];
    for (const d of details) {
      const p = seriesPointFromSnapshot(asParsed(d));
      if (p) window.push(p);
    }
    return { window, added: window };
  }
}

/** A stored snapshot as the trend code reads it: ps is not needed for series points. */
function asParsed(d: SnapshotDetail): ParsedSnapshot {
  return {
    collectedAt: d.summary.collectedAt,
    pageSize: d.pageSize,
    meminfo: d.meminfo,
    slabinfo: d.slabinfo,
    buddyinfo: d.buddyinfo,
    zoneinfo: d.zoneinfo,
    pagetypeinfo: d.pagetypeinfo,
    vmstat: d.vmstat,
    tunables: d.tunables,
    ps: { kind: 'unavailable', reason: 'not kept in stored snapshots' },
  };
}
