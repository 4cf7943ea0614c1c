import { Redis, type RedisOptions } from 'ioredis';

/**
 * Two kinds of Redis client:
 * - `worker`: BullMQ requires `maxRetriesPerRequest: null` on connections used by Workers (blocking
 *   commands must wait out a Redis restart instead of failing), and it reconnects forever.
 * - `producer`: used inside HTTP requests (enqueue a manual collection); fails fast so a Redis
 *   outage answers 503 instead of hanging the request.
 */
export type RedisRole = 'worker' | 'producer';

/** Reconnect backoff: quick at first, capped so a restarted Redis is picked up within 2 s. */
const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** attempt, 2_000);

/** ioredis allows `retryStrategy: null`, BullMQ's option type does not; ours is always a function. */
export type QueueRedisOptions = RedisOptions & { retryStrategy: (attempt: number) => number };

export function redisOptions(redisUrl: string, role: RedisRole): QueueRedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error('REDIS_URL path must be a database index');
  const base: QueueRedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    tls: url.protocol === 'rediss:' ? {} : undefined,
    retryStrategy: reconnectDelay,
  };
  return role === 'worker'
    ? { ...base, maxRetriesPerRequest: null }
    : { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** A client the caller owns and must `quit()`. BullMQ duplicates it for its blocking connection. */
export function createRedisConnection(redisUrl: string, role: RedisRole): Redis {
  return new Redis(redisOptions(redisUrl, role));
}
