import fc from 'fast-check';
import { allFixtures } from '../testing/fixtures';
import { parseBuddyinfo } from './buddyinfo.parser';
import { decodeBundle, parseBundle } from './bundle.parser';
import { parseFragIndex } from './frag-index.parser';
import { parseMeminfo, parseNodeMeminfo } from './meminfo.parser';
import { parsePagetypeinfo } from './pagetypeinfo.parser';
import type { Parsed } from './parse-result';
import { ProcfsParseError } from './parse-result';
import { parsePs } from './ps.parser';
import { parseSlabinfo } from './slabinfo.parser';
import { parseTunables } from './tunables.parser';
import { parseVmstat } from './vmstat.parser';
import { parseZoneinfo } from './zoneinfo.parser';

const PARSERS: Record<string, (text: string) => Parsed<unknown>> = {
  meminfo: (t) => parseMeminfo(t),
  'meminfo-node': (t) => parseNodeMeminfo(t),
  slabinfo: (t) => parseSlabinfo(t),
  buddyinfo: (t) => parseBuddyinfo(t),
  zoneinfo: (t) => parseZoneinfo(t),
  pagetypeinfo: (t) => parsePagetypeinfo(t),
  vmstat: (t) => parseVmstat(t),
  ps: (t) => parsePs(t),
  'frag-index': (t) => parseFragIndex(t),
  tunables: (t) =>
    parseTunables({ '/proc/sys/vm/swappiness': t, '/proc/sys/vm/min_free_kbytes': t }),
};

/** The result is one of the three kinds, and an error names a line that exists. */
function wellFormed(r: Parsed<unknown>, text: string): boolean {
  if (r.kind === 'ok') return r.value !== undefined;
  if (r.kind === 'unavailable') return r.reason.length > 0;
  const lines = text.split('\n').length;
  return (
    r.error instanceof ProcfsParseError &&
    r.error.line >= 1 &&
    r.error.line <= lines &&
    r.error.reason.length > 0
  );
}

const procLike = fc.stringMatching(/^([A-Za-z_():>#,. -]{0,12}[ 0-9]{0,20}( kB)?\n?){0,12}$/);
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), procLike);

/** A real capture with a random edit: cut, insert, replace one char, or duplicate a line. */
const mutated = (kind: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...allFixtures(kind).map(([, t]) => t)),
      fc.nat(),
      fc.nat({ max: 200 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('cut', 'insert', 'replace', 'dup'),
    )
    .map(([text, at, len, ins, op]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (op === 'cut') return text.slice(0, i) + text.slice(i + len);
      if (op === 'insert') return text.slice(0, i) + ins + text.slice(i);
      if (op === 'replace') return text.slice(0, i) + (ins[0] ?? '') + text.slice(i + 1);
      const lines = text.split('\n');
      const k = i % Math.max(lines.length, 1);
      lines.splice(k, 0, lines[k] ?? '');
      return lines.join('\n');
    });

describe('every parser, on any text', () => {
  it.each(Object.keys(PARSERS))(
    '%s never throws and returns ok, unavailable or a located error',
    (kind) => {
      const parse = PARSERS[kind] as (t: string) => Parsed<unknown>;
      fc.assert(
        fc.property(anyText, (text) => wellFormed(parse(text), text)),
        { numRuns: 400 },
      );
    },
  );

  it.each([
    'meminfo',
    'meminfo-node',
    'slabinfo',
    'buddyinfo',
    'zoneinfo',
    'pagetypeinfo',
    'vmstat',
    'ps',
  ])('%s never throws on a mutated real capture', (kind) => {
    const parse = PARSERS[kind] as (t: string) => Parsed<unknown>;
    fc.assert(
      fc.property(mutated(kind), (text) => wellFormed(parse(text), text)),
      { numRuns: 300 },
    );
  });

  it('decodeBundle and parseBundle never throw on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const d = decodeBundle(json);
        if (d.kind === 'ok') parseBundle(d.value);
        return d.kind === 'ok' || d.kind === 'error';
      }),
      { numRuns: 300 },
    );
  });
});

