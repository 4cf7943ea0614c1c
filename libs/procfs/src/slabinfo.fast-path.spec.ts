import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSlabinfo, parseSlabinfoLines } from './slabinfo.parser';

// parseSlabinfo reads plain files in one fused pass and leaves everything else to the line
// reader: both must give the same answer for any text, errors and anomalies included.

const HEAD = 'slabinfo - version: 2.1\n';
const blanks = fc
  .array(fc.constantFrom(' ', ' ', ' ', '\t'), { minLength: 0, maxLength: 3 })
  .map((a) => a.join(''));
const sep = fc
  .array(fc.constantFrom(' ', ' ', '\t'), { minLength: 1, maxLength: 3 })
  .map((a) => a.join(''));
const num = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 99_999 }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{14,18}$/) },
  { weight: 1, arbitrary: fc.constantFrom('1x', '', '-1', '2:') },
);
const name = fc.oneof(
  fc.constantFrom('kmalloc-64', 'dentry', 'pid_3', 'TCPv6', 'kmem_cache(x)', 'a:b'),
  fc.constantFrom('odd name', '#comment', '', '\r', 'x\0y'),
);
const group = fc.tuple(
  fc.constantFrom('tunables', 'slabdata', 'globalstat', 'cpustat', 'tunablez', ''),
  fc.array(num, { minLength: 2, maxLength: 4 }),
  sep,
);
const cacheLine = fc
  .tuple(
    name,
    fc.array(num, { minLength: 4, maxLength: 6 }),
    fc.array(group, { maxLength: 3 }),
    sep,
    blanks,
  )
  .map(
    ([n, head, groups, s, tail]) =>
      n +
      s +
      head.join(s) +
      groups.map(([label, nums, gs]) => ` :${gs}${label}${gs}${nums.join(gs)}`).join('') +
      tail,
  );
const anyLine = fc.oneof(
  { weight: 10, arbitrary: cacheLine },
  { weight: 1, arbitrary: fc.constantFrom('# name <active_objs> ...', '', '   ', '  # indented') },
);
const file = fc
  .tuple(
    fc.array(anyLine, { minLength: 0, maxLength: 6 }),
    fc.constantFrom('\n', '\n', '\r\n'),
    fc.constantFrom('', '\n', '\n\n', ' \n', '\0'),
  )
  .map(([lines, nl, tail]) => HEAD + lines.join(nl) + tail);

describe('parseSlabinfo fused pass', () => {
  it('gives what the line reader gives, for any file (errors and anomalies included)', () => {
    fc.assert(
      fc.property(file, (text) => {
        expect(parseSlabinfo(text)).toEqual(parseSlabinfoLines(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what the line reader gives on every slabinfo capture', () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'procfs', 'slabinfo');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect([f, parseSlabinfo(text)]).toEqual([f, parseSlabinfoLines(text)]);
    }
  });

  it('numbers anomaly lines as the line reader does, comment lines counted', () => {
    const text =
      HEAD +
      '# name ...\n' +
      'ok 1 2 64 32 1 : tunables 0 0 0 : slabdata 1 1 0\n' +
      'bad 9 2 64 32 1 : tunables 0 0 0 : slabdata 1 1 0\n';
    const r = parseSlabinfo(text);
    expect(r).toEqual(parseSlabinfoLines(text));
    expect(r.kind === 'ok' && r.value.anomalies?.map((a) => [a.line, a.name])).toEqual([
      [4, 'bad'],
    ]);
  });
});
