import type { ParsedSnapshot } from '@memfleet/procfs';
import type { PrismaClient, Snapshot } from '../generated/prisma/client';
import { InvalidCursorError, SnapshotNotFoundError } from '../errors';
import { isUuid } from '../prisma-errors';
import {
  CodecError,
  KeyDictionary,
  decodeFrame,
  decodeSnapshot,
  missingSectionNames,
  unflattenContent,
  type FlatFrame,
  type SnapshotContent,
} from './codec';
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
   * Every snapshot of a host collected in [from, to], decoded, oldest first (at most `limit`,
   * capped at 2,000): what analyses over time (drops, regrowth, leaks) read. Each delta chain is
   * decoded once, so this costs far less than one get() per snapshot.
   */
  async getRange(
    hostId: string,
    query: { from?: Date; to?: Date; limit: number },
  ): Promise<SnapshotDetail[]> {
    if (!isUuid(hostId)) return [];
    const range = {
      ...(query.from ? { gte: query.from } : {}),
      ...(query.to ? { lte: query.to } : {}),
    };
    const wanted = await this.prisma.snapshot.findMany({
      where: { hostId, collectedAt: range },
      orderBy: { collectedAt: 'asc' },
      take: Math.min(2000, Math.max(1, Math.floor(query.limit))),
      select: { ...SUMMARY_SELECT, seq: true },
    });
    if (wanted.length === 0) return [];
    const seqs = wanted.map((w) => w.seq);
    const lo = Math.min(...seqs);
    const hi = Math.max(...seqs);
    const [start, dict] = await Promise.all([
      this.prisma.snapshot.findFirst({
        where: { hostId, keyframe: true, seq: { lte: lo } },
        orderBy: { seq: 'desc' },
        select: { seq: true },
      }),
      this.prisma.snapshotDictionary.findUniqueOrThrow({
        where: { hostId },
        select: { entries: true },
      }),
    ]);
    if (!start) throw new CodecError(`no keyframe before seq ${lo} of host ${hostId}`);
    const chain = await this.prisma.snapshot.findMany({
      where: { hostId, seq: { gte: start.seq, lte: hi } },
      orderBy: { seq: 'asc' },
      select: { seq: true, payload: true },
    });
    if (chain.length !== hi - start.seq + 1) {
      throw new CodecError(`snapshot chain of host ${hostId} from seq ${start.seq} is incomplete`);
    }
    const keys = KeyDictionary.fromBytes(dict.entries);
    const want = new Set(seqs);
    const contents = new Map<number, SnapshotContent>();
    let frame: FlatFrame | null = null;
    for (const link of chain) {
      frame = decodeFrame(link.payload, frame);
      if (want.has(link.seq)) contents.set(link.seq, unflattenContent(frame, keys));
    }
    return wanted.map((w) => ({
      ...(contents.get(w.seq) as SnapshotContent),
      summary: toSummary(w),
    }));
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
