import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, CodecError } from './byte-io';
import type { FlatFrame } from './flat';

/**
 * Frame layout: one plain byte (format version), then deflate-raw of
 *   flags(1) [key list] values extras
 * - flags bit 0: keyframe (values are raw, not deltas); bit 1: same keys as the base frame.
 * - key list (unless same keys): count, then zigzag(id - previous id - 1) each, so keys first
 *   seen together (ids n, n+1, ...) cost 1 byte each before deflate and almost nothing after.
 * - values: zigzag varint of (value - base value of the same key), or the value in a keyframe.
 *   An unchanged counter costs one 0 byte, which deflate then all but erases.
 * - extras: count, then (position, utf8 length, utf8) for values the varints cannot carry.
 */
// 2: section reasons and slab anomaly reasons moved from the dictionary to the text channel.
export const FRAME_FORMAT = 2;
const KEYFRAME = 1;
const SAME_KEYS = 2;

function sameKeys(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Base values by key id, for frames whose key list differs from their base's. */
function baseLookup(base: FlatFrame): Map<number, number> {
  const m = new Map<number, number>();
  base.ids.forEach((id, i) => m.set(id, base.vals[i] as number));
  return m;
}

/** `base` null makes a keyframe: decodable without any other frame (the dictionary aside). */
export function encodeFrame(frame: FlatFrame, base: FlatFrame | null): Buffer {
  const w = new ByteWriter(frame.ids.length * 2 + 64);
  const same = base !== null && sameKeys(frame.ids, base.ids);
  w.byte((base === null ? KEYFRAME : 0) | (same ? SAME_KEYS : 0));
  if (!same) {
    w.uvarint(frame.ids.length);
    let prev = -1;
    for (const id of frame.ids) {
      w.svarint(id - prev - 1);
      prev = id;
    }
  }
  if (base === null) {
    for (const v of frame.vals) w.svarint(v);
  } else if (same) {
    frame.vals.forEach((v, i) => w.svarint(v - (base.vals[i] as number)));
  } else {
    const lookup = baseLookup(base);
    frame.vals.forEach((v, i) => w.svarint(v - (lookup.get(frame.ids[i] as number) ?? 0)));
  }
  w.uvarint(frame.extras.size);
  for (const [pos, text] of frame.extras) {
    const bytes = Buffer.from(text, 'utf8');
    w.uvarint(pos);
    w.uvarint(bytes.length);
    w.bytes(bytes);
  }
  const body = deflateRawSync(w.finish(), { level: 6 });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = FRAME_FORMAT;
  body.copy(out, 1);
  return out;
}

/** Decodes one frame; `base` must be the decoded frame it was encoded against (null for keyframes). */
export function decodeFrame(payload: Uint8Array, base: FlatFrame | null): FlatFrame {
  if (payload[0] !== FRAME_FORMAT)
    throw new CodecError(`unknown snapshot frame format ${payload[0]}`);
  const r = new ByteReader(inflateRawSync(payload.subarray(1)));
  const flags = r.byte();
  const keyframe = (flags & KEYFRAME) !== 0;
  if (!keyframe && base === null) throw new CodecError('delta frame decoded without its base');
  let ids: readonly number[];
  if (flags & SAME_KEYS) {
    if (base === null) throw new CodecError('frame reuses the keys of a missing base');
    ids = base.ids; // frames are never mutated: share, do not copy
  } else {
    const n = r.uvarint();
    const list = new Array<number>(n);
    let prev = -1;
    for (let i = 0; i < n; i++) list[i] = prev = prev + 1 + r.svarint();
    ids = list;
  }
  const vals = new Array<number>(ids.length);
  if (keyframe || base === null) {
    for (let i = 0; i < ids.length; i++) vals[i] = r.svarint();
  } else if (flags & SAME_KEYS) {
    for (let i = 0; i < ids.length; i++) vals[i] = (base.vals[i] as number) + r.svarint();
  } else {
    const lookup = baseLookup(base);
    for (let i = 0; i < ids.length; i++)
      vals[i] = (lookup.get(ids[i] as number) ?? 0) + r.svarint();
  }
  const extras = new Map<number, string>();
  for (let n = r.uvarint(); n > 0; n--) {
    const pos = r.uvarint();
    extras.set(pos, Buffer.from(r.bytes(r.uvarint())).toString('utf8'));
  }
  if (!r.done) throw new CodecError('snapshot frame has trailing bytes');
  return { ids, vals, extras };
}
