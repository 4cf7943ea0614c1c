import type { ParsedSnapshot } from '@memfleet/procfs';
import type { PrismaClient, Snapshot } from '../generated/prisma/client';
import { InvalidCursorError, SnapshotNotFoundError } from '../errors';
import { isUuid } from '../prisma-errors';
import { KeyDictionary, decodeSnapshot, missingSectionNames } from './codec';
import { readChain } from './codec-state';
import { SnapshotIngester } from './snapshot-ingest';
import type {
  IngestResult,
  SnapshotDetail,
  SnapshotIngestItem,
  SnapshotListQuery,
  SnapshotPage,
  SnapshotSummary,
} from './snapshot.types';

type SummaryRow = Omit<Snapshot, 'payload' | 'seq' | 'keyframe'>;
const SUMMARY_SELECT = {
  id: true,
  hostId: true,
  collectedAt: true,
  receivedAt: true,
  missingSections: true,
  memTotalBytes: true,
  memAvailableBytes: true,
  sReclaimableBytes: true,
  sUnreclaimBytes: true,
  slabBytes: true,
  processRssBytes: true,
  processCount: true,
  dropSlab: true,
  dropPagecache: true,
  compactStall: true,
  compactFail: true,
  fragUnusableOrder4: true,
  fragMaxFreeOrder: true,
} as const;

export class PrismaSnapshotRepository {
  private readonly ingester: SnapshotIngester;

  /** `cachedHosts`: hosts whose codec state (dictionary, last frame) stays in memory (500). */
  constructor(
    private readonly prisma: PrismaClient,
    options: { cachedHosts?: number } = {},
  ) {
    this.ingester = new SnapshotIngester(prisma, options.cachedHosts);
  }

  /**
   * Stores one snapshot, whole or not at all. Idempotent on (host, collectedAt): a retry returns
   * the stored id with created=false. collectedAt falls back to receivedAt when the bundle had none.
   * Throws HostNotFoundError.
   */
  async ingest(
    hostId: string,
    parsed: ParsedSnapshot,
    meta: { receivedAt: Date },
  ): Promise<IngestResult> {
    const [result] = await this.ingester.ingestMany([
      { hostId, parsed, receivedAt: meta.receivedAt },
    ]);
    return result as IngestResult;
  }

  /** Many snapshots, any hosts, in one transaction; results in input order. */
  ingestMany(items: readonly SnapshotIngestItem[]): Promise<IngestResult[]> {
    return this.ingester.ingestMany(items);
  }

  /** Summaries of a host's snapshots in [from, to], newest first unless order is 'asc'. */
  async list(hostId: string, query: SnapshotListQuery): Promise<SnapshotPage> {
    if (!isUuid(hostId)) return { items: [], total: 0, nextCursor: null };
    const desc = (query.order ?? 'desc') === 'desc';
    const range = {
      ...(query.from ? { gte: query.from } : {}),
      ...(query.to ? { lte: query.to } : {}),
    };
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const limit = Math.max(1, Math.floor(query.limit));
    const where = { hostId, collectedAt: range };
    const [rows, total] = await Promise.all([
      this.prisma.snapshot.findMany({
        where: after
          ? {
              hostId,
              AND: [{ collectedAt: range }, { collectedAt: desc ? { lt: after } : { gt: after } }],
            }
          : where,
        orderBy: { collectedAt: desc ? 'desc' : 'asc' },
        take: limit + 1,
        select: SUMMARY_SELECT,
      }),
      this.prisma.snapshot.count({ where }),
    ]);
    const items = rows.slice(0, limit).map(toSummary);
    const last = items[items.length - 1];
    return {
      items,
      total,
      nextCursor: rows.length > limit && last ? encodeCursor(last.collectedAt) : null,
    };
  }

  /** The full snapshot, decoded from its chain. Throws SnapshotNotFoundError. */
  async get(hostId: string, snapshotId: string): Promise<SnapshotDetail> {
    if (!isUuid(hostId) || !/^\d{1,19}$/.test(snapshotId))
      throw new SnapshotNotFoundError(snapshotId);
    const row = await this.prisma.snapshot.findFirst({
      where: { id: BigInt(snapshotId), hostId },
      select: { ...SUMMARY_SELECT, seq: true },
    });
    if (!row) throw new SnapshotNotFoundError(snapshotId);
    const [chain, dict] = await Promise.all([
      readChain(this.prisma, hostId, row.seq),
      this.prisma.snapshotDictionary.findUniqueOrThrow({
        where: { hostId },
        select: { entries: true },
      }),
    ]);
    const content = decodeSnapshot(chain, KeyDictionary.fromBytes(dict.entries));
    return { ...content, summary: toSummary(row) };
  }

  /**
   * Retention: deletes snapshots collected before `cutoff`, except those a kept snapshot's delta
   * chain still needs (back to its keyframe), so pruning works in steps of KEYFRAME_INTERVAL.
   * Returns the number of rows deleted.
   */
  async pruneBefore(cutoff: Date, hostId?: string): Promise<number> {
    if (hostId !== undefined && !isUuid(hostId)) return 0;
    return this.prisma.$executeRaw`
      WITH per_host AS (
        SELECT host_id, min(seq) FILTER (WHERE collected_at >= ${cutoff}) AS first_kept
        FROM snapshot WHERE (${hostId ?? null}::uuid IS NULL OR host_id = ${hostId ?? null}::uuid)
        GROUP BY host_id
      ), keep_from AS (
        SELECT p.host_id, p.first_kept,
          (SELECT max(k.seq) FROM snapshot k
            WHERE k.host_id = p.host_id AND k.keyframe AND k.seq <= p.first_kept) AS seq
        FROM per_host p
      )
      DELETE FROM snapshot s USING keep_from f
      WHERE s.host_id = f.host_id AND (f.first_kept IS NULL OR s.seq < f.seq)`;
  }
}

const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

function toSummary(r: SummaryRow): SnapshotSummary {
  return {
    id: r.id.toString(),
    hostId: r.hostId,
    collectedAt: r.collectedAt,
    receivedAt: r.receivedAt,
    missingSections: missingSectionNames(r.missingSections),
    memTotalBytes: num(r.memTotalBytes),
    memAvailableBytes: num(r.memAvailableBytes),
    sReclaimableBytes: num(r.sReclaimableBytes),
    sUnreclaimBytes: num(r.sUnreclaimBytes),
    slabBytes: num(r.slabBytes),
    processRssBytes: num(r.processRssBytes),
    processCount: r.processCount,
    dropSlab: num(r.dropSlab),
    dropPagecache: num(r.dropPagecache),
    compactStall: num(r.compactStall),
    compactFail: num(r.compactFail),
    fragUnusableOrder4: r.fragUnusableOrder4,
    fragMaxFreeOrder: r.fragMaxFreeOrder,
  };
}

const encodeCursor = (at: Date): string => Buffer.from(at.toISOString()).toString('base64url');

function decodeCursor(cursor: string): Date {
  const at = new Date(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (Number.isNaN(at.getTime()) || encodeCursor(at) !== cursor)
    throw new InvalidCursorError(cursor);
  return at;
}
