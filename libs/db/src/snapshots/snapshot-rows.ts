import { Prisma } from '../generated/prisma/client';
import { KEYFRAME_INTERVAL, encodeSnapshot, toSnapshotContent, type FlatFrame } from './codec';
import type { HostCodecState } from './codec-state';
import { snapshotColumns, type SnapshotColumns } from './snapshot-columns';
import type { IngestResult, SnapshotIngestItem } from './snapshot.types';

type Tx = Prisma.TransactionClient;

export interface NewRow extends SnapshotColumns {
  readonly hostId: string;
  readonly seq: number;
  readonly keyframe: boolean;
  readonly collectedAt: Date;
  readonly receivedAt: Date;
  readonly payload: Uint8Array;
  readonly frame: FlatFrame;
}

export const keyOf = (hostId: string, at: Date): string => `${hostId}|${at.getTime()}`;

/** Millisecond precision, as the timestamptz(3) column stores it. */
export const collectedAtOf = (i: SnapshotIngestItem): Date =>
  new Date(Math.floor((i.parsed.collectedAt ?? i.receivedAt).getTime()));

/**
 * Turns a batch, chunk by chunk and in input order, into rows: each new snapshot is encoded as
 * a delta of its host's previous one (a keyframe every KEYFRAME_INTERVAL), duplicates of a
 * stored or earlier snapshot resolve to that snapshot's id.
 */
export class RowPlanner {
  private readonly pending: ((rowIds: readonly bigint[]) => IngestResult)[] = [];
  private readonly rowIds: bigint[] = [];
  private readonly rows: NewRow[] = [];
  private readonly inBatch = new Map<string, number>();
  private readonly tail = new Map<string, { seq: number; frame: FlatFrame }>();

  constructor(
    private readonly existing: ReadonlyMap<string, bigint>,
    private readonly states: ReadonlyMap<string, HostCodecState>,
  ) {}

  plan(items: readonly SnapshotIngestItem[]): NewRow[] {
    const rows: NewRow[] = [];
    for (const item of items) {
      const collectedAt = collectedAtOf(item);
      const key = keyOf(item.hostId, collectedAt);
      const stored = this.existing.get(key);
      const earlier = this.inBatch.get(key);
      if (stored !== undefined) {
        this.pending.push(() => ({ snapshotId: stored.toString(), created: false, collectedAt }));
      } else if (earlier !== undefined) {
        this.pending.push((ids) => ({
          snapshotId: String(ids[earlier]),
          created: false,
          collectedAt,
        }));
      } else {
        const row = this.encode(item, collectedAt);
        const index = this.rows.length;
        this.rows.push(row);
        rows.push(row);
        this.inBatch.set(key, index);
        this.pending.push((ids) => ({
          snapshotId: String(ids[index]),
          created: true,
          collectedAt,
        }));
      }
    }
    return rows;
  }

  private encode(item: SnapshotIngestItem, collectedAt: Date): NewRow {
    const state = this.states.get(item.hostId) as HostCodecState;
    const prev = this.tail.get(item.hostId) ?? state.last;
    const seq = prev ? prev.seq + 1 : 0;
    const content = toSnapshotContent(item.parsed);
    const base = prev && seq % KEYFRAME_INTERVAL !== 0 ? prev.frame : null;
    const encoded = encodeSnapshot(content, state.dict, base);
    this.tail.set(item.hostId, { seq, frame: encoded.frame });
    return {
      hostId: item.hostId,
      seq,
      keyframe: encoded.keyframe,
      collectedAt,
      receivedAt: item.receivedAt,
      payload: encoded.payload,
      frame: encoded.frame,
      ...snapshotColumns(content),
    };
  }

  /** Records the ids of rows returned by plan(), in the same order. */
  inserted(rows: readonly NewRow[], ids: readonly bigint[]): void {
    const first = this.rows.indexOf(rows[0] as NewRow);
    ids.forEach((id, i) => (this.rowIds[first + i] = id));
  }

  results(): IngestResult[] {
    return this.pending.map((r) => r(this.rowIds));
  }

