/**
 * Delays (seconds) before each retry. The first attempt is always immediate, so with the
 * Standard Webhooks default — immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — a
 * message gets 8 attempts over about 27.6 hours.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  5, 300, 1800, 7200, 18000, 36000, 36000,
]);

export class RetryScheduleError extends Error {
  override readonly name = 'RetryScheduleError';
}

const SECONDS = /^\d+(\.\d+)?$/;
// A step longer than a day is almost certainly a unit mistake (ms typed as seconds).
const MAX_STEP_SECONDS = 24 * 3600;

/**
 * Parses MEMFLEET_WEBHOOK_RETRY_SCHEDULE: comma-separated delays in seconds before each retry,
 * e.g. "1,2,5" gives 4 attempts. Unset or blank means the default schedule.
 */
export function parseRetrySchedule(raw: string | undefined): readonly number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  const tokens = raw.split(',').map((t) => t.trim());
  const bad = tokens.filter((t) => !SECONDS.test(t) || Number(t) > MAX_STEP_SECONDS);
  if (bad.length > 0) {
    throw new RetryScheduleError(
      `MEMFLEET_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds between 0 and ${MAX_STEP_SECONDS} ` +
        `(e.g. "5,300,1800"); bad entries: ${bad.map((t) => JSON.stringify(t)).join(', ')}`,
    );
  }
  return Object.freeze(tokens.map(Number));
}

/**
 * Reads Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns whole seconds
 * from `now`, never negative, or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // Date.parse would accept "5" or "tomorrow"-like junk on some engines; require a weekday/month shape.
  if (!/[A-Za-z]{3},? /.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export interface NextDelayOptions {
  /** Fraction of the scheduled delay to spread by, either way; 0.1 = ±10 %. */
  jitter?: number;
  /** Injected so tests can pin the jitter; returns [0, 1). */
  random?: () => number;
  /** A receiver cannot park a message longer than this; default: the schedule's longest step. */
  maxRetryAfterSeconds?: number;
  now?: number;
}

/**
 * Milliseconds to wait after attempt `attempt` (1-based) failed, or null when the schedule is
 * exhausted and the message is dead. Jitter spreads retries of one outage over time, so a
 * recovering receiver is not hit by every message at once. A Retry-After asks for a later
 * retry and wins over the schedule, capped so a hostile receiver cannot stall delivery.
 * `retryAfter` is the raw header or the seconds DeliveryOutcome.retryAfterSeconds carries.
 */
export function nextDelay(
  attempt: number,
  schedule: readonly number[] = DEFAULT_RETRY_SCHEDULE,
  retryAfter?: string | number,
  options: NextDelayOptions = {},
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RetryScheduleError(`attempt is 1-based, got ${attempt}`);
  }
  const step = schedule[attempt - 1];
  if (step === undefined) return null;
  const jitter = options.jitter ?? 0.1;
  const random = options.random ?? Math.random;
  const scheduledMs = step * 1000 * (1 + jitter * (2 * random() - 1));
  const cap = options.maxRetryAfterSeconds ?? Math.max(...schedule);
  const asked =
    typeof retryAfter === 'number' ? retryAfter : parseRetryAfter(retryAfter, options.now);
  const askedMs = asked === undefined || !(asked >= 0) ? 0 : Math.min(asked, cap) * 1000;
  return Math.round(Math.max(scheduledMs, askedMs, 0));
}
