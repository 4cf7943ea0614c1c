import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { HostNotFoundError } from '../errors';
import { isUuid } from '../prisma-errors';
import { KEYFRAME_INTERVAL, encodeSnapshot, toSnapshotContent, type FlatFrame } from './codec';
import { CodecStateCache, type HostCodecState } from './codec-state';
import { snapshotColumns, type SnapshotColumns } from './snapshot-columns';
import type { IngestResult, SnapshotIngestItem } from './snapshot.types';

type Tx = Prisma.TransactionClient;

interface NewRow extends SnapshotColumns {
  readonly hostId: string;
  readonly seq: number;
  readonly keyframe: boolean;
  readonly collectedAt: Date;
  readonly receivedAt: Date;
  readonly payload: Uint8Array;
  readonly frame: FlatFrame;
}

/** Key of the advisory lock that serialises ingest per host (delta chains need a total order). */
const LOCK_NAMESPACE = 7_312_012;

/**
 * Writes snapshots: one transaction per batch, so a snapshot is stored whole or not at all.
 * Per host, under an advisory lock: skip those already stored (same collectedAt), encode the
 * rest as deltas of the host's previous row, append new dictionary entries, insert with one
 * multi-row INSERT ... SELECT FROM unnest(...).
 */
export class SnapshotIngester {
  private readonly cache = new CodecStateCache();
  /** One batch at a time per process: the cached codec states are shared and mutable. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly prisma: PrismaClient) {}

  ingestMany(items: readonly SnapshotIngestItem[]): Promise<IngestResult[]> {
    const run = this.queue.then(() => this.write(items));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(items: readonly SnapshotIngestItem[]): Promise<IngestResult[]> {
    if (items.length === 0) return [];
    const hostIds = [...new Set(items.map((i) => i.hostId))].sort();
    const bad = hostIds.find((id) => !isUuid(id));
    if (bad !== undefined) throw new HostNotFoundError(bad);
    let touched = new Map<string, HostCodecState>();
    const savedSizes = new Map<string, number>();
    try {
      const { results, rows } = await this.prisma.$transaction(
        async (tx) => {
          await lockHosts(tx, hostIds);
          touched = await this.cache.load(tx, hostIds);
          for (const [id, s] of touched) savedSizes.set(id, s.dict.size);
          const existing = await existingSnapshots(tx, items);
          const plan = planRows(items, existing, touched);
          await saveDictionaries(tx, touched, savedSizes);
          const ids = await insertRows(tx, plan.rows);
          return {
            results: plan.results.map((r) => r(ids)),
            rows: plan.rows.map((row, i) => ({ row, id: ids[i] as bigint })),
          };
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
      for (const [hostId, state] of touched) this.cache.set(hostId, state);
      for (const { row, id } of rows) {
        const state = touched.get(row.hostId);
        if (state && (state.last === null || row.seq > state.last.seq))
          state.last = { id, seq: row.seq, frame: row.frame };
      }
      return results;
    } catch (err) {
      // Entries interned by the rolled-back batch were never saved: forget them.
      for (const [hostId, state] of touched) state.dict.truncate(savedSizes.get(hostId) ?? 0);
      throw err;
    }
  }
}

async function lockHosts(tx: Tx, hostIds: readonly string[]): Promise<void> {
  // Sorted ids: two batches that share hosts lock them in the same order and cannot deadlock.
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, hashtext(h)) FROM unnest(${hostIds}::text[]) AS h`;
  const found = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM host WHERE id = ANY(${hostIds}::uuid[])`;
  const known = new Set(found.map((r) => r.id));
  const missing = hostIds.find((id) => !known.has(id));
  if (missing !== undefined) throw new HostNotFoundError(missing);
}

const keyOf = (hostId: string, at: Date): string => `${hostId}|${at.getTime()}`;
const collectedAtOf = (i: SnapshotIngestItem): Date =>
  new Date(Math.floor((i.parsed.collectedAt ?? i.receivedAt).getTime()));

/** Snapshots already stored for these (host, collectedAt) pairs, by keyOf. */
async function existingSnapshots(
  tx: Tx,
  items: readonly SnapshotIngestItem[],
): Promise<Map<string, bigint>> {
  const rows = await tx.$queryRaw<{ host_id: string; collected_at: Date; id: bigint }[]>`
    SELECT s.host_id::text, s.collected_at, s.id FROM snapshot s
    JOIN unnest(${items.map((i) => i.hostId)}::uuid[], ${items.map(collectedAtOf)}::timestamptz[]) AS k(host_id, collected_at)
      ON s.host_id = k.host_id AND s.collected_at = k.collected_at`;
  return new Map(rows.map((r) => [keyOf(r.host_id, r.collected_at), r.id]));
}

/** Encodes the new snapshots in input order; results resolve once row ids are known. */
function planRows(
  items: readonly SnapshotIngestItem[],
  existing: ReadonlyMap<string, bigint>,
  states: ReadonlyMap<string, HostCodecState>,
): { rows: NewRow[]; results: ((ids: readonly bigint[]) => IngestResult)[] } {
  const rows: NewRow[] = [];
  const results: ((ids: readonly bigint[]) => IngestResult)[] = [];
  const inBatch = new Map<string, number>();
  const tail = new Map<string, { seq: number; frame: FlatFrame } | null>();
  for (const item of items) {
    const collectedAt = collectedAtOf(item);
    const key = keyOf(item.hostId, collectedAt);
    const stored = existing.get(key);
    const earlier = inBatch.get(key);
    if (stored !== undefined) {
      results.push(() => ({ snapshotId: stored.toString(), created: false, collectedAt }));
      continue;
    }
    if (earlier !== undefined) {
      results.push((ids) => ({ snapshotId: String(ids[earlier]), created: false, collectedAt }));
      continue;
    }
    const state = states.get(item.hostId) as HostCodecState;
    const prev = tail.has(item.hostId) ? tail.get(item.hostId) : state.last;
    const seq = prev ? prev.seq + 1 : 0;
    const content = toSnapshotContent(item.parsed);
    const base = prev && seq % KEYFRAME_INTERVAL !== 0 ? prev.frame : null;
    const encoded = encodeSnapshot(content, state.dict, base);
    const index = rows.length;
    rows.push({
      hostId: item.hostId,
      seq,
      keyframe: encoded.keyframe,
      collectedAt,
      receivedAt: item.receivedAt,
      payload: encoded.payload,
      frame: encoded.frame,
      ...snapshotColumns(content),
    });
    tail.set(item.hostId, { seq, frame: encoded.frame });
    inBatch.set(key, index);
    results.push((ids) => ({ snapshotId: String(ids[index]), created: true, collectedAt }));
  }
  return { rows, results };
}

async function saveDictionaries(
  tx: Tx,
  states: ReadonlyMap<string, HostCodecState>,
  saved: ReadonlyMap<string, number>,
): Promise<void> {
  const grown = [...states].filter(([hostId, s]) => s.dict.size > (saved.get(hostId) ?? 0));
  if (grown.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO snapshot_dictionary (host_id, size, entries)
    SELECT * FROM unnest(${grown.map(([id]) => id)}::uuid[], ${grown.map(([, s]) => s.dict.size)}::int[],
                         ${grown.map(([, s]) => s.dict.toBytes())}::bytea[])
    ON CONFLICT (host_id) DO UPDATE SET size = EXCLUDED.size, entries = EXCLUDED.entries`;
}

/** One INSERT for the whole batch; returns ids in row order. */
async function insertRows(tx: Tx, rows: readonly NewRow[]): Promise<bigint[]> {
  if (rows.length === 0) return [];
  const col = <T>(f: (r: NewRow) => T): T[] => rows.map(f);
  const inserted = await tx.$queryRaw<{ id: bigint; host_id: string; seq: number }[]>`
    INSERT INTO snapshot (host_id, seq, keyframe, collected_at, received_at, payload, missing_sections,
      mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes, slab_bytes,
      process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall, compact_fail,
      frag_unusable_order4, frag_max_free_order)
    SELECT host_id, seq, keyframe, collected_at, received_at, payload, missing_sections,
      mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes, slab_bytes,
      process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall, compact_fail,
      frag_unusable_order4, frag_max_free_order
    FROM unnest(
      ${col((r) => r.hostId)}::uuid[], ${col((r) => r.seq)}::int[], ${col((r) => r.keyframe)}::bool[],
      ${col((r) => r.collectedAt)}::timestamptz[], ${col((r) => r.receivedAt)}::timestamptz[],
      ${col((r) => r.payload)}::bytea[], ${col((r) => r.missingSections)}::smallint[],
      ${col((r) => r.memTotalBytes)}::bigint[], ${col((r) => r.memAvailableBytes)}::bigint[],
      ${col((r) => r.sReclaimableBytes)}::bigint[], ${col((r) => r.sUnreclaimBytes)}::bigint[],
      ${col((r) => r.slabBytes)}::bigint[], ${col((r) => r.processRssBytes)}::bigint[],
      ${col((r) => r.processCount)}::int[], ${col((r) => r.dropSlab)}::bigint[],
      ${col((r) => r.dropPagecache)}::bigint[], ${col((r) => r.compactStall)}::bigint[],
      ${col((r) => r.compactFail)}::bigint[], ${col((r) => r.fragUnusableOrder4)}::real[],
      ${col((r) => r.fragMaxFreeOrder)}::smallint[]
    ) AS v(host_id, seq, keyframe, collected_at, received_at, payload, missing_sections,
      mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes, slab_bytes,
      process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall, compact_fail,
      frag_unusable_order4, frag_max_free_order)
    RETURNING id, host_id::text, seq`;
  // (host_id, seq) is unique: match ids to rows without relying on RETURNING order.
  const idBy = new Map(inserted.map((r) => [`${r.host_id}|${r.seq}`, r.id]));
  return rows.map((r) => idBy.get(`${r.hostId}|${r.seq}`) as bigint);
}
