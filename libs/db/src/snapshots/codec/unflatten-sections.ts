import type { FlatFrame } from './flat';
import type { KeyDictionary } from './key-dictionary';
import { SECTION_ORDER, type SectionName, type SnapshotContent } from './snapshot-content';
import { unflattenContent } from './unflatten';

/** What a section-selective decode rebuilds. */
export interface SectionSelection {
  readonly sections: readonly SectionName[];
  /** Only these vmstat counters (all of them when absent). */
  readonly vmstatCounters?: readonly string[];
}

/** Reason given for a section the selection left out (it was collected, just not decoded). */
export const NOT_DECODED = 'not decoded: left out of a section-selective read';

/** Per-dictionary, per-selection memo: dictionary id -> how the filter treats its key. */
const enum Kind {
  Body = 0,
  Marker = 1,
  Outcome = 2,
  SkippedCounter = 3,
}
const kindCache = new WeakMap<KeyDictionary, WeakMap<SectionSelection, Map<number, Kind>>>();

/**
 * unflattenContent restricted to some sections: the frame is first cut down to the page size,
 * kernel release, every section's outcome and the bodies of the selected sections, then
 * rebuilt by unflattenContent itself, so a selected section is exactly what the full decode
 * gives. An `ok` section left out comes back `unavailable` (NOT_DECODED), never as empty data.
 * Rebuilding slabinfo alone costs a fraction of every section (zoneinfo, pagetypeinfo and the
 * vmstat bigints dominate a full decode).
 */
export function unflattenSections(
  frame: FlatFrame,
  dict: KeyDictionary,
  selection: SectionSelection,
): SnapshotContent {
  const wanted = new Set<string>(selection.sections);
  const counters = selection.vmstatCounters && new Set(selection.vmstatCounters);
  const kinds = kindsOf(dict, selection);
  const ids: number[] = [];
  const vals: number[] = [];
  const extras = new Map<number, string>();
  let keep = true; // entries before the first section: page size, kernel release
  for (let i = 0; i < frame.ids.length; i++) {
    const id = frame.ids[i] as number;
    let kind = kinds.get(id);
    if (kind === undefined) {
      kind = classify(dict.get(id), counters);
      kinds.set(id, kind);
    }
    if (kind === Kind.Marker) keep = wanted.has(dict.get(id).slice(2));
    else if (kind === Kind.SkippedCounter || (kind === Kind.Body && !keep)) continue;
    const extra = frame.extras.get(i);
    if (extra !== undefined) extras.set(vals.length, extra);
    ids.push(id);
    vals.push(frame.vals[i] as number);
  }
  const content = unflattenContent({ ids, vals, extras }, dict);
  const out: Record<string, unknown> = { ...content };
  for (const s of SECTION_ORDER)
    if (!wanted.has(s) && content[s].kind === 'ok')
      out[s] = { kind: 'unavailable', reason: NOT_DECODED };
  return out as unknown as SnapshotContent;
}

function kindsOf(dict: KeyDictionary, selection: SectionSelection): Map<number, Kind> {
  let bySelection = kindCache.get(dict);
  if (!bySelection) kindCache.set(dict, (bySelection = new WeakMap()));
  let kinds = bySelection.get(selection);
  if (!kinds) bySelection.set(selection, (kinds = new Map()));
  return kinds;
}

function classify(key: string, counters: ReadonlySet<string> | undefined): Kind {
  if (key.startsWith('!:')) return Kind.Marker;
  if (key.startsWith('?')) return Kind.Outcome; // ?r ?f ?l ?e: outcomes, never body data
  if (counters && key.startsWith('v:') && !counters.has(key.slice(2))) return Kind.SkippedCounter;
  return Kind.Body;
}
