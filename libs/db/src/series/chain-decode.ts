import type { PrismaClient } from '../generated/prisma/client';
import {
  CodecError,
  KeyDictionary,
  decodeFrame,
  unflattenContent,
  unflattenSections,
  type FlatFrame,
  type SectionSelection,
} from '../snapshots/codec';
import { DecodedCache } from './decoded-cache';
import type { DecodedSnapshot } from './series.types';

/** A snapshot to decode and the keyframe its delta chain starts from (null: look it up). */
export interface WantedRow {
  readonly id: bigint;
  readonly seq: number;
  readonly collectedAt: Date;
  readonly keyframeSeq: number | null;
}

/**
 * Decodes a sparse set of a host's snapshots, reading only the payloads their chains need: for
 * each wanted row, its keyframe up to it. Rows of one chain share the walk, so wanted rows that
 * sit at or near keyframes (what the bucket sampler prefers) cost one or two frames each instead
 * of the whole range. With `select`, only those sections are rebuilt (the others come back
 * `unavailable`) and, given a `cache`, rows decoded before are taken from it: their chains are
 * neither read nor walked again.
 */
export async function decodeRows(
  prisma: PrismaClient,
  hostId: string,
  wanted: readonly WantedRow[],
  select?: SectionSelection,
  cache?: DecodedCache,
): Promise<DecodedSnapshot[]> {
  if (!select || !cache) return walkChains(prisma, hostId, wanted, select);
  const key = DecodedCache.keyOf(select);
  const hits: DecodedSnapshot[] = [];
  const misses: WantedRow[] = [];
  for (const w of wanted) {
    const content = cache.get(key, hostId, w.id, w.seq);
    if (content)
      hits.push({ id: w.id.toString(), seq: w.seq, collectedAt: w.collectedAt, content });
    else misses.push(w);
  }
  const decoded = await walkChains(prisma, hostId, misses, select);
  for (const d of decoded) cache.set(key, hostId, BigInt(d.id), d.seq, d.content);
  return [...hits, ...decoded].sort((a, b) => a.collectedAt.getTime() - b.collectedAt.getTime());
}

async function walkChains(
  prisma: PrismaClient,
  hostId: string,
  wanted: readonly WantedRow[],
  select?: SectionSelection,
): Promise<DecodedSnapshot[]> {
  if (wanted.length === 0) return [];
  const sorted = [...wanted].sort((a, b) => a.seq - b.seq);
  const starts = await keyframesOf(prisma, hostId, sorted);
  const needed = new Set<number>();
  sorted.forEach((w, i) => {
    for (let s = starts[i] as number; s <= w.seq; s++) needed.add(s);
  });
  const [rows, dict] = await Promise.all([
    prisma.$queryRaw<{ seq: number; payload: Uint8Array }[]>`
      SELECT seq, payload FROM snapshot
      WHERE host_id = ${hostId}::uuid AND seq = ANY(${[...needed]}::int[]) ORDER BY seq`,
    prisma.snapshotDictionary.findUniqueOrThrow({ where: { hostId }, select: { entries: true } }),
  ]);
  if (rows.length !== needed.size)
    throw new CodecError(`snapshot chains of host ${hostId} are incomplete`);
  const keys = KeyDictionary.fromBytes(dict.entries);
  const chainStarts = new Set(starts);
  const byseq = new Map(sorted.map((w) => [w.seq, w]));
  const out: DecodedSnapshot[] = [];
  let frame: FlatFrame | null = null;
  let prevSeq = -2;
  for (const row of rows) {
    // A gap in the walk means the next row starts another chain at its keyframe.
    const base = chainStarts.has(row.seq) || row.seq !== prevSeq + 1 ? null : frame;
    frame = decodeFrame(row.payload, base);
    prevSeq = row.seq;
    const w = byseq.get(row.seq);
    if (w)
      out.push({
        id: w.id.toString(),
        seq: w.seq,
        collectedAt: w.collectedAt,
        content: select ? unflattenSections(frame, keys, select) : unflattenContent(frame, keys),
      });
  }
  return out.sort((a, b) => a.collectedAt.getTime() - b.collectedAt.getTime());
}

/** The chain start of each (sorted) wanted row, looking up those the caller did not know. */
async function keyframesOf(
  prisma: PrismaClient,
  hostId: string,
  sorted: readonly WantedRow[],
): Promise<number[]> {
  const unknown = sorted.filter((w) => w.keyframeSeq === null).map((w) => w.seq);
  const found = new Map<number, number>();
  if (unknown.length > 0) {
    const rows = await prisma.$queryRaw<{ seq: number; kf: number | null }[]>`
      SELECT w.seq, (SELECT max(k.seq) FROM snapshot k
                     WHERE k.host_id = ${hostId}::uuid AND k.keyframe AND k.seq <= w.seq) AS kf
      FROM unnest(${unknown}::int[]) AS w(seq)`;
    for (const r of rows) {
      if (r.kf === null) throw new CodecError(`no keyframe before seq ${r.seq} of host ${hostId}`);
      found.set(r.seq, r.kf);
    }
  }
  return sorted.map((w) => w.keyframeSeq ?? (found.get(w.seq) as number));
}
