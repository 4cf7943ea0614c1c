import {
  DEFAULT_RETRY_SCHEDULE,
  nextDelay,
  parseRetryAfter,
  parseRetrySchedule,
  RetryScheduleError,
} from './retry-schedule';

const noJitter = { jitter: 0 };

describe('DEFAULT_RETRY_SCHEDULE', () => {
  it('follows the Standard Webhooks schedule after an immediate first attempt', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
  });
});

describe('parseRetrySchedule', () => {
  it('reads comma-separated seconds', () => {
    expect(parseRetrySchedule('1,2,5')).toEqual([1, 2, 5]);
    expect(parseRetrySchedule(' 0 , 0.5,30 ')).toEqual([0, 0.5, 30]);
  });

  it('falls back to the default when unset or blank', () => {
    expect(parseRetrySchedule(undefined)).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(parseRetrySchedule('  ')).toBe(DEFAULT_RETRY_SCHEDULE);
  });

  it('names every bad entry in its error', () => {
    expect(() => parseRetrySchedule('1,x,-3,,5s')).toThrow(RetryScheduleError);
    expect(() => parseRetrySchedule('1,x,-3,,5s')).toThrow(/bad entries: "x", "-3", "", "5s"/);
    expect(() => parseRetrySchedule('100000')).toThrow(/between 0 and 86400/);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:01:30 GMT', now)).toBe(90);
  });
  it('clamps dates in the past to zero and ignores junk', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('nextDelay', () => {
  it('walks the schedule by attempt and ends with null', () => {
    const schedule = [1, 2, 5];
    expect(nextDelay(1, schedule, undefined, noJitter)).toBe(1000);
    expect(nextDelay(2, schedule, undefined, noJitter)).toBe(2000);
    expect(nextDelay(3, schedule, undefined, noJitter)).toBe(5000);
    expect(nextDelay(4, schedule, undefined, noJitter)).toBeNull();
    expect(nextDelay(8, DEFAULT_RETRY_SCHEDULE, undefined, noJitter)).toBeNull();
    expect(nextDelay(7, DEFAULT_RETRY_SCHEDULE, undefined, noJitter)).toBe(36_000_000);
  });

  it('spreads the delay by at most the jitter fraction either way', () => {
    const low = nextDelay(2, DEFAULT_RETRY_SCHEDULE, undefined, { jitter: 0.1, random: () => 0 });
    const high = nextDelay(2, DEFAULT_RETRY_SCHEDULE, undefined, {
      jitter: 0.1,
      random: () => 0.999999,
    });
    expect(low).toBe(270_000);
    expect(high).toBeGreaterThan(329_000);
    expect(high).toBeLessThanOrEqual(330_000);
    for (let i = 0; i < 200; i++) {
      const d = nextDelay(1, DEFAULT_RETRY_SCHEDULE)!;
      expect(d).toBeGreaterThanOrEqual(4500);
      expect(d).toBeLessThanOrEqual(5500);
    }
  });

  it('waits as long as Retry-After asks when that is later than the schedule', () => {
    expect(nextDelay(1, DEFAULT_RETRY_SCHEDULE, '60', noJitter)).toBe(60_000);
    // An earlier Retry-After does not make us retry sooner than planned.
    expect(nextDelay(2, DEFAULT_RETRY_SCHEDULE, '1', noJitter)).toBe(300_000);
  });

  it('caps Retry-After at the longest step so a receiver cannot park a message', () => {
    expect(nextDelay(1, [1, 2, 5], '3600', noJitter)).toBe(5000);
    expect(nextDelay(1, DEFAULT_RETRY_SCHEDULE, '999999', noJitter)).toBe(36_000_000);
    expect(nextDelay(1, [1], '3600', { ...noJitter, maxRetryAfterSeconds: 120 })).toBe(120_000);
  });

  it('does not retry after the last step even when Retry-After asks', () => {
    expect(nextDelay(4, [1, 2, 5], '1', noJitter)).toBeNull();
  });

  it('rejects attempt numbers that are not 1-based integers', () => {
    expect(() => nextDelay(0)).toThrow(RetryScheduleError);
    expect(() => nextDelay(1.5)).toThrow(RetryScheduleError);
  });
});
