import {
  ALL_FINDING_KINDS,
  DEFAULT_FINDINGS_ENGINE_OPTIONS,
  diagnoseSnapshot,
  evaluateCollectionFailure,
  reconcileFindings,
  seriesPointFromSnapshot,
  snapshotCandidates,
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
import { PrismaFindingRepository } from './prisma-finding.repository';

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
    const window = await this.window(hostId, collectedAt);
    const candidates = snapshotCandidates(
      { at: collectedAt, snapshotFindings: diagnoseSnapshot(parsed).findings, window },
      this.options,
    );
    return this.findings.evaluate(
      hostId,
      (active) =>
        reconcileFindings(active, candidates, collectedAt, ALL_FINDING_KINDS, this.options),
      hostLatestOf(parsed, collectedAt),
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

  /** The newest windowPoints snapshots of the last windowSeconds up to `at`, as series points. */
  private async window(hostId: string, at: Date): Promise<SeriesPoint[]> {
    const { windowPoints, windowSeconds } = this.options;
    const oldest = new Date(at.getTime() - windowSeconds * 1000);
    // The (host_id, collected_at) unique index answers this without reading payloads.
    const rows = await this.prisma.$queryRaw<{ collected_at: Date }[]>`
      SELECT collected_at FROM snapshot
      WHERE host_id = ${hostId}::uuid AND collected_at <= ${at} AND collected_at >= ${oldest}
      ORDER BY collected_at DESC OFFSET ${windowPoints - 1} LIMIT 1`;
    const from = rows[0]?.collected_at ?? oldest;
    const details = await this.snapshots.getRange(hostId, { from, to: at, limit: windowPoints });
    const points: SeriesPoint[] = [];
    for (const d of details) {
      const p = seriesPointFromSnapshot(asParsed(d));
      if (p) points.push(p);
    }
    return points;
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
