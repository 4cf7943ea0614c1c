import { parseSlabinfo } from './slabinfo.parser';

const HEAD = 'slabinfo - version: 2.1\n# name <active_objs> ...\n';
const LINES = [
  'pid_3                375    532    576   28    4 : tunables    0    0    0 : slabdata     19     19      0',
  'kmalloc-64          1000   1024     64   64    1 : tunables    0    0    0 : slabdata     16     16      0',
];

describe('parseSlabinfo line ends', () => {
  const clean = parseSlabinfo(HEAD + LINES.join('\n') + '\n');

  it.each([
    ['trailing spaces and tabs', ' \t  '],
    ['CRLF', '\r'],
    ['spaces then CR', '   \r'],
    ['NUL padding', '\0\0'],
  ])('reads lines ending in %s as the clean text', (_label, tail) => {
    expect(clean.kind).toBe('ok');
    expect(parseSlabinfo(HEAD + LINES.map((l) => l + tail).join('\n') + '\n')).toEqual(clean);
    // The same tail on a last line without a newline.
    expect(parseSlabinfo(HEAD + LINES.map((l) => l + tail).join('\n'))).toEqual(clean);
  });

  it('still rejects a CR in the middle of the numbers', () => {
    const r = parseSlabinfo(HEAD + LINES[0]!.replace('532 ', '532\r') + '\n');
    expect(r.kind).toBe('error');
  });
});
