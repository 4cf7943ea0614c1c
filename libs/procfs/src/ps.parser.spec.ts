import {
  errorOf,
  okValue,
  readFixture,
  readTimeline,
  timelineSnapshots,
} from '../testing/fixtures';
import { parsePs } from './ps.parser';

describe('parsePs on `ps -eo pid=,rss=,comm=`', () => {
  it.each(timelineSnapshots())(
    'parses timeline snapshot %s: one process per line, RSS in bytes',
    (snap) => {
      const text = readTimeline(snap, 'ps');
      const p = okValue(parsePs(text));
      expect(p.processes).toHaveLength(text.trim().split('\n').length);
      const first = text.trim().split('\n')[0]?.trim().split(/\s+/) ?? [];
      expect(p.processes[0]).toMatchObject({
        pid: Number(first[0]),
        rssBytes: Number(first[1]) * 1024,
      });
    },
  );

  it('reads kernel threads with RSS 0 and names with slashes', () => {
    const p = okValue(parsePs(readTimeline('00000', 'ps')));
    expect(p.processes[0]).toEqual({ pid: 1, rssBytes: 8496 * 1024, comm: 'process_api' });
    expect(p.processes.find((x) => x.comm === 'kthreadd')).toEqual({
      pid: 2,
      rssBytes: 0,
      comm: 'kthreadd',
    });
    expect(p.processes.find((x) => x.comm === 'kworker/R-rcu_gp')?.rssBytes).toBe(0);
  });

  it('keeps spaces, slashes, colons and parentheses inside comm', () => {
    const text =
      '    1  12000 systemd\n  812      0 kworker/0:1H\n 1433   4268 (sd-pam)\n 9021 812344 Web Content\n';
    expect(okValue(parsePs(text)).processes).toEqual([
      { pid: 1, rssBytes: 12000 * 1024, comm: 'systemd' },
      { pid: 812, rssBytes: 0, comm: 'kworker/0:1H' },
      { pid: 1433, rssBytes: 4268 * 1024, comm: '(sd-pam)' },
      { pid: 9021, rssBytes: 812344 * 1024, comm: 'Web Content' },
    ]);
  });

  it('keeps non-ASCII comm intact', () => {
    expect(okValue(parsePs('  7 100 naïve ĉ\u4e2d\n')).processes[0]?.comm).toBe('naïve ĉ\u4e2d');
  });

  it.each([
    ['empty output', '', 1],
    ['a missing comm', '  1 100\n', 1],
    ['a word for rss', '  1 100 init\n  2 lots kthreadd\n', 2],
    ['a negative pid', ' -1 100 x\n', 1],
  ])('rejects %s, naming the line', (_why, text, line) => {
    const e = errorOf(parsePs(text, 'ps'));
    expect(e.file).toBe('ps');
    expect(e.line).toBe(line);
  });
});

describe('parsePs on sosreport listings with a header row', () => {
  it.each(['rhcos-4.18-el8-master-ps_auxwww.txt', 'rhcos-4.18-el8-master-ps_alxwww.txt'])(
    'reads PID and RSS by column in %s; comm is the whole command line',
    (name) => {
      const text = readFixture('ps', name);
      const p = okValue(parsePs(text, name));
      expect(p.processes).toHaveLength(text.trim().split('\n').length - 1);
      expect(p.processes[0]).toEqual({
        pid: 1,
        rssBytes: 13796 * 1024,
        comm: '/usr/lib/systemd/systemd --switched-root --system --deserialize 17',
      });
      expect(p.processes.find((x) => x.pid === 2)).toEqual({
        pid: 2,
        rssBytes: 0,
        comm: '[kthreadd]',
      });
    },
  );

  it('rejects ps -elfL, which has no RSS column', () => {
    const e = errorOf(parsePs(readFixture('ps', 'rhcos-4.18-el8-master-ps_-elfL.txt'), 'ps_-elfL'));
    expect(e.line).toBe(1);
    expect(e.reason).toMatch(/PID and RSS/);
  });
});
