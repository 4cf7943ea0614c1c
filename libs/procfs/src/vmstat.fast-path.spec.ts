import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVmstat, parseVmstatLines } from './vmstat.parser';

// parseVmstat reads `name value` files in one fused pass and leaves everything else to the line
// reader: both must give the same answer for any text, errors included.

const name = fc.constantFrom('nr_free_pages', 'pgfault', 'drop_slab', 'a', 'nr_free_pages', 'x\ty');
const value = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{15,17}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', '-1', '12x', '007') },
);
const blanks = fc.constantFrom(' ', '  ', '\t', ' \t');
const tail = fc.constantFrom('', '', '', ' ', '\r', '\0');
const line = fc
  .tuple(fc.constantFrom('', '', '', '', ' '), name, blanks, value, tail)
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

describe('parseVmstat fused pass', () => {
  it('gives what the line reader gives, for any file (errors included)', () => {
    fc.assert(
      fc.property(file, (text) => {
        expect(parseVmstat(text)).toEqual(parseVmstatLines(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what the line reader gives on every vmstat capture', () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'vmstat');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect([f, parseVmstat(text)]).toEqual([f, parseVmstatLines(text)]);
    }
  });

  it.each([
    ['a 15-digit value', 'a 999999999999999\n'],
    ['a 16-digit value', 'a 9999999999999999\n'],
    ['a value past 2^64', 'a 99999999999999999999999\n'],
    ['a repeated name', 'a 1\nb 2\na 3\n'],
    ['no value', 'a\n'],
  ])('agrees with the line reader on %s', (_label, text) => {
    expect(parseVmstat(text)).toEqual(parseVmstatLines(text));
  });
});
