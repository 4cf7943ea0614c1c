import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMeminfo, parseMeminfoLines } from './meminfo.parser';

// parseMeminfo reads `Name: value kB` files in one fused pass and leaves everything else to the
// line reader: both must give the same answer for any text, errors included.

const name = fc.constantFrom(
  'MemTotal',
  'MemFree',
  'HugePages_Total',
  'Active(anon)',
  'X',
  'MemTotal',
);
const odd = fc.constantFrom('', ' Mem', 'Mem Total', 'Mem\tX', '__proto__', 'toString');
const value = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 99_999_999 }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{12,17}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', '-1', '12x') },
);
const unit = fc.constantFrom(' kB', ' kB', '', '  kB', '\tkB', ' KB', ' kBx', 'kB');
const tail = fc.constantFrom('', '', '', ' ', '\r', '\0');
const line = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: name }, { weight: 1, arbitrary: odd }),
    fc.constantFrom(':', ':', ''),
    fc.constantFrom('  ', ' ', '\t', ''),
    value,
    unit,
    tail,
  )
  .map((parts) => parts.join(''));
const file = fc
  .tuple(
    fc.array(fc.oneof({ weight: 12, arbitrary: line }, { weight: 1, arbitrary: fc.constant('') }), {
      minLength: 1,
      maxLength: 6,
    }),
    fc.constantFrom('\n', '\r\n'),
    fc.constantFrom('', '\n', '\n\n', '\0'),
  )
  .map(([lines, nl, end]) => lines.join(nl) + end);

describe('parseMeminfo fused pass', () => {
  it('gives what the line reader gives, for any file (errors included)', () => {
    fc.assert(
      fc.property(file, (text) => {
        expect(parseMeminfo(text)).toEqual(parseMeminfoLines(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what the line reader gives on every meminfo capture', () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'meminfo');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect([f, parseMeminfo(text)]).toEqual([f, parseMeminfoLines(text)]);
    }
  });

  it.each([
    ['kB at MAX_KB', 'MemTotal: 8796093022207 kB\n'],
    ['kB past MAX_KB', 'MemTotal: 8796093022208 kB\n'],
    ['a 12-digit count', 'HugePages_Total: 999999999999\n'],
    ['a repeated name', 'A: 1 kB\nB: 2 kB\nA: 3 kB\n'],
    ['no value', 'A: kB\n'],
    ['the 2.4 header', '        total:    used:    free:\nMem:  1 2 3\nMemTotal: 1 kB\n'],
  ])('agrees with the line reader on %s', (_label, text) => {
    expect(parseMeminfo(text)).toEqual(parseMeminfoLines(text));
  });
});
