import { z } from 'zod';
import { RequestValidationError } from '../common/request-validation.error';

/**
 * Time range and bucket parameters shared by every per-host trend endpoint: `from`/`to` default
 * to the last 24 h, `bucket` is `30s`, `5m`, `1h`, `1d` or plain seconds.
 */

const DAY = 86_400;
/** The longest range a trend endpoint reads: a year and a day. */
export const MAX_RANGE_SECONDS = 366 * DAY;

const isoDateTime = z.iso.datetime({ offset: true });
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: DAY };

export const bucketParam = z
  .string()
  .regex(/^[1-9]\d{0,7}[smhd]?$/, 'a duration such as 30s, 5m, 1h, 1d, or seconds')
  .transform((v) => {
    const unit = /[smhd]$/.test(v) ? (v.slice(-1) as string) : 's';
    return Number.parseInt(v, 10) * (UNIT_SECONDS[unit] as number);
  })
  .describe(
    'Bucket width: 30s, 5m, 1h, 1d or seconds; default: about 200 buckets (100 where payloads are decoded)',
  );

export const rangeFields = {
  from: isoDateTime.optional().describe('Inclusive start; default: `to` minus 24 h'),
  to: isoDateTime.optional().describe('Inclusive end; default: now'),
};

export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

/** from/to with their defaults; a reversed or over-long range is a 400 naming `from`. */
export function resolveRange(q: { from?: string; to?: string }, now = new Date()): TimeRange {
  const to = q.to === undefined ? now : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - DAY * 1000) : new Date(q.from);
  if (from.getTime() > to.getTime())
    throw new RequestValidationError(
      [{ field: 'from', message: 'from must not be after to' }],
      'query',
    );
  if ((to.getTime() - from.getTime()) / 1000 > MAX_RANGE_SECONDS)
    throw new RequestValidationError(
      [{ field: 'from', message: `the range may span at most ${MAX_RANGE_SECONDS / DAY} days` }],
      'query',
    );
  return { from, to };
}

// No 8 h on purpose: 30 days then take 12 h buckets (60 decoded snapshots), not 90.
const NICE_BUCKETS = [
  1,
  5,
  10,
  15,
  30,
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  10800,
  14400,
  21600,
  43200,
  DAY,
];

/** The smallest round bucket that cuts the range into at most `target` buckets. */
export function autoBucketSeconds(range: TimeRange, target: number): number {
  const seconds = (range.to.getTime() - range.from.getTime()) / 1000;
  const raw = seconds / target;
  return NICE_BUCKETS.find((b) => b >= raw) ?? Math.ceil(raw / DAY) * DAY;
}

/**
 * The bucket asked for, or a round one giving about `target` buckets. An explicit bucket that
 * would cut the range into more than `max` buckets is a 400: the work must stay bounded.
 */
export function resolveBucket(
  range: TimeRange,
  bucket: number | undefined,
  limits: { target: number; max: number },
): number {
  if (bucket === undefined) return autoBucketSeconds(range, limits.target);
  const buckets = (range.to.getTime() - range.from.getTime()) / 1000 / bucket;
  if (buckets > limits.max)
    throw new RequestValidationError(
      [
        {
          field: 'bucket',
          message: `${Math.ceil(buckets)} buckets over this range; at most ${limits.max} (widen the bucket)`,
        },
      ],
      'query',
    );
  return bucket;
}
