import { Prisma } from '../generated/prisma/client';
import { CodecError, KeyDictionary, decodeChain, type FlatFrame } from './codec';

type Tx = Prisma.TransactionClient;

/** What encoding the next snapshot of a host needs: its dictionary and its last frame. */
export interface HostCodecState {
  dict: KeyDictionary;
  /** The host's newest row (highest seq), decoded: the base of the next delta. */
  last: { readonly id: bigint; readonly seq: number; readonly frame: FlatFrame } | null;
}

/**
 * Per-process cache of HostCodecState, checked against the database under the host's lock
 * before every use (dictionary size, id of the newest row), so several workers can ingest
 * for the same host. Bounded: a host's dictionary and last frame take ~200 KB; a miss costs
 * one dictionary read and one chain decode (a few ms).
 */
export class CodecStateCache {
  private readonly states = new Map<string, HostCodecState>();

  constructor(private readonly maxHosts = 500) {}

  peek(hostId: string): HostCodecState | undefined {
    return this.states.get(hostId);
  }

  set(hostId: string, state: HostCodecState): void {
    this.states.delete(hostId);
    this.states.set(hostId, state);
    if (this.states.size > this.maxHosts) {
      const oldest = this.states.keys().next().value;
      if (oldest !== undefined) this.states.delete(oldest);
    }
  }

  forget(hostId: string): void {
    this.states.delete(hostId);
  }

  /** Valid states for `hostIds`, reloading from the database whatever is stale or missing. */
  async load(tx: Tx, hostIds: readonly string[]): Promise<Map<string, HostCodecState>> {
    const [latest, dicts] = await Promise.all([
      // LATERAL + LIMIT 1: one index probe per host, however many snapshots it has
      // (DISTINCT ON would read every row of every host).
      tx.$queryRaw<{ host_id: string; id: bigint; seq: number }[]>`
        SELECT h::text AS host_id, l.id, l.seq FROM unnest(${hostIds}::uuid[]) AS h
        CROSS JOIN LATERAL (
          SELECT id, seq FROM snapshot WHERE host_id = h ORDER BY seq DESC LIMIT 1) AS l`,
      tx.$queryRaw<{ host_id: string; size: number }[]>`
        SELECT host_id::text, size FROM snapshot_dictionary WHERE host_id = ANY(${hostIds}::uuid[])`,
    ]);
    const latestBy = new Map(latest.map((r) => [r.host_id, r]));
    const sizeBy = new Map(dicts.map((r) => [r.host_id, r.size]));
    const out = new Map<string, HostCodecState>();
    const staleDicts: string[] = [];
    for (const hostId of hostIds) {
      const cached = this.states.get(hostId);
      const size = sizeBy.get(hostId) ?? 0;
      if (cached && cached.dict.size === size) out.set(hostId, cached);
      else if (size === 0) out.set(hostId, { dict: new KeyDictionary(), last: null });
      else staleDicts.push(hostId);
    }
    if (staleDicts.length > 0) {
      const rows = await tx.$queryRaw<{ host_id: string; entries: Uint8Array }[]>`
        SELECT host_id::text, entries FROM snapshot_dictionary WHERE host_id = ANY(${staleDicts}::uuid[])`;
      for (const r of rows)
        out.set(r.host_id, { dict: KeyDictionary.fromBytes(r.entries), last: null });
    }
    for (const [hostId, state] of out) {
      const newest = latestBy.get(hostId);
      if (!newest) state.last = null;
      else if (state.last?.id !== newest.id) state.last = await loadLast(tx, hostId, newest);
    }
    return out;
  }
}

/** Decodes the chain that ends at the host's newest row: its keyframe and the deltas after it. */
async function loadLast(
  tx: Tx,
  hostId: string,
  newest: { id: bigint; seq: number },
): Promise<HostCodecState['last']> {
  const chain = await readChain(tx, hostId, newest.seq);
  return { id: newest.id, seq: newest.seq, frame: decodeChain(chain) };
}

/** Payloads from the keyframe at or before `seq` up to `seq`, in order. */
export async function readChain(
  tx: Tx | Prisma.DefaultPrismaClient,
  hostId: string,
  seq: number,
): Promise<Uint8Array[]> {
  const rows = await tx.$queryRaw<{ seq: number; payload: Uint8Array }[]>`
    SELECT seq, payload FROM snapshot
    WHERE host_id = ${hostId}::uuid AND seq <= ${seq} AND seq >= (
      SELECT max(seq) FROM snapshot WHERE host_id = ${hostId}::uuid AND keyframe AND seq <= ${seq})
    ORDER BY seq`;
  const first = rows[0];
  if (!first || rows.length !== seq - first.seq + 1) {
    throw new CodecError(`snapshot chain of host ${hostId} up to seq ${seq} is incomplete`);
  }
  return rows.map((r) => r.payload);
}