/** Removes line `i` (mod the line count) from a capture; returns the text and the removed line. */
const dropLine = (text: string, i: number): [string, string] => {
  const lines = text.replace(/\n$/, '').split('\n');
  const k = i % lines.length;
  const [removed] = lines.splice(k, 1);
  return [`${lines.join('\n')}\n`, removed ?? ''];
};

describe('a field missing from the text comes back absent, never 0', () => {
  it('meminfo: dropping a line drops exactly that field', () => {
    const files = allFixtures('meminfo')
      .map(([, t]) => t)
      .filter((t) => !t.startsWith(' '));
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), (text, i) => {
        const [without, line] = dropLine(text, i);
        const name = line.slice(0, line.indexOf(':'));
        const full = parseMeminfo(text);
        const cut = parseMeminfo(without);
        if (full.kind !== 'ok' || cut.kind !== 'ok') return without.trim() === '';
        const expected = { ...full.value.fields };
        delete expected[name];
        return (
          cut.value.fields[name] === undefined &&
          JSON.stringify(cut.value.fields) === JSON.stringify(expected)
        );
      }),
      { numRuns: 300 },
    );
  });

  it('vmstat: dropping a line drops exactly that counter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...allFixtures('vmstat').map(([, t]) => t)),
        fc.nat(),
        (text, i) => {
          const [without, line] = dropLine(text, i);
          const r = parseVmstat(without);
          return (
            r.kind === 'ok' &&
            !r.value.counters.has(line.split(' ')[0] ?? '') &&
            r.value.counters.size === text.trim().split('\n').length - 1
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('zoneinfo: dropping a watermark or span line leaves that field undefined', () => {
    const files = allFixtures('zoneinfo').map(([, t]) => t);
    const keys = ['min', 'low', 'high', 'spanned', 'present', 'managed'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.constantFrom(...keys), (text, key) => {
        const re = new RegExp(`^ +${key} +\\d+\\n`, 'm');
        if (!re.test(text)) return true;
        const r = parseZoneinfo(text.replace(re, ''));
        return r.kind === 'ok' && r.value.zones[0]?.[key] === undefined;
      }),
      { numRuns: 100 },
    );
  });

  it('slabinfo: a cache line without its tunables group has no limit/batchCount/sharedFactor', () => {
    const files = allFixtures('slabinfo')
      .map(([, t]) => t)
      .filter((t) => t.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), (text, i) => {
        const lines = text.split('\n');
        const k = 2 + (i % (lines.length - 2));
        if (!(lines[k] ?? '').includes(': tunables')) return true;
        lines[k] = (lines[k] ?? '').replace(/ : tunables +\d+ +\d+ +\d+/, '');
        const r = parseSlabinfo(lines.join('\n'));
        const c = r.kind === 'ok' ? r.value.caches[k - 2] : undefined;
        return (
          c !== undefined &&
          c.limit === undefined &&
          c.batchCount === undefined &&
          c.sharedFactor === undefined &&
          c.numSlabs !== undefined
        );
      }),
      { numRuns: 200 },
    );
  });

  it('tunables: a file not collected is an absent key', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('swappiness', 'min_free_kbytes', 'extfrag_threshold'),
          fc.nat(),
        ),
        (vals) => {
          const files = Object.fromEntries(
            Object.entries(vals).map(([k, v]) => [`/proc/sys/vm/${k}`, `${v}\n`]),
          );
          const r = parseTunables(files);
          return (
            r.kind === 'ok' &&
            JSON.stringify(Object.keys(r.value).sort()) === JSON.stringify(Object.keys(vals).sort())
          );
        },
      ),
    );
  });
});

describe('meminfo round trip', () => {
  it('prints and parses any field set back to bytes and counts', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_()]{0,15}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, fc.nat({ max: 2 ** 40 }), fc.boolean()), {
          minLength: 1,
          selector: ([n]) => n,
        }),
        (rows) => {
          const text = rows
            .map(([n, v, kb]) => `${n}:${' '.repeat(3)}${v}${kb ? ' kB' : ''}`)
            .join('\n');
          const r = parseMeminfo(text);
          if (r.kind !== 'ok') return false;
          return rows.every(
            ([n, v, kb]) =>
              r.value.fields[n] === (kb ? v * 1024 : v) && r.value.countFields.includes(n) === !kb,
          );
        },
      ),
    );
  });
});
