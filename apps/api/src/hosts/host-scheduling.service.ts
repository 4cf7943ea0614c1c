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

/**
 * The API's one door to the scheduler: host changes reconcile that host's BullMQ job scheduler,
 * and "collect now" enqueues a job. The worker does the collecting.
 */
@Injectable()
export class HostSchedulingService implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly queue: CollectQueue;
  private readonly scheduler: CollectScheduler;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // A producer connection fails fast: a Redis outage fails the request instead of hanging it.
    this.redis = createRedisConnection(config.redisUrl, 'producer');
    this.queue = new Queue<CollectHostPayload, unknown, string>(QUEUE.collect, {
      connection: this.redis,
    });
    this.scheduler = new CollectScheduler(this.queue);
  }

  async hostSaved(host: HostRecord): Promise<void> {
    await this.scheduler.reconcileHost(host);
  }

  async hostDeleted(hostId: string): Promise<void> {
    await this.scheduler.removeHost(hostId);
  }

  async collectNow(hostId: string, requestId?: string): Promise<string> {
    return this.scheduler.enqueueNow(hostId, requestId);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
    // quit() waits for Redis to answer; with Redis gone that would hold shutdown forever.
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }
}
