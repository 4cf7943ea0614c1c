import type { PrismaClient } from '../generated/prisma/client';
import type { SectionSelection } from '../snapshots/codec';
import { isUuid } from '../prisma-errors';
import { decodeRows } from './chain-decode';
import { DecodedCache } from './decoded-cache';
import type { ColumnPoint, DecodedSnapshot, MemoryBucket, SeriesRange } from './series.types';

/** Column points are cheap, but a range still has to end somewhere: a year of 1-min snapshots. */
export const MAX_COLUMN_POINTS = 600_000;

/**
 * Section-selective decodes kept per repository (about 40 KB each with slabinfo): a few hosts'
 * month-long samples, so repeated trend reads skip reading and walking their chains.
 */
export const DECODED_CACHE_ENTRIES = 1024;

interface MemoryRow {
  start: Date;
  snapshots: number;
  mem_total: number | null;
  used: number | null;
  available: number | null;
  min_available: number | null;
  s_reclaimable: number | null;
  s_unreclaim: number | null;
  slab: number | null;
  rss: number | null;
  unexplained: number | null;
}

/**
 * Per-host series over time. Reads the derived columns with SQL (time buckets, nearest row) and
 * decodes payloads only for the few snapshots a chart or an analysis needs.
 */
export class PrismaSeriesRepository {
  private readonly decodedCache = new DecodedCache(DECODED_CACHE_ENTRIES);

  constructor(private readonly prisma: PrismaClient) {}

  /** Averages of the memory columns per bucket of `bucketSeconds`, oldest first; empty buckets are absent. */
  async memoryBuckets(
    hostId: string,
    range: SeriesRange,
    bucketSeconds: number,
  ): Promise<MemoryBucket[]> {
    if (!isUuid(hostId)) return [];
    const rows = await this.prisma.$queryRaw<MemoryRow[]>`
      SELECT date_bin(make_interval(secs => ${bucketSeconds}::float8), collected_at,
                      ${range.from}::timestamptz) AS start,
        count(*)::int AS snapshots,
        avg(mem_total_bytes)::float8 AS mem_total,
        avg(mem_total_bytes - mem_available_bytes)::float8 AS used,
        avg(mem_available_bytes)::float8 AS available,
        min(mem_available_bytes)::float8 AS min_available,
        avg(s_reclaimable_bytes)::float8 AS s_reclaimable,
        avg(s_unreclaim_bytes)::float8 AS s_unreclaim,
        avg(slab_bytes)::float8 AS slab,
        avg(process_rss_bytes)::float8 AS rss,
        avg(mem_total_bytes - mem_available_bytes - process_rss_bytes - s_unreclaim_bytes)::float8
          AS unexplained
      FROM snapshot
      WHERE host_id = ${hostId}::uuid
        AND collected_at >= ${range.from}::timestamptz AND collected_at <= ${range.to}::timestamptz
      GROUP BY 1 ORDER BY 1`;
    const round = (v: number | null) => (v === null ? null : Math.round(v));
    return rows.map((r) => ({
      start: r.start,
      snapshots: r.snapshots,
      memTotalBytes: round(r.mem_total),
      usedBytes: round(r.used),
      availableBytes: round(r.available),
      minAvailableBytes: round(r.min_available),
      slabReclaimableBytes: round(r.s_reclaimable),
      slabUnreclaimableBytes: round(r.s_unreclaim),
      slabBytes: round(r.slab),
      processRssBytes: round(r.rss),
      unexplainedBytes: round(r.unexplained),
    }));
  }

  /**
   * The derived columns of every snapshot in range, oldest first (at most MAX_COLUMN_POINTS).
   * The rows travel as one text, `;` between rows and `,` between fields (empty: null): for
   * thousands of rows that is several times faster than the driver's per-row, per-column
   * conversion, and a third cheaper for Postgres to build than JSON. Every field is an integer
   * printed exactly (counters can pass 2^53: they become bigint).
   */
  async columnPoints(hostId: string, range: SeriesRange): Promise<ColumnPoint[]> {
    if (!isUuid(hostId)) return [];
    const [result] = await this.prisma.$queryRaw<{ rows: string | null }[]>`
      SELECT string_agg(concat_ws(',', seq, (extract(epoch FROM collected_at) * 1000)::bigint,
          coalesce(mem_total_bytes::text, ''), coalesce(mem_available_bytes::text, ''),
          coalesce(s_reclaimable_bytes::text, ''), coalesce(s_unreclaim_bytes::text, ''),
          coalesce(slab_bytes::text, ''), coalesce(process_rss_bytes::text, ''),
          coalesce(drop_slab::text, ''), coalesce(drop_pagecache::text, ''),
          coalesce(compact_stall::text, ''), coalesce(compact_fail::text, '')),
        ';' ORDER BY collected_at) AS rows
      FROM (
        SELECT * FROM snapshot
        WHERE host_id = ${hostId}::uuid
          AND collected_at >= ${range.from}::timestamptz AND collected_at <= ${range.to}::timestamptz
        ORDER BY collected_at LIMIT ${MAX_COLUMN_POINTS}
      ) s`;
    const text = result?.rows;
    if (!text) return [];
    const num = (v: string | undefined): number | null => (v ? Number(v) : null);
    const big = (v: string | undefined): bigint | null => (v ? BigInt(v) : null);
    return text.split(';').map((row) => {
      const r = row.split(',');
      return {
        seq: Number(r[0]),
        collectedAt: new Date(Number(r[1])),
        memTotalBytes: num(r[2]),
        memAvailableBytes: num(r[3]),
        sReclaimableBytes: num(r[4]),
        sUnreclaimBytes: num(r[5]),
        slabBytes: num(r[6]),
        processRssBytes: num(r[7]),
        dropSlab: big(r[8]),
        dropPagecache: big(r[9]),
        compactStall: big(r[10]),
        compactFail: big(r[11]),
      };
    });
  }

