import {
  allFixtures,
  okValue as value,
  readFixture,
  readTimeline,
  timelineSnapshots,
} from '../testing/fixtures';
import { parseMeminfo, parseNodeMeminfo } from './meminfo.parser';
import type { Meminfo, NodeMeminfo } from './types';

const KB = 1024;

const fieldsOf = (name: string): Meminfo['fields'] =>
  value(parseMeminfo(readFixture('meminfo', name))).fields;

describe('parseMeminfo: field sets that differ by arch and age', () => {
  it('keeps an Android GKI capture without HugePages or DirectMap lines, where KReclaimable > Slab', () => {
    const m = value(
      parseMeminfo(
        readFixture('meminfo', 'android15-gki-6.6.50-arm64-sm8750-no-hugepages-no-directmap.txt'),
      ),
    );
    expect(m.countFields).toEqual([]);
    expect(m.fields.HugePages_Total).toBeUndefined();
    expect(m.fields.DirectMap4k).toBeUndefined();
    expect(m.fields.KReclaimable).toBe(1242056 * KB);
    expect(m.fields.Slab).toBe(783164 * KB);
    expect(m.fields.Committed_AS).toBe(307714316 * KB);
  });

  it('reads the 22-line 2.6.8 layout (no SReclaimable split, HighTotal present)', () => {
    const f = fieldsOf('lkml-2004-heskett-2.6.8-rc4-i386-highmem-slab71pct.txt');
    expect(Object.keys(f)).toHaveLength(22);
    expect(f.Slab).toBe(736384 * KB);
    expect(f.SReclaimable).toBeUndefined();
    expect(f.HighTotal).toBeDefined();
  });
});

describe('parseMeminfo on every real capture', () => {
  it.each(allFixtures('meminfo'))('parses %s with MemTotal and MemFree', (_name, text) => {
    const m = value(parseMeminfo(text));
    expect(m.fields.MemTotal).toBeGreaterThan(0);
    expect(m.fields.MemFree).toBeGreaterThan(0);
    // every counted field really is unit-less in the text
    for (const f of m.countFields) expect(text).toMatch(new RegExp(`^${f}:\\s+\\d+\\s*$`, 'm'));
  });
});

describe('parseMeminfo on the rsync drop-and-regrowth timeline', () => {
  it.each(timelineSnapshots())('parses snapshot %s', (snap) => {
    expect(value(parseMeminfo(readTimeline(snap, 'meminfo'))).fields.MemTotal).toBeGreaterThan(
      20 * 2 ** 30,
    );
  });

  it('sees SReclaimable fall from 852548 kB to 668092 kB across echo 2 > drop_caches', () => {
    const sreclaimable = (snap: string): number | undefined =>
      value(parseMeminfo(readTimeline(snap, 'meminfo'))).fields.SReclaimable;
    expect(sreclaimable('00017')).toBe(852548 * KB);
    expect(sreclaimable('00018')).toBe(668092 * KB);
  });
});

describe('parseMeminfo: broken text', () => {
  it('reports an empty read as an error: meminfo is world-readable', () => {
    const r = parseMeminfo('');
    expect(r.kind).toBe('error');
    expect(parseMeminfo('\0\0\n').kind).toBe('error');
  });

  it('names the file, the 1-based line and the reason', () => {
    const r = parseMeminfo('MemTotal: 1 kB\nMemFree: 2 MB\n', '/host/meminfo');
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.error.file).toBe('/host/meminfo');
      expect(r.error.line).toBe(2);
      expect(r.error.reason).toMatch(/MemFree/);
      expect(r.error.message).toMatch(/^\/host\/meminfo:2: /);
    }
  });

  it.each([
    ['no colon', 'MemTotal 1 kB\n'],
    ['no value', 'MemTotal:\n'],
    ['negative value', 'MemTotal: -1 kB\n'],
    ['duplicate field', 'MemTotal: 1 kB\nMemTotal: 2 kB\n'],
    ['a node meminfo line', 'Node 0 MemTotal: 1 kB\n'],
    ['value beyond 2^53 bytes', 'MemTotal: 99999999999999999 kB\n'],
  ])('rejects %s', (_why, text) => {
    expect(parseMeminfo(text).kind).toBe('error');
  });

  it('accepts CRLF line ends and trailing NULs', () => {
    expect(value(parseMeminfo('MemTotal: 4 kB\r\nMemFree: 1 kB\r\n\0\0\0')).fields).toEqual({
      MemTotal: 4096,
      MemFree: 1024,
    });
  });
});

describe('parseNodeMeminfo', () => {
  it.each(allFixtures('meminfo-node'))('parses %s', (name, text) => {
    const m: NodeMeminfo = value(parseNodeMeminfo(text, name));
    expect(name).toMatch(new RegExp(`node${m.node}\\b`));
    expect(m.fields.MemTotal).toBeGreaterThan(0);
    expect(m.fields.MemUsed).toBeDefined();
  });

  it('matches node_exporter meminfo_numa values', () => {
    const n0 = value(parseNodeMeminfo(readFixture('meminfo-node', 'node-exporter-node0-128g.txt')));
    expect(n0.fields['Active(anon)']).toBe(707915776);
    expect(n0.fields.AnonHugePages).toBe(150994944);
    const n1 = value(parseNodeMeminfo(readFixture('meminfo-node', 'node-exporter-node1-128g.txt')));
    expect(n1.node).toBe(1);
    expect(n1.fields['Inactive(anon)']).toBe(291930112);
    expect(n1.fields.FilePages).toBe(85585088512);
  });

  it('ignores the 3026 NULs of a page-sized sysfs read', () => {
    const text = readFixture('meminfo-node', 'pcp-meminfo-root-004-haswell-vm-4g-node0.txt');
    expect(text.length).toBe(4096);
    const m = value(parseNodeMeminfo(text));
    expect(m.fields.MemTotal).toBe(4020980 * KB);
  });

  it('rejects a file that mixes nodes', () => {
    const r = parseNodeMeminfo('Node 0 MemTotal: 1 kB\nNode 1 MemFree: 1 kB\n');
    expect(r.kind === 'error' && r.error.line).toBe(2);
  });
});

describe('parseMeminfo on large input', () => {
  it('parses a multi-megabyte text, then small ones again (scratch buffer regrown)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `F${i}: ${i} kB`).join('\n');
    const big = value(parseMeminfo(rows));
    expect(big.fields.F199999).toBe(199999 * KB);
    expect(value(parseMeminfo('MemTotal: 2 kB\nMemFree: 1 kB\n')).fields).toEqual({
      MemTotal: 2048,
      MemFree: 1024,
    });
  });
});
