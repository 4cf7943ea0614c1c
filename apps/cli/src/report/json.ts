import { randomBytes } from 'node:crypto';

/**
 * JSON.stringify that keeps bigints exact. vmstat counters pass 2^53 on long-lived hosts; they
 * are written as plain JSON integers with all their digits (JSON has no size limit on numbers;
 * jq 1.7 and Python keep them exact, JavaScript's JSON.parse rounds past 2^53).
 */
export function toJson(value: unknown, indent = 2): string {
  // A per-call random marker: no string from a captured file can forge it.
  const mark = `bigint-${randomBytes(8).toString('hex')}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? `${mark}${v.toString()}` : v),
    indent,
  );
  return text.replace(new RegExp(`"${mark}(-?\\d+)"`, 'g'), '$1');
}
