import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { HostNotFoundError } from '../errors';
import { isUuid } from '../prisma-errors';
import { CodecStateCache, type HostCodecState } from './codec-state';
import { RowPlanner, collectedAtOf, insertRows, keyOf } from './snapshot-rows';
import type { IngestResult, SnapshotIngestItem } from './snapshot.types';

type Tx = Prisma.TransactionClient;

/** Key of the advisory lock that serialises ingest per host (delta chains need a total order). */
const LOCK_NAMESPACE = 7_312_012;
/** Rows per INSERT: small enough to overlap encoding with inserting, large enough to batch. */
const INSERT_CHUNK = 100;

/**
 * Writes snapshots: one transaction per batch, so a snapshot is stored whole or not at all.
 * Per host, under an advisory lock: skip those already stored (same collectedAt), encode the
 * rest as deltas of the host's previous row, append new dictionary entries, insert with one
 * multi-row INSERT ... SELECT FROM unnest(...).
 */
export class SnapshotIngester {
  private readonly cache: CodecStateCache;
  /** One batch at a time per process: the cached codec states are shared and mutable. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    cachedHosts?: number,
  ) {
    this.cache = new CodecStateCache(cachedHosts);
  }

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
          const planner = new RowPlanner(await existingSnapshots(tx, items), touched);
          // Encode chunk k+1 while PostgreSQL inserts chunk k: encoding is CPU in this
          // process, inserting mostly happens in the server, so the two overlap.
          let inserting: Promise<void> = Promise.resolve();
          for (let i = 0; i < items.length; i += INSERT_CHUNK) {
            const rows = planner.plan(items.slice(i, i + INSERT_CHUNK));
            await inserting;
            inserting = insertRows(tx, rows).then((ids) => planner.inserted(rows, ids));
          }
          await inserting;
          await saveDictionaries(tx, touched, savedSizes);
          return { results: planner.results(), rows: planner.insertedRows() };
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
