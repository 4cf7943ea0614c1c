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
import { hostLatestOf } from './host-latest';
import { PrismaFindingRepository, readWindow } from './prisma-finding.repository';

/**
 * Keeps each host's findings current: called once after every stored snapshot (API push and
 * worker) and after every failed collection. The cost is bounded: the detectors see at most
 * windowPoints snapshots of the last windowSeconds, never the host's whole history.
 */
export class FindingsUpdater {
  private readonly findings: PrismaFindingRepository;
  private readonly options: FindingsEngineOptions;

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
  async afterIngest(
    hostId: string,
    parsed: ParsedSnapshot,
    collectedAt: Date,
  ): Promise<FindingsUpdate | null> {
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
