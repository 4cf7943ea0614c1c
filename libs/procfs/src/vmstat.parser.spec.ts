import {
  allFixtures,
  errorOf,
  okValue,
  readFixture,
  readTimeline,
  timelineSnapshots,
} from '../testing/fixtures';
import { parseVmstat } from './vmstat.parser';

const vm = (name: string): ReadonlyMap<string, bigint> =>
  okValue(parseVmstat(readFixture('vmstat', name), name)).counters;

describe('parseVmstat on every real capture', () => {
  it.each(allFixtures('vmstat'))('parses %s: every line becomes a counter', (_name, text) => {
    expect(okValue(parseVmstat(text)).counters.size).toBe(text.trim().split('\n').length);
  });

  it('sees drop_slab go from 5 to 6 across the echo 2 > drop_caches of the timeline', () => {
    const slab = (snap: string): bigint | undefined =>
      okValue(parseVmstat(readTimeline(snap, 'vmstat'))).counters.get('drop_slab');
    expect(slab('00017')).toBe(5n);
    expect(slab('00018')).toBe(6n);
    expect(timelineSnapshots().map(slab).at(-1)).toBe(6n);
  });
});

describe('parseVmstat: values', () => {
  it('matches node_exporter, with compact_free_scanned above 2^32', () => {
    const c = vm('node-exporter-compact-drop-counters.txt');
    expect(
      Object.fromEntries(
        ['oom_kill', 'pgfault', 'pgmajfault', 'pgpgin', 'pgpgout', 'pswpin', 'pswpout'].map((k) => [
          k,
          c.get(k),
        ]),
      ),
    ).toEqual({
      oom_kill: 0n,
      pgfault: 2320168809n,
      pgmajfault: 507162n,
      pgpgin: 7344136n,
      pgpgout: 1541180581n,
      pswpin: 1476n,
      pswpout: 35045n,
    });
    expect(c.get('compact_free_scanned')).toBe(12336622550n);
    expect(c.get('compact_stall')).toBe(210959n);
    expect(c.get('drop_slab')).toBe(0n);
  });

  it('matches nagios-plugins-linux, and keys its kernel lacks are absent (not 0)', () => {
    const c = vm('nagios-plugins-linux.txt');
    expect(c.get('nr_dirty')).toBe(20n);
    expect(c.get('nr_mapped')).toBe(314943n);
    expect(c.get('pgalloc_normal')).toBe(70896125n);
    expect(c.get('pgfault')).toBe(91270548n);
    expect(c.get('pgfree')).toBe(91315814n);
    expect(c.get('pswpin')).toBe(10402n);
    expect(c.get('pswpout')).toBe(12250n);
    // nagios reads these as 0; this kernel has no such key
    expect(c.get('pgsteal')).toBeUndefined();
    expect(c.get('pgscan')).toBeUndefined();
  });

  it('matches proc_sys_parser on a 6.x arm64 file without a final newline', () => {
    const c = vm('proc-sys-parser-arm64-6x-rpi-like-no-eol.txt');
    expect(c.get('nr_free_pages')).toBe(778263n);
    expect(c.get('nr_shadow_call_stack')).toBe(712n);
    expect(c.get('cma_alloc_success')).toBe(3n);
    expect(c.get('nr_dirty_background_threshold')).toBe(93023n);
    expect(c.get('drop_slab')).toBe(0n);
    expect(c.get('nr_unstable')).toBe(0n);
  });

  it('reads the 43 keys of 2.6.16 and nr_unstable as a last line', () => {
    expect(vm('d2000-arm720t-2.6.16-old-format.txt').size).toBe(43);
    expect(vm('d2000-arm720t-2.6.16-old-format.txt').get('nr_slab')).toBeDefined();
    expect([...vm('issabel-vm-5x-style.txt').keys()].at(-1)).toBe('nr_unstable');
  });

  it('keeps values past 2^53 exact', () => {
    const c = okValue(
      parseVmstat('pgfault 18446744073709551615\npgfree 9007199254740993\n'),
    ).counters;
    expect(c.get('pgfault')).toBe(18446744073709551615n);
    expect(c.get('pgfree')).toBe(9007199254740993n);
  });

  it.each([
    ['empty text', '', 1],
    ['a negative value', 'pgfault 1\npgfree -1\n', 2],
    ['a missing value', 'pgfault\n', 1],
    ['a duplicate key', 'pgfault 1\npgfault 2\n', 2],
    ['text after the value', 'pgfault 1 2\n', 1],
  ])('rejects %s, naming the line', (_why, text, line) => {
    expect(errorOf(parseVmstat(text, '/proc/vmstat')).line).toBe(line);
  });
});
