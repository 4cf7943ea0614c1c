import type {
  ActiveFinding,
  CompactPoint,
  Evidence,
  FindingKind,
  FindingsUpdate,
} from '@memfleet/analysis';
import type { Finding as FindingRow, Prisma, PrismaClient } from '../generated/prisma/client';
import { isUuid } from '../prisma-errors';
import type { HostLatestData } from './host-latest';
import type { FindingRangeQuery, StoredFinding } from './finding.types';

type Tx = Prisma.TransactionClient;

/** At most one open finding per (host, kind, subject): the unique key holds it while open. */
const fingerprintOf = (hostId: string, f: { kind: string; subject: string }): string =>
  `${hostId}:${f.kind}:${f.subject}`;

/** Findings of one host over time, written by FindingsUpdater, read by the API. */
export class PrismaFindingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Findings active at any time in [from, to], most severe first, then newest. */
  async listForHost(hostId: string, q: FindingRangeQuery): Promise<StoredFinding[]> {
    if (!isUuid(hostId)) return [];
    const rows = await this.prisma.finding.findMany({
      where: {
        hostId,
        startedAt: { lte: q.to },
        OR: [{ endedAt: null }, { endedAt: { gte: q.from } }],
        ...(q.kinds?.length ? { kind: { in: [...q.kinds] } } : {}),
      },
      orderBy: [{ severity: 'desc' }, { startedAt: 'desc' }, { id: 'asc' }],
      take: 1000,
    });
    return rows.map(toStored);
  }

  /** When the newest evaluated snapshot of the host was collected (null: none yet). */
  async latestEvaluatedAt(hostId: string): Promise<Date | null> {
    const row = await this.prisma.hostLatest.findUnique({
      where: { hostId },
      select: { collectedAt: true },
    });
    return row?.collectedAt ?? null;
  }

  /**
   * One evaluation, in one transaction under a per-host lock: loads the open findings, lets
   * `decide` (the pure engine) compute the update, writes it, and refreshes the host's latest row.
   * Two evaluations of one host (API push and worker, or two workers) never interleave.
   */
  async evaluate(
    hostId: string,
    decide: (active: readonly ActiveFinding[]) => FindingsUpdate,
    writes: EvaluationWrites = {},
  ): Promise<FindingsUpdate> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('finding:' || ${hostId}))`;
      const rows = await tx.finding.findMany({ where: { hostId, endedAt: null } });
      const loaded = rows.map(toActive);
      const update = decide(loaded);
      const idOf = new Map(rows.map((r, i) => [loaded[i] as ActiveFinding, r.id]));
      for (const f of update.opened) {
        await tx.finding.create({
          data: {
            hostId,
            ...fields(f),
            startedAt: f.startedAt,
            fingerprint: fingerprintOf(hostId, f),
          },
        });
      }
      for (const f of update.updated) {
        const id = idOf.get(f);
        // Passed through unchanged (out of the evaluation's scope): nothing to write.
        if (id !== undefined) continue;
        await tx.finding.update({
          where: { fingerprint: fingerprintOf(hostId, f) },
          data: fields(f),
        });
      }
      for (const f of update.closed) {
        await tx.finding.update({
          where: { fingerprint: fingerprintOf(hostId, f) },
          data: { ...fields(f), endedAt: f.endedAt, fingerprint: null },
        });
      }
      if (writes.latest) await writeLatest(tx, hostId, writes.latest);
      if (writes.window) await writeWindow(tx, hostId, writes.window);
      return update;
    });
  }
}

/** Rows an evaluation refreshes with the findings, in the same transaction. */
export interface EvaluationWrites {
  readonly latest?: HostLatestData;
  /** New window points (compact JSON), and the bound the window is trimmed to. */
  readonly window?: {
    readonly points: readonly { readonly collectedAt: Date; readonly point: CompactPoint }[];
    readonly keepPoints: number;
    readonly keepSince: Date;
  };
}

/** Window rows are read newest first by (host_id, collected_at), the primary key. */
export async function readWindow(
  prisma: PrismaClient,
  hostId: string,
  q: { since: Date; before: Date; limit: number },
): Promise<CompactPoint[]> {
  // As text, parsed here: Prisma's own JSON result handling costs ~10x JSON.parse on 100 rows.
  const rows = await prisma.$queryRaw<{ p: string }[]>`
    SELECT point::text AS p FROM finding_window_point
    WHERE host_id = ${hostId}::uuid AND collected_at >= ${q.since} AND collected_at < ${q.before}
    ORDER BY collected_at DESC LIMIT ${q.limit}`;
  return rows.map((r) => JSON.parse(r.p) as CompactPoint).reverse();
}

async function writeWindow(
  tx: Tx,
  hostId: string,
  w: NonNullable<EvaluationWrites['window']>,
): Promise<void> {
  await tx.findingWindowPoint.createMany({
    data: w.points.map((p) => ({
      hostId,
      collectedAt: p.collectedAt,
      point: p.point as unknown as Prisma.InputJsonValue,
    })),
    skipDuplicates: true,
  });
  // Bounded: older than the window, or beyond its newest keepPoints.
  await tx.$executeRaw`
    DELETE FROM finding_window_point
    WHERE host_id = ${hostId}::uuid
      AND (collected_at < ${w.keepSince} OR collected_at < (
        SELECT collected_at FROM finding_window_point WHERE host_id = ${hostId}::uuid
        ORDER BY collected_at DESC OFFSET ${w.keepPoints - 1} LIMIT 1))`;
}

function fields(f: ActiveFinding) {
  return {
    kind: f.kind,
    severity: f.severity,
    subject: f.subject,
    summary: f.summary,
    advice: f.advice,
    evidence: f.evidence as unknown as Prisma.InputJsonValue,
    lastSeenAt: f.lastSeenAt,
    clearedAt: f.clearedAt,
    misses: f.misses,
  };
}

async function writeLatest(tx: Tx, hostId: string, l: HostLatestData): Promise<void> {
  const tunables = l.tunables === null ? undefined : (l.tunables as Prisma.InputJsonValue);
  await tx.hostLatest.upsert({
    where: { hostId },
    create: { hostId, collectedAt: l.collectedAt, ...(tunables ? { tunables } : {}) },
    // A snapshot without tunables (sysctl unreadable) keeps the last known ones.
    update: { collectedAt: l.collectedAt, ...(tunables ? { tunables } : {}) },
  });
  if (l.zones === null) return;
  await tx.hostZoneLatest.deleteMany({ where: { hostId } });
  await tx.hostZoneLatest.createMany({
    data: l.zones.map((z) => ({
      hostId,
      node: z.node,
      zone: z.zone,
      collectedAt: l.collectedAt,
      unusable: [...z.unusable],
      freeBytes: BigInt(z.freeBytes),
    })),
  });
}

function toActive(r: FindingRow): ActiveFinding {
  return {
    kind: r.kind as FindingKind,
    severity: r.severity,
    subject: r.subject,
    summary: r.summary,
    advice: r.advice,
    evidence: r.evidence as unknown as Evidence[],
    startedAt: r.startedAt,
    lastSeenAt: r.lastSeenAt,
    misses: r.misses,
    clearedAt: r.clearedAt,
  };
}

function toStored(r: FindingRow): StoredFinding {
  return {
    id: r.id.toString(),
    hostId: r.hostId,
    kind: r.kind as FindingKind,
    severity: r.severity,
    subject: r.subject,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    lastSeenAt: r.lastSeenAt,
    summary: r.summary,
    advice: r.advice,
    evidence: r.evidence as unknown as Evidence[],
  };
}
