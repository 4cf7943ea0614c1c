import fc from 'fast-check';
import { ProcfsParseError } from '@memfleet/procfs';
import { procfsFixtureSnapshots, timelineSnapshots } from '../../../../../test/db/fixtures';
import { evolve, snapshotContentArb } from '../../../../../test/db/snapshot-arbitraries';
import { CodecError } from './byte-io';
import { KeyDictionary } from './key-dictionary';
import {
  KEYFRAME_INTERVAL,
  decodeSnapshot,
  encodeSnapshot,
  type EncodedSnapshot,
} from './snapshot-codec';
import { toSnapshotContent, type SnapshotContent } from './snapshot-content';
import type { FlatFrame } from './flat';

/** Encodes a series as the repository does: a keyframe every `interval`, deltas in between. */
function encodeSeries(
  contents: readonly SnapshotContent[],
  dict: KeyDictionary,
  interval = KEYFRAME_INTERVAL,
): EncodedSnapshot[] {
  let base: FlatFrame | null = null;
  return contents.map((c, i) => {
    const e = encodeSnapshot(c, dict, i % interval === 0 ? null : base);
    base = e.frame;
    return e;
  });
}

/** The payloads needed to decode snapshot i: its keyframe and every delta up to it. */
const chainOf = (encoded: readonly EncodedSnapshot[], i: number): Buffer[] => {
  let start = i;
  while (!(encoded[start] as EncodedSnapshot).keyframe) start--;
  return encoded.slice(start, i + 1).map((e) => e.payload);
};

describe('snapshot codec', () => {
  const timeline = timelineSnapshots().map(toSnapshotContent);

  it('decodes every snapshot of the real 58-snapshot timeline exactly, through delta chains', () => {
    const dict = new KeyDictionary();
    const encoded = encodeSeries(timeline, dict, 16);
    timeline.forEach((content, i) => {
      expect(decodeSnapshot(chainOf(encoded, i), dict)).toEqual(content);
    });
  });

  it('keeps vmstat counters as bigint and every slab cache of the capture', () => {
    const dict = new KeyDictionary();
    const [first] = encodeSeries(timeline.slice(0, 1), dict);
    const decoded = decodeSnapshot([(first as EncodedSnapshot).payload], dict);
    if (decoded.vmstat.kind !== 'ok' || decoded.slabinfo.kind !== 'ok')
      throw new Error('sections missing');
    expect(typeof decoded.vmstat.value.counters.get('drop_slab')).toBe('bigint');
    expect(decoded.slabinfo.value.caches.length).toBeGreaterThan(200);
  });

  it('stores the real timeline in under 400 bytes per snapshot on average', () => {
    const encoded = encodeSeries(timeline, new KeyDictionary());
    const bytes = encoded.reduce((sum, e) => sum + e.payload.length, 0);
    expect(bytes / encoded.length).toBeLessThan(400);
  });

  it('encodes an unchanged snapshot as a delta of a few dozen bytes', () => {
    const dict = new KeyDictionary();
    const [, again] = encodeSeries(
      [timeline[10] as SnapshotContent, timeline[10] as SnapshotContent],
      dict,
    );
    expect((again as EncodedSnapshot).payload.length).toBeLessThan(40);
  });

  it.each(procfsFixtureSnapshots().map(({ name, parsed }) => [name, parsed] as const))(
    'decodes the capture %s exactly, whatever parsed, was unavailable or failed',
    (_name, parsed) => {
      const dict = new KeyDictionary();
      const content = toSnapshotContent(parsed);
      const [e] = encodeSeries([content], dict);
      expect(decodeSnapshot([(e as EncodedSnapshot).payload], dict)).toEqual(content);
    },
  );

  it('decodes any content exactly, alone or as a chain of deltas of differing shapes', () => {
    fc.assert(
      fc.property(
        fc.array(snapshotContentArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (contents, interval) => {
          const dict = new KeyDictionary();
          const encoded = encodeSeries(contents, dict, interval);
          contents.forEach((c, i) => expect(decodeSnapshot(chainOf(encoded, i), dict)).toEqual(c));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('decodes evolving content (same keys, shifted values) exactly', () => {
    fc.assert(
      fc.property(
        snapshotContentArb,
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 6 }),
        (start, shifts) => {
          const contents = [start];
          for (const s of shifts)
            contents.push(evolve(contents[contents.length - 1] as SnapshotContent, s));
          const dict = new KeyDictionary();
          const encoded = encodeSeries(contents, dict);
          contents.forEach((c, i) => expect(decodeSnapshot(chainOf(encoded, i), dict)).toEqual(c));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('decodes old frames against the dictionary after it was saved, reloaded and grown', () => {
    const dict = new KeyDictionary();
    const encoded = encodeSeries(timeline.slice(0, 3), dict);
    const reloaded = KeyDictionary.fromBytes(dict.toBytes());
    encodeSeries(
      procfsFixtureSnapshots().map((f) => toSnapshotContent(f.parsed)),
      reloaded,
    );
    expect(reloaded.size).toBeGreaterThan(dict.size);
    expect(decodeSnapshot(chainOf(encoded, 2), reloaded)).toEqual(timeline[2]);
  });

  it('keeps varying error reasons out of the dictionary, which stays the size of the first', () => {
    const dict = new KeyDictionary();
    const broken = (n: number): SnapshotContent => ({
      ...(timeline[0] as SnapshotContent),
      zoneinfo: {
        kind: 'error',
        error: new ProcfsParseError('/proc/zoneinfo', n, `value ${n} out of range`),
      },
    });
    const encoded = encodeSeries([broken(1), broken(2), broken(3)], dict);
    const size = dict.size;
    encodeSeries([broken(4), broken(5)], dict);
    expect(dict.size).toBe(size);
    expect(decodeSnapshot(chainOf(encoded, 2), dict)).toEqual(broken(3));
  });

  it('forgets entries interned by a write that rolled back', () => {
    const dict = new KeyDictionary(['m:MemTotal']);
    dict.intern('m:Slab');
    dict.truncate(1);
    expect(dict.size).toBe(1);
    expect(dict.intern('m:Cached')).toBe(1);
    expect(dict.internKey('m', 'MemTotal')).toBe(0);
  });

  it('refuses a delta frame without its base and a frame of an unknown format', () => {
    const dict = new KeyDictionary();
    const encoded = encodeSeries(timeline.slice(0, 2), dict);
    expect(() => decodeSnapshot([(encoded[1] as EncodedSnapshot).payload], dict)).toThrow(
      CodecError,
    );
    const alien = Buffer.from((encoded[0] as EncodedSnapshot).payload);
    alien[0] = 99;
    expect(() => decodeSnapshot([alien], dict)).toThrow(CodecError);
  });
});
