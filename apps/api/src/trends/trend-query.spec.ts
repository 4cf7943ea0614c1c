import { RequestValidationError } from '../common/request-validation.error';
import { processListOf } from './accounting.service';
import { autoBucketSeconds, bucketParam, resolveBucket, resolveRange } from './trend-query';

const range = (hours: number) => ({
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date(Date.parse('2026-11-01T00:00:00Z') + hours * 3600_000),
});

describe('bucketParam', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['2d', 172800],
    ['90', 90],
  ])('reads %s as %d seconds', (text, seconds) => {
    expect(bucketParam.parse(text)).toBe(seconds);
  });

  it.each(['0', '5x', '-5m', '1.5h', '', 'm'])('refuses %j', (text) => {
    expect(bucketParam.safeParse(text).success).toBe(false);
  });
});

describe('resolveRange', () => {
  it('defaults to the 24 h before now', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    expect(resolveRange({}, now)).toEqual({ from: new Date('2026-11-24T10:00:00Z'), to: now });
  });

  it('refuses a from after to, and a range over 366 days, naming from', () => {
    for (const q of [
      { from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' },
      { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
    ]) {
      const e = (() => {
        try {
          resolveRange(q);
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(RequestValidationError);
      expect((e as RequestValidationError).errors[0]?.field).toBe('from');
    }
  });
});

describe('bucket choice', () => {
  it('rounds the default up to a round width', () => {
    expect(autoBucketSeconds(range(24), 200)).toBe(600); // 432 s -> 10 min
    expect(autoBucketSeconds(range(30 * 24), 100)).toBe(43200); // 7.2 h -> 12 h
    expect(autoBucketSeconds(range(14 * 24), 100)).toBe(14400); // 3.4 h -> 4 h
    expect(autoBucketSeconds(range(366 * 24), 100)).toBe(4 * 86400);
  });

  it('refuses an explicit bucket that gives more points than allowed', () => {
    expect(resolveBucket(range(24), 300, { target: 100, max: 500 })).toBe(300);
    expect(() => resolveBucket(range(24), 60, { target: 100, max: 500 })).toThrow(
      RequestValidationError,
    );
  });
});

describe('processListOf', () => {
  it('keeps the sum and count of the collected ps list, so accounting is the same', () => {
    const top = [
      { pid: 1, rssBytes: 5000, comm: 'a' },
      { pid: 2, rssBytes: 3000, comm: 'b' },
    ];
    const list = processListOf({ count: 5, rssSumBytes: 9000, top });
    expect(list.processes).toHaveLength(5);
    expect(list.processes.reduce((s, p) => s + p.rssBytes, 0)).toBe(9000);
    expect(processListOf({ count: 2, rssSumBytes: 8000, top }).processes).toEqual(top);
  });
});
