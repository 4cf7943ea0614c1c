import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePs, parsePsLines } from './ps.parser';

// parsePs reads the usual `pid rss comm` listing in one fused pass and leaves everything else to
// the line reader: both must give the same answer for any text, errors included.

const blanks = fc
  .array(fc.constantFrom(' ', ' ', ' ', '\t'), { minLength: 0, maxLength: 4 })
  .map((a) => a.join(''));
const digits = fc.oneof(fc.nat({ max: 99_999 }).map(String), fc.stringMatching(/^[0-9]{0,17}$/));
const commChar = fc.constantFrom('a', 'z', '/', ':', '-', ' ', '\t', '\r', '\0', 'é', '9', '漢');
const comm = fc.array(commChar, { minLength: 0, maxLength: 8 }).map((a) => a.join(''));
const line = fc
  .oneof(
    { weight: 8, arbitrary: fc.tuple(blanks, digits, blanks, digits, blanks, comm, blanks) },
    {
      weight: 1,
      arbitrary: fc.tuple(blanks, digits, fc.constant(''), fc.constant(''), blanks, comm, blanks),
    },
  )
  .map((parts) => parts.join(''));
const listing = fc
  .tuple(
    fc.array(line, { minLength: 1, maxLength: 6 }),
    fc.constantFrom('\n', '\r\n'),
    fc.constantFrom('', '\n', '\n\n', '  \n', '\0\0'),
  )
  .map(([lines, sep, tail]) => lines.join(sep) + tail);

describe('parsePs fused pass', () => {
  it('gives what the line reader gives, for any listing (errors included)', () => {
    fc.assert(
      fc.property(listing, (text) => {
        expect(parsePs(text)).toEqual(parsePsLines(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what the line reader gives on every ps capture', () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'ps');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect([f, parsePs(text)]).toEqual([f, parsePsLines(text)]);
    }
  });

  it('takes the fused pass on canonical output and still reads it exactly', () => {
    const text =
      '      1  12000 systemd\n   4242      0 kworker/0:1H\n     77 999999 Web Content  \n';
    expect(parsePs(text)).toEqual({
      kind: 'ok',
      value: {
        processes: [
          { pid: 1, rssBytes: 12000 * 1024, comm: 'systemd' },
          { pid: 4242, rssBytes: 0, comm: 'kworker/0:1H' },
          { pid: 77, rssBytes: 999999 * 1024, comm: 'Web Content' },
        ],
      },
    });
  });

  it.each([
    ['RSS at MAX_KB', '1 8796093022207 x\n'],
    ['RSS past MAX_KB', '1 8796093022208 x\n'],
    ['a 12-digit RSS', '1 999999999999 x\n'],
    ['a 13-digit RSS', '1 1000000000000 x\n'],
    ['a 15-digit pid', '123456789012345 1 x\n'],
    ['a 16-digit pid', '1234567890123456 1 x\n'],
    ['a pid past 2^53', '99999999999999999 1 x\n'],
    ['no comm', '1 2\n'],
    ['no comm, trailing blanks', '1 2  \r\n'],
    ['a blank line', '1 2 a\n\n3 4 b\n'],
    ['text in a number', '1 2x a\n'],
  ])('agrees with the line reader on %s', (_label, text) => {
    expect(parsePs(text)).toEqual(parsePsLines(text));
  });
});