  insertedRows(): { row: NewRow; id: bigint }[] {
    return this.rows.map((row, i) => ({ row, id: this.rowIds[i] as bigint }));
  }
}

/**
 * One column of the batch as comma-separated text ('' = NULL), expanded in SQL by
 * string_to_array(). Prisma serialises an array parameter element by element; one string per
 * column costs a third of the CPU, which matters at thousands of rows per second.
 */
function csv(
  rows: readonly NewRow[],
  f: (r: NewRow) => number | bigint | boolean | string | Date | null,
): string {
  return rows
    .map((r) => {
      const v = f(r);
      return v === null ? '' : v instanceof Date ? v.toISOString() : String(v);
    })
    .join(',');
}

/** One multi-row INSERT; returns ids in row order. Payloads travel as one blob + offsets. */
export async function insertRows(tx: Tx, rows: readonly NewRow[]): Promise<bigint[]> {
  if (rows.length === 0) return [];
  const blob = Buffer.concat(rows.map((r) => r.payload));
  const starts: number[] = [];
  let at = 1; // substring() counts from 1
  for (const r of rows) {
    starts.push(at);
    at += r.payload.length;
  }
  const col = (f: Parameters<typeof csv>[1], type: string): Prisma.Sql =>
    Prisma.sql`string_to_array(${csv(rows, f)}, ',', '')::${Prisma.raw(type)}[]`;
  const inserted = await tx.$queryRaw<{ id: bigint; host_id: string; seq: number }[]>`
    INSERT INTO snapshot (host_id, seq, keyframe, collected_at, received_at, payload, missing_sections,
      mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes, slab_bytes,
      process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall, compact_fail,
      frag_unusable_order4, frag_max_free_order)
    SELECT host_id, seq, keyframe, collected_at, received_at, substring(${blob}::bytea FROM start FOR len),
      missing_sections, mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes,
      slab_bytes, process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall,
      compact_fail, frag_unusable_order4, frag_max_free_order
    FROM unnest(
      ${col((r) => r.hostId, 'uuid')}, ${col((r) => r.seq, 'int')}, ${col((r) => r.keyframe, 'bool')},
      ${col((r) => r.collectedAt, 'timestamptz')}, ${col((r) => r.receivedAt, 'timestamptz')},
      string_to_array(${starts.join(',')}, ',')::int[], ${col((r) => r.payload.length, 'int')},
      ${col((r) => r.missingSections, 'smallint')},
      ${col((r) => r.memTotalBytes, 'bigint')}, ${col((r) => r.memAvailableBytes, 'bigint')},
      ${col((r) => r.sReclaimableBytes, 'bigint')}, ${col((r) => r.sUnreclaimBytes, 'bigint')},
      ${col((r) => r.slabBytes, 'bigint')}, ${col((r) => r.processRssBytes, 'bigint')},
      ${col((r) => r.processCount, 'int')}, ${col((r) => r.dropSlab, 'bigint')},
      ${col((r) => r.dropPagecache, 'bigint')}, ${col((r) => r.compactStall, 'bigint')},
      ${col((r) => r.compactFail, 'bigint')}, ${col((r) => r.fragUnusableOrder4, 'real')},
      ${col((r) => r.fragMaxFreeOrder, 'smallint')}
    ) AS v(host_id, seq, keyframe, collected_at, received_at, start, len, missing_sections,
      mem_total_bytes, mem_available_bytes, s_reclaimable_bytes, s_unreclaim_bytes, slab_bytes,
      process_rss_bytes, process_count, drop_slab, drop_pagecache, compact_stall, compact_fail,
      frag_unusable_order4, frag_max_free_order)
    RETURNING id, host_id::text, seq`;
  // (host_id, seq) is unique: match ids to rows without relying on RETURNING order.
  const idBy = new Map(inserted.map((r) => [`${r.host_id}|${r.seq}`, r.id]));
  return rows.map((r) => idBy.get(`${r.hostId}|${r.seq}`) as bigint);
}