  /**
   * One decoded snapshot per bucket of `bucketSeconds` (every snapshot when 0), oldest first.
   * Within a bucket the snapshot closest to its chain's keyframe is taken (ties: the latest), so
   * a downsampled month decodes a few frames per point, not the whole delta chain. With
   * `select`, only those sections are rebuilt (see decodeRows).
   */
  async sampled(
    hostId: string,
    range: SeriesRange,
    bucketSeconds: number,
    select?: SectionSelection,
  ): Promise<DecodedSnapshot[]> {
    if (!isUuid(hostId)) return [];
    const rows = await this.prisma.$queryRaw<
      { id: bigint; seq: number; collected_at: Date; kf: number | null }[]
    >`
      WITH r AS (
        SELECT id, seq, collected_at,
          CASE WHEN ${bucketSeconds}::float8 > 0
            THEN date_bin(make_interval(secs => ${bucketSeconds}::float8), collected_at,
                          ${range.from}::timestamptz)
            ELSE collected_at END AS b,
          max(seq) FILTER (WHERE keyframe) OVER (ORDER BY seq) AS kf
        FROM snapshot
        WHERE host_id = ${hostId}::uuid
          AND collected_at >= ${range.from}::timestamptz AND collected_at <= ${range.to}::timestamptz
      )
      SELECT DISTINCT ON (b) id, seq, collected_at, kf FROM r
      ORDER BY b, (seq - coalesce(kf, -1000000)), collected_at DESC`;
    return decodeRows(
      this.prisma,
      hostId,
      rows.map((r) => ({ id: r.id, seq: r.seq, collectedAt: r.collected_at, keyframeSeq: r.kf })),
      select,
      this.decodedCache,
    );
  }

  /** Specific snapshots by seq (e.g. both sides of a drop), decoded, oldest first. */
  async decodeSeqs(
    hostId: string,
    seqs: readonly number[],
    select?: SectionSelection,
  ): Promise<DecodedSnapshot[]> {
    if (!isUuid(hostId) || seqs.length === 0) return [];
    // Each row with its chain's keyframe, in one round trip.
    const rows = await this.prisma.$queryRaw<
      { id: bigint; seq: number; collected_at: Date; kf: number | null }[]
    >`
      SELECT s.id, s.seq, s.collected_at,
        (SELECT max(k.seq) FROM snapshot k
          WHERE k.host_id = s.host_id AND k.keyframe AND k.seq <= s.seq) AS kf
      FROM snapshot s
      WHERE s.host_id = ${hostId}::uuid AND s.seq = ANY(${[...new Set(seqs)]}::int[])`;
    return decodeRows(
      this.prisma,
      hostId,
      rows.map((r) => ({ id: r.id, seq: r.seq, collectedAt: r.collected_at, keyframeSeq: r.kf })),
      select,
      this.decodedCache,
    );
  }

  /** The snapshot collected nearest `at` (the latest when `at` is absent); null when the host has none. */
  async nearest(hostId: string, at?: Date): Promise<DecodedSnapshot | null> {
    if (!isUuid(hostId)) return null;
    const rows = at
      ? await this.prisma.$queryRaw<{ seq: number }[]>`
          SELECT seq FROM (
            (SELECT seq, collected_at FROM snapshot WHERE host_id = ${hostId}::uuid
               AND collected_at <= ${at}::timestamptz ORDER BY collected_at DESC LIMIT 1)
            UNION ALL
            (SELECT seq, collected_at FROM snapshot WHERE host_id = ${hostId}::uuid
               AND collected_at > ${at}::timestamptz ORDER BY collected_at ASC LIMIT 1)
          ) c ORDER BY abs(extract(epoch FROM c.collected_at - ${at}::timestamptz)), c.collected_at
          LIMIT 1`
      : await this.prisma.$queryRaw<{ seq: number }[]>`
          SELECT seq FROM snapshot WHERE host_id = ${hostId}::uuid
          ORDER BY collected_at DESC LIMIT 1`;
    const [row] = rows;
    if (!row) return null;
    const [decoded] = await this.decodeSeqs(hostId, [row.seq]);
    return decoded ?? null;
  }
}
