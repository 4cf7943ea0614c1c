import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import type { HostRecord } from '@memfleet/db';
import {
  CollectScheduler,
  QUEUE,
  createRedisConnection,
  type CollectHostPayload,
  type CollectQueue,
} from '@memfleet/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { APP_LOGGER } from '../platform/tokens';
import { QueueUnavailableError } from './host.errors';

/**
 * BullMQ waits for Redis to come back rather than failing, which would hold an HTTP request (or
 * shutdown) for as long as Redis is down. Every queue call is bounded by this instead.
 */
const QUEUE_CALL_TIMEOUT_MS = 3_000;

/**
 * The API's one door to the scheduler: host changes reconcile that host's BullMQ job scheduler,
 * and "collect now" enqueues a job. The worker does the collecting.
 */
@Injectable()
export class HostSchedulingService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly queue: CollectQueue;
  private readonly scheduler: CollectScheduler;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(APP_LOGGER) logger: Logger) {
    // A producer connection fails fast: a Redis outage fails the request instead of hanging it.
    this.redis = createRedisConnection(config.redisUrl, 'producer');
    this.queue = new Queue<CollectHostPayload, unknown, string>(QUEUE.collect, {
      connection: this.redis,
    });
    this.scheduler = new CollectScheduler(this.queue);
    // Without listeners these 'error' events would crash the process; the failed call itself
    // still rejects, so requests that need Redis fail properly.
    const onError = (err: Error) =>
      logger.warn({ err: err.message }, 'redis (collect queue) error');
    this.redis.on('error', onError);
    this.queue.on('error', onError);
  }

  hostSaved(host: HostRecord): Promise<void> {
    return bounded('reschedule the host', () => this.scheduler.reconcileHost(host));
  }

  async hostDeleted(hostId: string): Promise<void> {
    await bounded('unschedule the host', () => this.scheduler.removeHost(hostId));
  }

  collectNow(hostId: string, requestId?: string): Promise<string> {
    return bounded('queue a collection', () => this.scheduler.enqueueNow(hostId, requestId));
  }

  /** For readiness: Redis answers within the bound. */
  async ping(): Promise<void> {
    await bounded('reach the collect queue', () => this.redis.ping());
  }

  async onModuleDestroy(): Promise<void> {
    await bounded('close the queue', () => this.queue.close()).catch(() => undefined);
    // quit() waits for Redis to answer; with Redis gone that would hold shutdown forever.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}

function bounded<T>(what: string, call: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new QueueUnavailableError(what, `no answer in ${QUEUE_CALL_TIMEOUT_MS} ms`)),
      QUEUE_CALL_TIMEOUT_MS,
    );
    call().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(new QueueUnavailableError(what, err instanceof Error ? err.message : String(err)));
      },
    );
  });
}
