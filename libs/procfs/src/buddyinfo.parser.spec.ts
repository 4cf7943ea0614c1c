import {
  allFixtures,
  errorOf,
  okValue,
  readFixture,
  readTimeline,
  timelineSnapshots,
} from '../testing/fixtures';
import { parseBuddyinfo } from './buddyinfo.parser';
import type { Buddyinfo } from './types';

const buddy = (name: string): Buddyinfo =>
  okValue(parseBuddyinfo(readFixture('buddyinfo', name), name));
const blocks = (b: Buddyinfo, node: number, zone: string): readonly number[] | undefined =>
  b.zones.find((z) => z.node === node && z.zone === zone)?.freeBlocks;

describe('parseBuddyinfo on every real capture', () => {
  it.each(allFixtures('buddyinfo'))('parses %s: one entry per line, 11 orders', (_name, text) => {
    const b = okValue(parseBuddyinfo(text));
    expect(b.zones).toHaveLength(text.trim().split('\n').length);
    for (const z of b.zones) expect(z.freeBlocks).toHaveLength(11);
  });

  it.each(timelineSnapshots())('parses timeline snapshot %s (and its two re-reads)', (snap) => {
    for (const f of ['buddyinfo', 'buddyinfo2', 'buddyinfo3']) {
      expect(okValue(parseBuddyinfo(readTimeline(snap, f))).zones.map((z) => z.zone)).toEqual([
        'DMA',
        'DMA32',
        'Normal',
      ]);
    }
  });
});

describe('parseBuddyinfo: values asserted by upstream projects', () => {
  it('matches prometheus/procfs on its capture without trailing spaces', () => {
    const b = buddy('procfs-ttar-x86-3zones.txt');
    expect(b.zones[0]?.zone).toBe('DMA');
    expect(b.zones[2]?.zone).toBe('Normal');
    expect(b.zones[2]?.freeBlocks[0]).toBe(4381);
    expect(b.zones[1]?.freeBlocks[1]).toBe(572);
    expect(b.zones.every((z) => z.node === 0)).toBe(true);
  });

  it('matches node_exporter on the byte-faithful copy (trailing space), same as procfs copy', () => {
    const b = buddy('node-exporter-x86-3zones-trailing-space.txt');
    expect(blocks(b, 0, 'DMA')).toEqual([1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3]);
    expect(blocks(b, 0, 'DMA32')).toEqual([759, 572, 791, 475, 194, 45, 12, 0, 0, 0, 0]);
    expect(blocks(b, 0, 'Normal')).toEqual([4381, 1093, 185, 1530, 567, 102, 4, 0, 0, 0, 0]);
    expect(b).toEqual(buddy('procfs-ttar-x86-3zones.txt'));
  });

  it('matches PCP qa/821 pages and total kB (pages x 2^order x 4)', () => {
    const b = buddy('pcp-meminfo-root-001-i7-16g.txt');
    expect(blocks(b, 0, 'DMA')).toEqual([3, 1, 2, 2, 2, 1, 0, 0, 1, 1, 3]);
    expect(blocks(b, 0, 'DMA32')).toEqual([470, 524, 98, 154, 86, 30, 23, 10, 26, 12, 681]);
    expect(blocks(b, 0, 'Normal')).toEqual([188, 420, 143, 11, 2, 0, 0, 0, 0, 0, 1]);
    const kb = (zone: string): number[] =>
      (blocks(b, 0, zone) ?? []).map((n, order) => n * 2 ** order * 4);
    expect(kb('DMA32')).toEqual([
      1880, 4192, 1568, 4928, 5504, 3840, 5888, 5120, 26624, 24576, 2789376,
    ]);
    expect(kb('Normal')).toEqual([752, 3360, 2288, 352, 128, 0, 0, 0, 0, 0, 4096]);
  });

  it('matches insights-core on 2 nodes and on a fragmented Normal zone', () => {
    const two = buddy('insights-core-2node.txt');
    expect(two.zones).toHaveLength(4);
    expect(two.zones[2]).toMatchObject({ node: 0, zone: 'Normal' });
    expect(two.zones[2]?.freeBlocks[10]).toBe(6120);
    expect(two.zones[3]).toMatchObject({ node: 1, zone: 'Normal' });
    expect(two.zones[3]?.freeBlocks[10]).toBe(6723);
    const one = buddy('insights-core-1node-fragmented-normal.txt');
    expect(one.zones).toHaveLength(3);
    expect(one.zones[0]?.freeBlocks[9]).toBe(1);
  });
});

describe('parseBuddyinfo: format edge cases', () => {
  it('reads 6-digit counts separated by a single space, with and without trailing space', () => {
    const b = buddy('plantegg-755g-1node-mixed-trailing-space.txt');
    expect(blocks(b, 0, 'Normal')).toEqual([
      243430, 643847, 357451, 32531, 9508, 6159, 3917, 2960, 17172, 2633, 22854,
    ]);
    expect(blocks(buddy('plantegg-hygon-8node-x86.txt'), 0, 'Normal')?.slice(0, 3)).toEqual([
      38337, 145731, 222145,
    ]);
  });

  it('reads 8 NUMA nodes', () => {
    const nodes = new Set(buddy('linux-mm-2016-qiu-8node-x86.txt').zones.map((z) => z.node));
    expect([...nodes]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it.each([
    ['DMA only (ARM720T)', 'd2000-arm720t-2.6.16-dma-only.txt', ['DMA']],
    [
      'Normal + HighMem (32-bit ARM)',
      'goclever-insignia5-android-3.4.5-armv7-highmem.txt',
      ['Normal', 'HighMem'],
    ],
    ['DMA + DMA32 without Normal (small VM)', 'debian11-5.10-2g-vm.txt', ['DMA', 'DMA32']],
    ['Normal only (ARMv7 router)', 'zte-router-4.1.25-armv7-94m-lowmem.txt', ['Normal']],
  ])('reads zone sets as printed: %s', (_why, name, zones) => {
    expect(buddy(name).zones.map((z) => z.zone)).toEqual(zones);
  });

  it('reads any number of orders, e.g. 14 on arm64 with 64K pages', () => {
    const row = (zone: string): string =>
      `Node 0, zone ${zone.padStart(8)} ${Array.from({ length: 14 }, (_, i) => String(i).padStart(6)).join(' ')} \n`;
    const b = okValue(parseBuddyinfo(row('DMA32') + row('Normal')));
    expect(b.zones[1]?.freeBlocks).toEqual(Array.from({ length: 14 }, (_, i) => i));
  });

  it('rejects rows whose order counts differ, naming the line', () => {
    const e = errorOf(
      parseBuddyinfo(
        'Node 0, zone DMA 1 2 3 4 5 6 7 8 9 10 11\nNode 0, zone DMA32 1 2 3 4 5 6 7 8 9 10 11 12\n',
      ),
    );
    expect(e.line).toBe(2);
    expect(e.reason).toBe('zone DMA32 has 12 orders but line 1 has 11');
  });

  it.each([
    ['empty text', '', 1],
    ['a header-only row', 'Node 0, zone DMA\n', 1],
    ['a missing comma', 'Node 0 zone DMA 1 2\n', 1],
    ['a word among counts', 'Node 0, zone DMA 1 2\nNode 0, zone Normal 1 x\n', 2],
  ])('rejects %s', (_why, text, line) => {
    expect(errorOf(parseBuddyinfo(text, '/proc/buddyinfo')).line).toBe(line);
  });
});
