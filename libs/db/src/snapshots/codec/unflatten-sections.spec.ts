import fc from 'fast-check';
import { procfsFixtureSnapshots, timelineSnapshots } from '../../../../../test/db/fixtures';
import { snapshotContentArb } from '../../../../../test/db/snapshot-arbitraries';
import type { FlatFrame } from './flat';
import { decodeFrame } from './frame';
import { KeyDictionary } from './key-dictionary';
import { encodeSnapshot } from './snapshot-codec';
import {
  SECTION_ORDER,
  toSnapshotContent,
  type SectionName,
  type SnapshotContent,
} from './snapshot-content';
import { NOT_DECODED, unflattenSections } from './unflatten-sections';
import { unflattenContent } from './unflatten';

/** The frame `content` decodes to after a keyframe/delta round trip, and its dictionary. */
function roundTrip(contents: readonly SnapshotContent[]) {
  const dict = new KeyDictionary();
  let base: FlatFrame | null = null;
  const frames: FlatFrame[] = [];
  for (const c of contents) {
    const e = encodeSnapshot(c, dict, base);
    frames.push(decodeFrame(e.payload, frames[frames.length - 1] ?? null));
    base = e.frame;
  }
  return { dict, frames };
}

/** What a selective decode must give: selected sections as decoded, `ok` others not decoded. */
function expected(full: SnapshotContent, sections: readonly SectionName[]): SnapshotContent {
  const out: Record<string, unknown> = { ...full };
  for (const s of SECTION_ORDER)
    if (!sections.includes(s) && full[s].kind === 'ok')
      out[s] = { kind: 'unavailable', reason: NOT_DECODED };
  return out as unknown as SnapshotContent;
}

describe('unflattenSections', () => {
  const timeline = timelineSnapshots().map(toSnapshotContent);
  const fixtures = procfsFixtureSnapshots().map((f) => toSnapshotContent(f.parsed));

  it('with every section selected equals the full decode, through delta chains', () => {
    const { dict, frames } = roundTrip(timeline);
    frames.forEach((f) =>
      expect(unflattenSections(f, dict, { sections: SECTION_ORDER })).toEqual(
        unflattenContent(f, dict),
      ),
    );
  });

  it.each(SECTION_ORDER.map((s) => [s] as const))(
    'rebuilds %s alone exactly on every real capture and leaves the others out',
    (section) => {
      const { dict, frames } = roundTrip([...fixtures, ...timeline.slice(0, 8)]);
      for (const f of frames) {
        const full = unflattenContent(f, dict);
        const got = unflattenSections(f, dict, { sections: [section] });
        expect(got).toEqual(expected(full, [section]));
        expect(got[section]).toEqual(full[section]);
      }
    },
  );

  it('rebuilds any selected subset of any content exactly (failed sections keep their outcome)', () => {
    fc.assert(
      fc.property(
        fc.array(snapshotContentArb, { minLength: 1, maxLength: 3 }),
        fc.subarray([...SECTION_ORDER]),
        (contents, sections) => {
          const { dict, frames } = roundTrip(contents);
          frames.forEach((f, i) => {
            const got = unflattenSections(f, dict, { sections });
            expect(got).toEqual(expected(contents[i] as SnapshotContent, sections));
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps only the named vmstat counters, as exact bigints in capture order', () => {
    const { dict, frames } = roundTrip(timeline.slice(0, 4));
    const names = ['pgfault', 'drop_slab', 'no_such_counter', 'compact_stall'];
    for (const f of frames) {
      const full = unflattenContent(f, dict);
      const got = unflattenSections(f, dict, { sections: ['vmstat'], vmstatCounters: names });
      if (full.vmstat.kind !== 'ok' || got.vmstat.kind !== 'ok') throw new Error('no vmstat');
      const all = full.vmstat.value.counters;
      const want = [...all].filter(([k]) => names.includes(k));
      expect(want.length).toBe(3);
      expect([...got.vmstat.value.counters]).toEqual(want);
    }
  });
});
