import { errorOf, okValue } from '../testing/fixtures';
import { parseTunables } from './tunables.parser';

describe('parseTunables', () => {
  it('reads every known vm tunable from /proc/sys/vm/<name> and ignores other files', () => {
    const t = okValue(
      parseTunables({
        '/proc/meminfo': 'MemTotal: 1 kB\n',
        '/proc/sys/vm/swappiness': '60\n',
        '/proc/sys/vm/min_free_kbytes': '67584\n',
        '/proc/sys/vm/vfs_cache_pressure': '100\n',
        '/proc/sys/vm/overcommit_memory': '0\n',
        '/proc/sys/vm/overcommit_ratio': '50\n',
        '/proc/sys/vm/watermark_scale_factor': '10\n',
        '/proc/sys/vm/zone_reclaim_mode': '0\n',
        '/proc/sys/vm/compaction_proactiveness': '20\n',
        '/proc/sys/vm/extfrag_threshold': '500\n',
        '/proc/sys/vm/dirty_ratio': 'not a number, but not ours either\n',
      }),
    );
    expect(t).toEqual({
      swappiness: 60,
      min_free_kbytes: 67584,
      vfs_cache_pressure: 100,
      overcommit_memory: 0,
      overcommit_ratio: 50,
      watermark_scale_factor: 10,
      zone_reclaim_mode: 0,
      compaction_proactiveness: 20,
      extfrag_threshold: 500,
    });
  });

  it('leaves a tunable the kernel lacks absent, not 0', () => {
    const t = okValue(parseTunables({ '/proc/sys/vm/swappiness': '10' }));
    expect(t).toEqual({ swappiness: 10 });
    expect('compaction_proactiveness' in t).toBe(false);
  });

  it('accepts bare names and a signed value', () => {
    expect(okValue(parseTunables({ swappiness: ' 5 \n', extfrag_threshold: '-1\n' }))).toEqual({
      swappiness: 5,
      extfrag_threshold: -1,
    });
  });

  it.each([
    ['a word', 'sixty\n'],
    ['an empty file', ''],
    ['two values', '60 70\n'],
    ['two lines', '60\n70\n'],
    ['a fraction', '6.5\n'],
  ])('rejects %s, naming the file', (_why, text) => {
    const e = errorOf(parseTunables({ '/proc/sys/vm/swappiness': text }));
    expect(e.file).toBe('/proc/sys/vm/swappiness');
    expect(e.line).toBe(1);
    expect(e.reason).toMatch(/swappiness is not an integer/);
  });
});
