import { CodecError } from './byte-io';
import { decodeFrame, encodeFrame } from './frame';
import type { FlatFrame } from './flat';
import { flattenContent } from './flatten';
import type { KeyDictionary } from './key-dictionary';
import type { SnapshotContent } from './snapshot-content';
import { unflattenContent } from './unflatten';

/**
 * A host's snapshots form chains: a keyframe, then up to KEYFRAME_INTERVAL - 1 deltas, each
 * against the one before. Longer chains store less but make a read decode more frames and make
 * retention prune in coarser steps.
 */
export const KEYFRAME_INTERVAL = 32;

export interface EncodedSnapshot {
  readonly payload: Buffer;
  readonly keyframe: boolean;
  /** The decoded frame: the base of the next delta. */
  readonly frame: FlatFrame;
}

/** Encodes `content` as a delta against `base`, or as a keyframe when `base` is null. */
export function encodeSnapshot(
  content: SnapshotContent,
  dict: KeyDictionary,
  base: FlatFrame | null,
): EncodedSnapshot {
  const frame = flattenContent(content, dict);
  return { payload: encodeFrame(frame, base), keyframe: base === null, frame };
}

/** Decodes a chain, keyframe first, down to its last frame. */
export function decodeChain(payloads: readonly Uint8Array[]): FlatFrame {
  let frame: FlatFrame | null = null;
  for (const p of payloads) frame = decodeFrame(p, frame);
  if (frame === null) throw new CodecError('empty snapshot chain');
  return frame;
}

export function decodeSnapshot(
  payloads: readonly Uint8Array[],
  dict: KeyDictionary,
): SnapshotContent {
  return unflattenContent(decodeChain(payloads), dict);
}

export { unflattenContent };
