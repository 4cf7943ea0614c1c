import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Does `Authorization: Bearer <token>` carry the expected token? Both sides are hashed first so
 * the comparison is constant-time even when the lengths differ (timingSafeEqual throws on unequal
 * lengths, and an early length check would leak the token's length).
 */
export function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const given = match?.[1];
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
